"""The branch layer: every inverse x = h(y) in symjac, with its domain and a certificate."""

from .strategies import (
    Candidate, NotApplicable, named, radius_and_angle, affine, monomial, polar_type,
    one_variable, triangular, polynomial, general)
from .branches import (Certificate, InverseBranch, Options, build_branch, certify)
from .selection import select_branches
from .pieces import (join_branches, flat_pieces)
from .inversions import (invert, inversion, Inversion, inverse_determinant)
from .covering import (split_abs, inverse_branches, round_trip_ok, check_coverage)
from .monotone import (monotone_branches)

__all__ = [
    'Candidate', 'NotApplicable', 'named', 'radius_and_angle', 'affine', 'monomial',
    'polar_type', 'one_variable', 'triangular', 'polynomial', 'general', 'Certificate',
    'InverseBranch', 'Options', 'build_branch', 'select_branches', 'certify', 'join_branches',
    'flat_pieces', 'invert', 'inversion', 'Inversion', 'inverse_determinant', 'split_abs',
    'inverse_branches', 'round_trip_ok', 'check_coverage', 'monotone_branches'
]
