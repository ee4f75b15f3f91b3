"""The branch layer: every inverse x = h(y) in symjac, with its domain and a certificate."""

from .strategies import (
    Candidate, NotApplicable, named, radius_and_angle, affine, monomial, polar_type,
    one_variable, triangular, polynomial, general)
from .branches import (Certificate, InverseBranch, Options, build_branch, certify)
from .selection import select_branches
from .pieces import (join_branches, flat_pieces)
from .monotone import (monotone_pieces, cubic_pieces)
from .inversions import (invert, inversion, Inversion, inverse_determinant)
from .covering import (Covering, covering_branches, check_coverage, split_abs)

__all__ = [
    'Candidate', 'NotApplicable', 'named', 'radius_and_angle', 'affine', 'monomial',
    'polar_type', 'one_variable', 'triangular', 'polynomial', 'general', 'Certificate',
    'InverseBranch', 'Options', 'build_branch', 'select_branches', 'certify', 'join_branches',
    'flat_pieces', 'monotone_pieces', 'cubic_pieces', 'invert', 'inversion', 'Inversion',
    'inverse_determinant', 'Covering', 'covering_branches', 'check_coverage', 'split_abs'
]
