"""Numbers: compiled evaluation, quadrature with evidence, Monte Carlo and sampling."""

from .codegen import (Kernel, generate, CACHE_BYTES)
from .compiled import (CompiledTransform, lambdify_transform, check_jacobian)
from .lines import (margin_function, line_pieces)
from .montecarlo import (MonteCarloEstimate, monte_carlo)
from .quadrature import (QuadratureResult, integrate_numerically)
from .inequalities import (integrate_over_region)
from .verify import (verify_integral)
from .over_region import (integrate_region)
from .sampling import (
    sample_density, density_cdf, box_probability, ks_check, box_probability_check)

__all__ = [
    'Kernel', 'generate', 'CACHE_BYTES', 'CompiledTransform', 'lambdify_transform',
    'check_jacobian', 'margin_function', 'line_pieces', 'MonteCarloEstimate', 'monte_carlo',
    'QuadratureResult',
    'integrate_numerically', 'integrate_over_region', 'verify_integral', 'integrate_region',
    'sample_density', 'density_cdf', 'box_probability', 'ks_check', 'box_probability_check'
]
