"""symjac curl: Curl of a 3-D vector field, in Cartesian variables or any coordinate system"""

from __future__ import annotations

import argparse

from ._operators import add_field_arguments, run_operator
from .common import Output

NAME = "curl"
HELP = "Curl of a 3-D vector field, in Cartesian variables or any coordinate system."
EPILOG = """examples:
  symjac curl "-y, x, 0" --vars x,y,z
  symjac curl "0, r, 0" --coords cylindrical --latex"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_field_arguments(parser, vector=True)


def run(args: argparse.Namespace) -> Output:
    return run_operator(NAME, args)
