"""Lambda entry points. Each module builds its powertools helpers once and only delegates.

A handler module's import is the function's init phase, and what it makes (modules, classes,
the wired services) lives as long as the execution environment: the cyclic collector's passes
over it free nothing (about 1,100 of 150,000 objects, in 230 collections that cost a tenth of
the API function's import). So the collector is off from here until the handler module calls
`init_done()`, which moves what init made out of its sight (`gc.freeze`, as `transcripts
serve` does after start) and turns it back on: requests' collections walk only what requests
make."""

from __future__ import annotations

import gc

_paused = gc.isenabled()
gc.disable()


def init_done() -> None:
    """The end of a handler module's import: what init made is frozen, the collector back on
    (unless it was off before the init phase began)."""
    gc.freeze()
    if _paused:
        gc.enable()
