"""itpm: the analytical work of an IT project manager, for a whole portfolio."""

__version__ = "0.1.0"
