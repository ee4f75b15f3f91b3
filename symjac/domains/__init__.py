"""Conditions and signs: what the conditions of a domain imply, written tidily."""

from .signs import (
    Sign, variable_bounds, sign_on, sample_points, condition_function, substitute_condition)
from .conditions import (real_conditions, tidy_conditions, evaluate_condition)
from .support import (
    natural_domain, simplify_support, support_intervals, assume_support, flatten_conditions,
    to_strict, substitute_all)

__all__ = [
    'Sign', 'variable_bounds', 'sign_on', 'sample_points', 'condition_function',
    'substitute_condition', 'real_conditions', 'tidy_conditions', 'evaluate_condition',
    'natural_domain', 'simplify_support', 'support_intervals', 'assume_support',
    'flatten_conditions', 'to_strict', 'substitute_all'
]
