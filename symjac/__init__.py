"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

import importlib
import sys
import types
from typing import TYPE_CHECKING

# The public names: the one list. Each row is a module and the names it defines, grouped as
# the documentation presents them; __all__, dir(symjac) and the lazy imports below come from
# it. The names are imported on first use (PEP 562), so `import symjac` and `symjac --version`
# do not load SymPy, NumPy and SciPy.
_PUBLIC: tuple[tuple[str, tuple[str, ...]], ...] = (
    # the central value
    (".transform", ("Transform", "compose")),
    (".systems", ("system", "available_systems")),
    # Jacobians
    (".jacobian", (
        "jacobian", "jacobian_determinant", "volume_element", "pseudo_determinant",
        "jacobian_analysis", "JacobianAnalysis",
    )),
    (".domains.signs", ("Sign",)),
    # integrals, regions and the homework checker
    (".regions.region", ("Region",)),
    (".integrals.change", ("change_variables", "ChangedIntegral")),
    (".integrals.checker", ("check_substitution", "Report")),
    (".integrals", ("check_many",)),
    (".numeric.over_region", ("integrate_region",)),
    # densities
    (".densities.density", (
        "transform_density", "log_abs_det_jacobian", "Density", "Branch", "LogAbsDetJacobian",
    )),
    (".densities.checks", ("verify_density", "sample_transformed", "TransformedSample")),
    (".densities.families", ("Family",)),
    (".densities.recognition", ("recognise_family",)),
    (".densities.order", ("order_statistic",)),
    # numeric checks
    (".report", ("CheckReport",)),
    (".numeric.quadrature", ("QuadratureResult", "integrate_numerically")),
    (".numeric.inequalities", ("integrate_over_region",)),
    (".numeric.verify", ("verify_integral",)),
    (".numeric.compiled", ("lambdify_transform", "CompiledTransform", "check_jacobian")),
    (".numeric.sampling", ("sample_density", "density_cdf", "ks_check", "box_probability_check")),
    # inverses
    (".inverse.inversions", (
        "invert", "inversion", "Inversion", "InverseBranch", "Certificate", "inverse_determinant",
    )),
    # differential operators
    (".operators.derivatives", ("gradient", "hessian", "jvp", "vjp", "hvp", "lambdify_batched")),
    (".operators.curvilinear", (
        "divergence", "curl", "laplacian", "operator_analysis", "OperatorResult",
    )),
    (".operators.checks", ("check_operator",)),
    (".operators.metric", ("metric_tensor", "scale_factors")),
    (".operators.sensitivity", (
        "frobenius_norm", "composition_bound", "CompositionBound", "noise_sensitivity",
        "NoiseEstimate",
    )),
    # parsing
    (".parsing", ("parse_expression", "parse_equations", "parse_conditions")),
    # derivations, LaTeX and pictures
    (".derivation", ("Derivation", "Step")),
    (".latex", ("to_latex",)),
    (".plotting", ("plot_transform", "plot_density")),
    # errors
    (".errors", (
        "SymjacError", "ParseError", "DimensionError", "DomainError", "SingularTransformError",
        "InversionError", "UnknownSystemError", "SymjacTimeoutError", "SymjacTypeError",
        "SymjacWarning",
    )),
)

#: the module each public name lives in
_LAZY: dict[str, str] = {name: module for module, names in _PUBLIC for name in names}

__version__ = "0.1.0"

__all__ = ["__version__", *_LAZY]

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


if TYPE_CHECKING:  # static type checkers and IDEs see eager imports, the same rows as _PUBLIC
    # (tests/test_design.py checks that they are); `name as name` marks a re-export
    from .transform import Transform as Transform, compose as compose
    from .systems import system as system, available_systems as available_systems
    from .jacobian import (
        jacobian as jacobian, jacobian_determinant as jacobian_determinant,
        volume_element as volume_element, pseudo_determinant as pseudo_determinant,
        jacobian_analysis as jacobian_analysis, JacobianAnalysis as JacobianAnalysis)
    from .domains.signs import Sign as Sign
    from .regions.region import Region as Region
    from .integrals.change import (
        change_variables as change_variables, ChangedIntegral as ChangedIntegral)
    from .integrals.checker import check_substitution as check_substitution, Report as Report
    from .integrals import check_many as check_many
    from .numeric.over_region import integrate_region as integrate_region
    from .densities.density import (
        transform_density as transform_density, log_abs_det_jacobian as log_abs_det_jacobian,
        Density as Density, Branch as Branch, LogAbsDetJacobian as LogAbsDetJacobian)
    from .densities.checks import (
        verify_density as verify_density, sample_transformed as sample_transformed,
        TransformedSample as TransformedSample)
    from .densities.families import Family as Family
    from .densities.recognition import recognise_family as recognise_family
    from .densities.order import order_statistic as order_statistic
    from .report import CheckReport as CheckReport
    from .numeric.quadrature import (
        QuadratureResult as QuadratureResult, integrate_numerically as integrate_numerically)
    from .numeric.inequalities import integrate_over_region as integrate_over_region
    from .numeric.verify import verify_integral as verify_integral
    from .numeric.compiled import (
        lambdify_transform as lambdify_transform, CompiledTransform as CompiledTransform,
        check_jacobian as check_jacobian)
    from .numeric.sampling import (
        sample_density as sample_density, density_cdf as density_cdf, ks_check as ks_check,
        box_probability_check as box_probability_check)
    from .inverse.inversions import (
        invert as invert, inversion as inversion, Inversion as Inversion,
        InverseBranch as InverseBranch, Certificate as Certificate,
        inverse_determinant as inverse_determinant)
    from .operators.derivatives import (
        gradient as gradient, hessian as hessian, jvp as jvp, vjp as vjp, hvp as hvp,
        lambdify_batched as lambdify_batched)
    from .operators.curvilinear import (
        divergence as divergence, curl as curl, laplacian as laplacian,
        operator_analysis as operator_analysis, OperatorResult as OperatorResult)
    from .operators.checks import check_operator as check_operator
    from .operators.metric import metric_tensor as metric_tensor, scale_factors as scale_factors
    from .operators.sensitivity import (
        frobenius_norm as frobenius_norm, composition_bound as composition_bound,
        CompositionBound as CompositionBound, noise_sensitivity as noise_sensitivity,
        NoiseEstimate as NoiseEstimate)
    from .parsing import (
        parse_expression as parse_expression, parse_equations as parse_equations,
        parse_conditions as parse_conditions)
    from .derivation import Derivation as Derivation, Step as Step
    from .latex import to_latex as to_latex
    from .plotting import plot_transform as plot_transform, plot_density as plot_density
    from .errors import (
        SymjacError as SymjacError, ParseError as ParseError, DimensionError as DimensionError,
        DomainError as DomainError, SingularTransformError as SingularTransformError,
        InversionError as InversionError, UnknownSystemError as UnknownSystemError,
        SymjacTimeoutError as SymjacTimeoutError, SymjacTypeError as SymjacTypeError,
        SymjacWarning as SymjacWarning)
