"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

import importlib
import sys
import types
from typing import TYPE_CHECKING

# Public names and the module each lives in. They are imported on first use (PEP 562),
# so `import symjac` and `symjac --version` do not load SymPy, NumPy and SciPy.
_LAZY: dict[str, str] = {
    **dict.fromkeys(('Report', 'check_substitution'), '.integrals.checker'),
    **dict.fromkeys(('Branch', 'Density', 'LogAbsDetJacobian', 'log_abs_det_jacobian', 'transform_density'), '.densities.density'),
    **dict.fromkeys(('TransformedSample', 'sample_transformed', 'verify_density'), '.densities.checks'),
    **dict.fromkeys(('Derivation', 'Step'), '.derivation'),
    **dict.fromkeys(('Sign',), '.domains.signs'),
    **dict.fromkeys(('Family',), '.densities.families'),
    **dict.fromkeys(('recognise_family',), '.densities.recognition'),
    **dict.fromkeys(('order_statistic',), '.densities.order'),
    **dict.fromkeys(('DimensionError', 'DomainError', 'InversionError', 'ParseError', 'SingularTransformError', 'SymjacError', 'SymjacTimeoutError', 'SymjacTypeError', 'SymjacWarning', 'UnknownSystemError'), '.errors'),
    **dict.fromkeys(('Certificate', 'InverseBranch', 'Inversion', 'inverse_determinant', 'inversion', 'invert'), '.inverse.inversions'),
    **dict.fromkeys(('to_latex',), '.latex'),
    **dict.fromkeys(('JacobianAnalysis', 'jacobian', 'jacobian_analysis', 'jacobian_determinant', 'pseudo_determinant', 'volume_element'), '.jacobian'),
    **dict.fromkeys(('OperatorResult', 'curl', 'divergence', 'laplacian', 'operator_analysis'), '.operators.curvilinear'),
    **dict.fromkeys(('metric_tensor', 'scale_factors'), '.operators.metric'),
    **dict.fromkeys(('CompiledTransform', 'check_jacobian', 'lambdify_transform'), '.numeric.compiled'),
    **dict.fromkeys(('check_operator',), '.operators.checks'),
    **dict.fromkeys(('gradient', 'hessian', 'hvp', 'jvp', 'lambdify_batched', 'vjp'), '.operators.derivatives'),
    **dict.fromkeys(('CompositionBound', 'NoiseEstimate', 'composition_bound', 'frobenius_norm', 'noise_sensitivity'), '.operators.sensitivity'),
    **dict.fromkeys(('ChangedIntegral', 'change_variables'), '.integrals.change'),
    **dict.fromkeys(('parse_conditions', 'parse_equations', 'parse_expression'), '.parsing'),
    **dict.fromkeys(('plot_density', 'plot_transform'), '.plotting'),
    **dict.fromkeys(('integrate_region',), '.numeric.over_region'),
    **dict.fromkeys(('Region',), '.regions.region'),
    **dict.fromkeys(('QuadratureResult', 'integrate_numerically'), '.numeric.quadrature'),
    **dict.fromkeys(('integrate_over_region',), '.numeric.inequalities'),
    **dict.fromkeys(('verify_integral',), '.numeric.verify'),
    **dict.fromkeys(('CheckReport',), '.report'),
    **dict.fromkeys(('box_probability_check', 'density_cdf', 'ks_check', 'sample_density'), '.numeric.sampling'),
    **dict.fromkeys(('available_systems', 'system'), '.systems'),
    **dict.fromkeys(('Transform', 'compose'), '.transform'),
    **dict.fromkeys(('check_many',), '.integrals'),
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
    "order_statistic",
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


class _Package(types.ModuleType):
    """Importing the submodule ``symjac.jacobian`` must not replace the function ``jacobian``."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _LAZY and \
                value.__name__ == f"{__name__}.{name}":
            return  # the submodule stays in sys.modules; the public name stays the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    from .integrals.checker import Report, check_substitution  # noqa: F401
    from .densities.density import Branch, Density, LogAbsDetJacobian, log_abs_det_jacobian, transform_density  # noqa: F401
    from .densities.checks import TransformedSample, sample_transformed, verify_density  # noqa: F401
    from .derivation import Derivation, Step  # noqa: F401
    from .domains.signs import Sign  # noqa: F401
    from .densities.families import Family  # noqa: F401
    from .densities.recognition import recognise_family  # noqa: F401
    from .densities.order import order_statistic  # noqa: F401
    from .errors import DimensionError, DomainError, InversionError, ParseError, SingularTransformError, SymjacError, SymjacTimeoutError, SymjacTypeError, SymjacWarning, UnknownSystemError  # noqa: F401
    from .inverse.inversions import Certificate, InverseBranch, Inversion, inverse_determinant, inversion, invert  # noqa: F401
    from .latex import to_latex  # noqa: F401
    from .jacobian import JacobianAnalysis, jacobian, jacobian_analysis, jacobian_determinant, pseudo_determinant, volume_element  # noqa: F401
    from .operators.curvilinear import OperatorResult, curl, divergence, laplacian, operator_analysis  # noqa: F401
    from .operators.metric import metric_tensor, scale_factors  # noqa: F401
    from .numeric.compiled import CompiledTransform, check_jacobian, lambdify_transform  # noqa: F401
    from .operators.checks import check_operator  # noqa: F401
    from .operators.derivatives import gradient, hessian, hvp, jvp, lambdify_batched, vjp  # noqa: F401
    from .operators.sensitivity import CompositionBound, NoiseEstimate, composition_bound, frobenius_norm, noise_sensitivity  # noqa: F401
    from .integrals.change import ChangedIntegral, change_variables  # noqa: F401
    from .parsing import parse_conditions, parse_equations, parse_expression  # noqa: F401
    from .plotting import plot_density, plot_transform  # noqa: F401
    from .numeric.over_region import integrate_region  # noqa: F401
    from .regions.region import Region  # noqa: F401
    from .numeric.quadrature import QuadratureResult, integrate_numerically  # noqa: F401
    from .numeric.inequalities import integrate_over_region  # noqa: F401
    from .numeric.verify import verify_integral  # noqa: F401
    from .report import CheckReport  # noqa: F401
    from .numeric.sampling import box_probability_check, density_cdf, ks_check, sample_density  # noqa: F401
    from .systems import available_systems, system  # noqa: F401
    from .transform import Transform, compose  # noqa: F401
    from .integrals import check_many  # noqa: F401
