"""motcua: one-stop-shop public administration platform."""

__version__ = "0.1.0"
