"""Regions of integration: bounds, boxes and inequalities, their images and preimages."""

from .bounds import (derive_bounds, Bound, EMPTY)
from .region import (Region)

__all__ = ['derive_bounds', 'Bound', 'EMPTY', 'Region']
