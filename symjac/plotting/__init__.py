"""Pictures: how a grid and a region map under a transform, and a density over samples.

Needs the optional ``plot`` extra (``pip install 'symjac[plot]'``, i.e. matplotlib); it is
imported only when a picture is drawn.
"""

from .pictures import pi_label, plot_density, plot_transform

__all__ = ["plot_transform", "plot_density", "pi_label"]
