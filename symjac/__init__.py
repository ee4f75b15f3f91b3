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


if TYPE_CHECKING:
    # What static type checkers and IDEs read, since they cannot follow __getattr__: each row of
    # _PUBLIC, its module imported under a private alias and each name assigned from it
    # (tests/test_design.py checks that these are exactly _PUBLIC's rows).
    from . import transform as _transform
    Transform = _transform.Transform
    compose = _transform.compose
    from . import systems as _systems
    system = _systems.system
    available_systems = _systems.available_systems
    from . import jacobian as _jacobian
    jacobian = _jacobian.jacobian
    jacobian_determinant = _jacobian.jacobian_determinant
    volume_element = _jacobian.volume_element
    pseudo_determinant = _jacobian.pseudo_determinant
    jacobian_analysis = _jacobian.jacobian_analysis
    JacobianAnalysis = _jacobian.JacobianAnalysis
    from .domains import signs as _domains_signs
    Sign = _domains_signs.Sign
    from .regions import region as _regions_region
    Region = _regions_region.Region
    from .integrals import change as _integrals_change
    change_variables = _integrals_change.change_variables
    ChangedIntegral = _integrals_change.ChangedIntegral
    from .integrals import checker as _integrals_checker
    check_substitution = _integrals_checker.check_substitution
    Report = _integrals_checker.Report
    from . import integrals as _integrals
    check_many = _integrals.check_many
    from .numeric import over_region as _numeric_over_region
    integrate_region = _numeric_over_region.integrate_region
    from .densities import density as _densities_density
    transform_density = _densities_density.transform_density
    log_abs_det_jacobian = _densities_density.log_abs_det_jacobian
    Density = _densities_density.Density
    Branch = _densities_density.Branch
    LogAbsDetJacobian = _densities_density.LogAbsDetJacobian
    from .densities import checks as _densities_checks
    verify_density = _densities_checks.verify_density
    sample_transformed = _densities_checks.sample_transformed
    TransformedSample = _densities_checks.TransformedSample
    from .densities import families as _densities_families
    Family = _densities_families.Family
    from .densities import recognition as _densities_recognition
    recognise_family = _densities_recognition.recognise_family
    from .densities import order as _densities_order
    order_statistic = _densities_order.order_statistic
    from . import report as _report
    CheckReport = _report.CheckReport
    from .numeric import quadrature as _numeric_quadrature
    QuadratureResult = _numeric_quadrature.QuadratureResult
    integrate_numerically = _numeric_quadrature.integrate_numerically
    from .numeric import inequalities as _numeric_inequalities
    integrate_over_region = _numeric_inequalities.integrate_over_region
    from .numeric import verify as _numeric_verify
    verify_integral = _numeric_verify.verify_integral
    from .numeric import compiled as _numeric_compiled
    lambdify_transform = _numeric_compiled.lambdify_transform
    CompiledTransform = _numeric_compiled.CompiledTransform
    check_jacobian = _numeric_compiled.check_jacobian
    from .numeric import sampling as _numeric_sampling
    sample_density = _numeric_sampling.sample_density
    density_cdf = _numeric_sampling.density_cdf
    ks_check = _numeric_sampling.ks_check
    box_probability_check = _numeric_sampling.box_probability_check
    from .inverse import inversions as _inverse_inversions
    invert = _inverse_inversions.invert
    inversion = _inverse_inversions.inversion
    Inversion = _inverse_inversions.Inversion
    InverseBranch = _inverse_inversions.InverseBranch
    Certificate = _inverse_inversions.Certificate
    inverse_determinant = _inverse_inversions.inverse_determinant
    from .operators import derivatives as _operators_derivatives
    gradient = _operators_derivatives.gradient
    hessian = _operators_derivatives.hessian
    jvp = _operators_derivatives.jvp
    vjp = _operators_derivatives.vjp
    hvp = _operators_derivatives.hvp
    lambdify_batched = _operators_derivatives.lambdify_batched
    from .operators import curvilinear as _operators_curvilinear
    divergence = _operators_curvilinear.divergence
    curl = _operators_curvilinear.curl
    laplacian = _operators_curvilinear.laplacian
    operator_analysis = _operators_curvilinear.operator_analysis
    OperatorResult = _operators_curvilinear.OperatorResult
    from .operators import checks as _operators_checks
    check_operator = _operators_checks.check_operator
    from .operators import metric as _operators_metric
    metric_tensor = _operators_metric.metric_tensor
    scale_factors = _operators_metric.scale_factors
    from .operators import sensitivity as _operators_sensitivity
    frobenius_norm = _operators_sensitivity.frobenius_norm
    composition_bound = _operators_sensitivity.composition_bound
    CompositionBound = _operators_sensitivity.CompositionBound
    noise_sensitivity = _operators_sensitivity.noise_sensitivity
    NoiseEstimate = _operators_sensitivity.NoiseEstimate
    from . import parsing as _parsing
    parse_expression = _parsing.parse_expression
    parse_equations = _parsing.parse_equations
    parse_conditions = _parsing.parse_conditions
    from . import derivation as _derivation
    Derivation = _derivation.Derivation
    Step = _derivation.Step
    from . import latex as _latex
    to_latex = _latex.to_latex
    from . import plotting as _plotting
    plot_transform = _plotting.plot_transform
    plot_density = _plotting.plot_density
    from . import errors as _errors
    SymjacError = _errors.SymjacError
    ParseError = _errors.ParseError
    DimensionError = _errors.DimensionError
    DomainError = _errors.DomainError
    SingularTransformError = _errors.SingularTransformError
    InversionError = _errors.InversionError
    UnknownSystemError = _errors.UnknownSystemError
    SymjacTimeoutError = _errors.SymjacTimeoutError
    SymjacTypeError = _errors.SymjacTypeError
    SymjacWarning = _errors.SymjacWarning
