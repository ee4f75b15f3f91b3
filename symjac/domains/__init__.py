"""Conditions and signs: what the conditions of a domain imply, written tidily."""

from .signs import (Sign, variable_bounds, sign_on, sample_points, condition_function,
                    substitute_condition)
from .probe import SEEDS, rng_for, lambdify_numeric, evaluate_at, agree, identically_zero
from .conditions import (real_conditions, evaluate_condition, flatten_conditions, dedupe,
                         substitute_conditions, about_variables)
from .absolute import abs_cases, unfold_abs_bound
from .support import simplify_support, support_intervals, assume_support, to_strict
from .tidy import tidy_conditions

__all__ = [
    'Sign', 'variable_bounds', 'sign_on', 'sample_points', 'condition_function',
    'substitute_condition', 'SEEDS', 'rng_for', 'lambdify_numeric', 'evaluate_at', 'agree',
    'identically_zero', 'real_conditions', 'evaluate_condition', 'flatten_conditions', 'dedupe',
    'substitute_conditions', 'about_variables', 'simplify_support', 'support_intervals', 'assume_support',
    'to_strict', 'tidy_conditions', 'abs_cases', 'unfold_abs_bound',
]
