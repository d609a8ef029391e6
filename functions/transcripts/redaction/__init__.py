"""Redaction of PII, PHI and PCI in what speech recognition produces (in progress: the
spoken-form normaliser is built; the recognisers and the API wiring are not, so `redact` is
still refused with 400 feature_unavailable)."""
