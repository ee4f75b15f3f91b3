"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

from .derivation import Derivation, Step
from .domains import Sign
from .errors import (
    DimensionError,
    DomainError,
    InversionError,
    ParseError,
    SingularTransformError,
    SymjacError,
    SymjacTimeoutError,
    SymjacWarning,
    UnknownSystemError,
)
from .jacobian import (
    JacobianAnalysis,
    jacobian,
    jacobian_analysis,
    jacobian_determinant,
    pseudo_determinant,
    volume_element,
)
from .numeric import CompiledTransform, check_jacobian, lambdify_transform
from .parsing import parse_conditions, parse_equations, parse_expression
from .quadrature import QuadratureResult, integrate_numerically, integrate_over_region, verify_integral
from .report import CheckReport
from .sampling import box_probability_check, density_cdf, ks_check, sample_density
from .systems import available_systems, system
from .transform import Transform, compose

__version__ = "0.1.0"

__all__ = [
    "__version__",
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
    # parsing
    "parse_expression",
    "parse_equations",
    "parse_conditions",
    # derivations
    "Derivation",
    "Step",
    # errors
    "SymjacError",
    "ParseError",
    "DimensionError",
    "DomainError",
    "SingularTransformError",
    "InversionError",
    "UnknownSystemError",
    "SymjacTimeoutError",
    "SymjacWarning",
]
