"""Crosscheck: a news story engine that shows which sources back each statement."""

__version__ = "0.1.0"
