"""Differential operators: gradient to HVP, metric, curvilinear operators, sensitivity."""

from .metric import (metric_tensor, scale_factors)
from .curvilinear import (OperatorResult, operator_analysis, divergence, curl, laplacian)
from .derivatives import (gradient, hessian, jvp, vjp, hvp, lambdify_batched)
from .checks import (check_operator)
from .sensitivity import (
    frobenius_norm, composition_bound, CompositionBound, noise_sensitivity, NoiseEstimate)

__all__ = [
    'metric_tensor', 'scale_factors', 'OperatorResult', 'operator_analysis', 'divergence',
    'curl', 'laplacian', 'gradient', 'hessian', 'jvp', 'vjp', 'hvp', 'lambdify_batched',
    'check_operator', 'frobenius_norm', 'composition_bound', 'CompositionBound',
    'noise_sensitivity', 'NoiseEstimate'
]
