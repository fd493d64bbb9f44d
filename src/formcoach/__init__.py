"""formcoach: a private, local AI form coach for home strength training."""

__version__ = "0.1.0"
