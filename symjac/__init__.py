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
from .inverse import InverseBranch, Inversion, RoundTripCertificate, inverse_determinant, inversion, invert
from .jacobian import (
    JacobianAnalysis,
    jacobian,
    jacobian_analysis,
    jacobian_determinant,
    pseudo_determinant,
    volume_element,
)
from .parsing import parse_conditions, parse_equations, parse_expression
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
    # inverses
    "invert",
    "inversion",
    "inverse_determinant",
    "Inversion",
    "InverseBranch",
    "RoundTripCertificate",
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
