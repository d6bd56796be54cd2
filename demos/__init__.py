"""Runnable lessons: ``python -m demos.<name>``."""
