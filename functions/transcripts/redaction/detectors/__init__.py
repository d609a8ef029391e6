"""Detectors added to the engine's Presidio registry, one module each: the statistical PII model
(`model`), the country-specific recognisers Presidio ships (`country`), and the recall-first net
for numbers and codes (`number_net`, applied after the others over the words)."""
