"""symjac demo: the main job on a built-in example."""

from __future__ import annotations

import argparse

from ..jacobian import jacobian_analysis
from ..transform import Transform
from .common import Output, expr_str

NAME = "demo"
HELP = "Run symjac on a built-in example and show the derivation."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> Output:
    t = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    a = jacobian_analysis(t)
    lines = [
        "The substitution u = x**2/y, v = y**2/x on x > 0, y > 0:",
        "",
        str(a.steps),
        "",
        f"So du dv = {a.volume_element} dx dy, i.e. dx dy = (1/{a.volume_element}) du dv.",
    ]
    data = {"transform": t.to_dict(), "volume_element": expr_str(a.volume_element),
            "steps": [s.text for s in a.steps]}
    return Output("\n".join(lines), data, a)
