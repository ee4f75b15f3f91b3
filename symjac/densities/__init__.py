"""Densities of transformed random variables: branches, supports, families, checks."""

from .families import (Family, family_pdf, FAMILIES)
from .recognition import recognise_family
from .marginals import (
    LinePiece, line_pieces, pieces_to_piecewise, interval_condition, Unsupported)
from .density import (
    Density, Branch, SourceDensity, LogAbsDetJacobian, transform_density, log_abs_det_jacobian)
from .order import order_statistic
from .checks import (verify_density, sample_transformed, TransformedSample)

__all__ = [
    'Family', 'recognise_family', 'family_pdf', 'FAMILIES', 'LinePiece', 'line_pieces',
    'pieces_to_piecewise', 'interval_condition', 'Unsupported', 'Density', 'Branch',
    'SourceDensity', 'LogAbsDetJacobian', 'transform_density', 'log_abs_det_jacobian',
    'verify_density', 'sample_transformed', 'TransformedSample', 'order_statistic'
]
