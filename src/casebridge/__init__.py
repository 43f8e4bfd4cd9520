"""CaseBridge: cross-jurisdiction case coordination for market regulators."""

__version__ = "0.1.0"
