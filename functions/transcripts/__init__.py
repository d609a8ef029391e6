"""Self-hostable batch speech-to-text: the Transcripts API, its ports and its pipeline.

Heavy dependencies (faster-whisper, CTranslate2, numpy) are imported lazily inside the
pipeline modules so that the control plane (API, stores) imports cheaply.
"""

__version__ = "0.1.0"
