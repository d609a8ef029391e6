"""Lambda entry points. Each module builds its powertools helpers once and only delegates."""
