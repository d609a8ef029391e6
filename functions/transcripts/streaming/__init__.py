"""Real-time transcription: the session logic behind the `/v1/audio/transcriptions` WebSocket.

Pure modules, each with one job, usable without a server:
`params` (what a client may ask for), `audio` (PCM in, 16 kHz float out), `vad` (Silero VAD cut
into utterances), `agreement` (LocalAgreement-2: which words are stable), `decoder` (faster-whisper
on a short buffer), `session` (all of it together, producing the protocol's events), `save` (a
finished session as an ordinary completed transcript) and `limits` (sessions per key).
"""
