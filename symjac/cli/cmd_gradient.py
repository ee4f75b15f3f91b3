"""symjac gradient: Gradient of a scalar field, in Cartesian variables or any coordinate system"""

from __future__ import annotations

import argparse

from ._operators import add_field_arguments, run_operator
from .common import Output

NAME = "gradient"
HELP = "Gradient of a scalar field, in Cartesian variables or any coordinate system."
EPILOG = """examples:
  symjac gradient "x**2*y + sin(y)" --vars x,y
  symjac gradient "r**2*cos(theta)" --coords spherical --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_field_arguments(parser, vector=False)


def run(args: argparse.Namespace) -> Output:
    return run_operator(NAME, args)
