"""Change of variables in integrals, and the homework checker."""

from .change import (Piece, ChangedIntegral, change_variables, compare_integrals, read_integral)
from .partial import (PartialCheck, check_partial, and_names)
from .checker import (Report, check_substitution, MISTAKES)
from .batch import (check_many, check_one, summarise, read_submissions, SUBMISSION_KEYS)

__all__ = [
    'Piece', 'ChangedIntegral', 'change_variables', 'compare_integrals', 'read_integral',
    'PartialCheck', 'check_partial', 'and_names', 'Report', 'check_substitution', 'MISTAKES',
    'check_many', 'check_one', 'summarise', 'read_submissions', 'SUBMISSION_KEYS'
]
