"""symjac divergence: Divergence of a vector field, in Cartesian variables or any coordinate system"""

from __future__ import annotations

import argparse

from ._operators import add_field_arguments, run_operator
from .common import Output

NAME = "divergence"
HELP = "Divergence of a vector field, in Cartesian variables or any coordinate system."
EPILOG = """examples:
  symjac divergence "r, 0, 0" --coords spherical
  symjac divergence "r, 0, 0, 0, 0" --coords hyperspherical --n 5
  symjac divergence "u, v" --coords "x = u + v*cos(a), y = v*sin(a)" --inputs "u v" --domain "0 < a < pi" --basis coordinate"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_field_arguments(parser, vector=True)


def run(args: argparse.Namespace) -> Output:
    return run_operator(NAME, args)
