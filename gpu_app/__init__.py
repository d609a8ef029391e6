"""The GPU data plane on Modal. `app.py` is the only module of the project that imports modal."""
