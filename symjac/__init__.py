"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

from .integrals.checker import Report, check_substitution
from .densities.density import Branch, Density, LogAbsDetJacobian, log_abs_det_jacobian, transform_density
from .densities.checks import TransformedSample, sample_transformed, verify_density
from .derivation import Derivation, Step
from .domains.signs import Sign
from .densities.families import Family, recognise_family
from .errors import (
    DimensionError,
    DomainError,
    InversionError,
    ParseError,
    SingularTransformError,
    SymjacError,
    SymjacTimeoutError,
    SymjacTypeError,
    SymjacWarning,
    UnknownSystemError,
)
from .inverse.inversions import Certificate, InverseBranch, Inversion, inverse_determinant, inversion, invert
from .latex import to_latex
from .jacobian import (
    JacobianAnalysis,
    jacobian,
    jacobian_analysis,
    jacobian_determinant,
    pseudo_determinant,
    volume_element,
)
from .operators.curvilinear import OperatorResult, curl, divergence, laplacian, operator_analysis
from .operators.metric import metric_tensor, scale_factors
from .numeric.compiled import CompiledTransform, check_jacobian, lambdify_transform
from .operators.checks import check_operator
from .operators.derivatives import gradient, hessian, hvp, jvp, lambdify_batched, vjp
from .operators.sensitivity import (
    CompositionBound,
    NoiseEstimate,
    composition_bound,
    frobenius_norm,
    noise_sensitivity,
)
from .integrals.change import ChangedIntegral, change_variables
from .parsing import parse_conditions, parse_equations, parse_expression
from .plotting import plot_density, plot_transform
from .numeric.over_region import integrate_region
from .regions.region import Region
from .numeric.quadrature import QuadratureResult, integrate_numerically
from .numeric.inequalities import integrate_over_region
from .numeric.verify import verify_integral
from .report import CheckReport
from .numeric.sampling import box_probability_check, density_cdf, ks_check, sample_density
from .systems import available_systems, system
from .transform import Transform, compose

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
