"""Change of variables in integrals, and the homework checker."""

from .change import (Piece, ChangedIntegral, change_variables, compare_integrals, read_integral)
from .partial import (PartialCheck, check_partial, and_names)
from .checker import (Report, check_substitution, MISTAKES)

__all__ = [
    'Piece', 'ChangedIntegral', 'change_variables', 'compare_integrals', 'read_integral',
    'PartialCheck', 'check_partial', 'and_names', 'Report', 'check_substitution', 'MISTAKES'
]
