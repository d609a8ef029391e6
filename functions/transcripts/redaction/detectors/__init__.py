"""Detectors added to the engine's Presidio registry, one module each: the statistical PII model
(`model`), the country-specific recognisers Presidio ships (`country`), and the recall-first net
for numbers and codes (`number_net`, applied after the others over the words).

The call recognisers, one job each, all on the text `spoken.normalize` wrote: numbers, codes and
dates typed by the question asked before them (`context`, with `answers` for which value fits
which question and `corrections` for values fixed or read back), medications, conditions and
procedures (`medical`), street addresses and towns (`address`), names in lower-case speech
(`name_triggers`), and shapes and checksums of written values (`patterns`); `base` holds what
they share."""
