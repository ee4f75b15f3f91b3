"""symjac: change of variables and Jacobian determinants, derived symbolically and checked numerically."""

from .checker import Report, check_substitution
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
from .integrals import ChangedIntegral, IntegralCheck, change_variables, verify_integral
from .jacobian import (
    JacobianAnalysis,
    jacobian,
    jacobian_analysis,
    jacobian_determinant,
    pseudo_determinant,
    volume_element,
)
from .parsing import parse_conditions, parse_equations, parse_expression
from .quadrature import NumericValue, integrate_numerically
from .regions import Region
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
    # integrals, regions and the homework checker
    "Region",
    "change_variables",
    "ChangedIntegral",
    "verify_integral",
    "IntegralCheck",
    "check_substitution",
    "Report",
    "integrate_numerically",
    "NumericValue",
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
