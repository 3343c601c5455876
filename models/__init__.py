"""Training recipe and evaluation helpers for the clause models (not part of the installed package)."""
