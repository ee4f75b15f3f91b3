"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

import importlib
from typing import TYPE_CHECKING

# Public names and the module each lives in. They are imported on first use (PEP 562),
# so `import symjac` and `symjac --version` do not load SymPy, NumPy and SciPy.
_LAZY: dict[str, str] = {
    **dict.fromkeys(('Report', 'check_substitution'), '.checker'),
    **dict.fromkeys(('Branch', 'Density', 'LogAbsDetJacobian', 'log_abs_det_jacobian', 'transform_density'), '.densities'),
    **dict.fromkeys(('TransformedSample', 'sample_transformed', 'verify_density'), '.density_checks'),
    **dict.fromkeys(('Derivation', 'Step'), '.derivation'),
    **dict.fromkeys(('Sign',), '.domains'),
    **dict.fromkeys(('Family', 'recognise_family'), '.families'),
    **dict.fromkeys(('DimensionError', 'DomainError', 'InversionError', 'ParseError', 'SingularTransformError', 'SymjacError', 'SymjacTimeoutError', 'SymjacTypeError', 'SymjacWarning', 'UnknownSystemError'), '.errors'),
    **dict.fromkeys(('Certificate', 'InverseBranch', 'Inversion', 'inverse_determinant', 'inversion', 'invert'), '.inverse'),
    **dict.fromkeys(('to_latex',), '.latex'),
    **dict.fromkeys(('JacobianAnalysis', 'jacobian', 'jacobian_analysis', 'jacobian_determinant', 'pseudo_determinant', 'volume_element'), '.jacobian'),
    **dict.fromkeys(('OperatorResult', 'curl', 'divergence', 'laplacian', 'operator_analysis'), '.curvilinear'),
    **dict.fromkeys(('metric_tensor', 'scale_factors'), '.metric'),
    **dict.fromkeys(('CompiledTransform', 'check_jacobian', 'lambdify_transform'), '.numeric'),
    **dict.fromkeys(('check_operator',), '.operator_checks'),
    **dict.fromkeys(('gradient', 'hessian', 'hvp', 'jvp', 'lambdify_batched', 'vjp'), '.operators'),
    **dict.fromkeys(('CompositionBound', 'NoiseEstimate', 'composition_bound', 'frobenius_norm', 'noise_sensitivity'), '.sensitivity'),
    **dict.fromkeys(('ChangedIntegral', 'change_variables'), '.integrals'),
    **dict.fromkeys(('parse_conditions', 'parse_equations', 'parse_expression'), '.parsing'),
    **dict.fromkeys(('plot_density', 'plot_transform'), '.plotting'),
    **dict.fromkeys(('integrate_region',), '.region_quadrature'),
    **dict.fromkeys(('Region',), '.regions'),
    **dict.fromkeys(('QuadratureResult', 'integrate_numerically', 'integrate_over_region', 'verify_integral'), '.quadrature'),
    **dict.fromkeys(('CheckReport',), '.report'),
    **dict.fromkeys(('box_probability_check', 'density_cdf', 'ks_check', 'sample_density'), '.sampling'),
    **dict.fromkeys(('available_systems', 'system'), '.systems'),
    **dict.fromkeys(('Transform', 'compose'), '.transform'),
    **dict.fromkeys(('check_many',), '.batch'),
}

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # densities
    "transform_density",
    "verify_density",
    "sample_transformed",
    "TransformedSample",
    "log_abs_det_jacobian",
    "Density",
    "Branch",
    "LogAbsDetJacobian",
    "Family",
    "recognise_family",
    # the central value
    "Transform",
    "compose",
    "system",
    "available_systems",
    # Jacobians
    "jacobian",
    "jacobian_determinant",
    "volume_element",
    "pseudo_determinant",
    "jacobian_analysis",
    "JacobianAnalysis",
    "Sign",
    # integrals, regions and the homework checker
    "Region",
    "change_variables",
    "ChangedIntegral",
    "check_substitution",
    "Report",
    "check_many",
    "integrate_region",
    # numeric checks
    "CheckReport",
    "QuadratureResult",
    "integrate_numerically",
    "integrate_over_region",
    "verify_integral",
    "lambdify_transform",
    "CompiledTransform",
    "check_jacobian",
    "sample_density",
    "density_cdf",
    "ks_check",
    "box_probability_check",
    # inverses
    "invert",
    "inversion",
    "Inversion",
    "InverseBranch",
    "Certificate",
    "inverse_determinant",
    # differential operators
    "gradient",
    "hessian",
    "jvp",
    "vjp",
    "hvp",
    "lambdify_batched",
    "divergence",
    "curl",
    "laplacian",
    "operator_analysis",
    "OperatorResult",
    "check_operator",
    "metric_tensor",
    "scale_factors",
    "frobenius_norm",
    "composition_bound",
    "CompositionBound",
    "noise_sensitivity",
    "NoiseEstimate",
    # parsing
    "parse_expression",
    "parse_equations",
    "parse_conditions",
    # derivations, LaTeX and pictures
    "Derivation",
    "Step",
    "to_latex",
    "plot_transform",
    "plot_density",
    # errors
    "SymjacError",
    "ParseError",
    "DimensionError",
    "DomainError",
    "SingularTransformError",
    "InversionError",
    "UnknownSystemError",
    "SymjacTimeoutError",
    "SymjacTypeError",
    "SymjacWarning",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'symjac' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:  # static type checkers and IDEs see the eager imports
    from .checker import Report, check_substitution  # noqa: F401
    from .densities import Branch, Density, LogAbsDetJacobian, log_abs_det_jacobian, transform_density  # noqa: F401
    from .density_checks import TransformedSample, sample_transformed, verify_density  # noqa: F401
    from .derivation import Derivation, Step  # noqa: F401
    from .domains import Sign  # noqa: F401
    from .families import Family, recognise_family  # noqa: F401
    from .errors import DimensionError, DomainError, InversionError, ParseError, SingularTransformError, SymjacError, SymjacTimeoutError, SymjacTypeError, SymjacWarning, UnknownSystemError  # noqa: F401
    from .inverse import Certificate, InverseBranch, Inversion, inverse_determinant, inversion, invert  # noqa: F401
    from .latex import to_latex  # noqa: F401
    from .jacobian import JacobianAnalysis, jacobian, jacobian_analysis, jacobian_determinant, pseudo_determinant, volume_element  # noqa: F401
    from .curvilinear import OperatorResult, curl, divergence, laplacian, operator_analysis  # noqa: F401
    from .metric import metric_tensor, scale_factors  # noqa: F401
    from .numeric import CompiledTransform, check_jacobian, lambdify_transform  # noqa: F401
    from .operator_checks import check_operator  # noqa: F401
    from .operators import gradient, hessian, hvp, jvp, lambdify_batched, vjp  # noqa: F401
    from .sensitivity import CompositionBound, NoiseEstimate, composition_bound, frobenius_norm, noise_sensitivity  # noqa: F401
    from .integrals import ChangedIntegral, change_variables  # noqa: F401
    from .parsing import parse_conditions, parse_equations, parse_expression  # noqa: F401
    from .plotting import plot_density, plot_transform  # noqa: F401
    from .region_quadrature import integrate_region  # noqa: F401
    from .regions import Region  # noqa: F401
    from .quadrature import QuadratureResult, integrate_numerically, integrate_over_region, verify_integral  # noqa: F401
    from .report import CheckReport  # noqa: F401
    from .sampling import box_probability_check, density_cdf, ks_check, sample_density  # noqa: F401
    from .systems import available_systems, system  # noqa: F401
    from .transform import Transform, compose  # noqa: F401
    from .batch import check_many  # noqa: F401
