"""symjac laplacian: Laplacian of a scalar field, in Cartesian variables or any coordinate system"""

from __future__ import annotations

import argparse

from ._operators import add_field_arguments, run_operator
from .common import Output

NAME = "laplacian"
HELP = "Laplacian of a scalar field, in Cartesian variables or any coordinate system."
EPILOG = """examples:
  symjac laplacian "1/r" --coords spherical
  symjac laplacian "u**2" --coords "x = u + v*cos(a), y = v*sin(a)" --inputs "u v" --domain "0 < a < pi"
  symjac laplacian "x**2 + y**2" --vars x,y --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_field_arguments(parser, vector=False)


def run(args: argparse.Namespace) -> Output:
    return run_operator(NAME, args)
