"""motcua: one-stop-window question answering for education-sector procedures."""

__version__ = "0.1.0"
