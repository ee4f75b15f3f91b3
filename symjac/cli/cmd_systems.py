"""symjac systems: list the named coordinate systems, or show one."""

from __future__ import annotations

import argparse

from ..jacobian import volume_element
from ..systems import available_systems, system
from .common import Output, expr_str

NAME = "systems"
HELP = "List the named coordinate systems, or show one with its domain and volume element."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="a system to show, e.g. spherical")
    parser.add_argument("--n", type=int, metavar="N", help="dimension, for hyperspherical/cartesian")
    parser.add_argument("--convention", choices=("physics", "math"), help="spherical convention")


def run(args: argparse.Namespace) -> Output:
    if args.name is None:
        infos = available_systems()
        width = max(len(i.name) for i in infos)
        lines = [f"{i.name:<{width}}  {i.description.split(';')[0]}" for i in infos]
        lines.append("")
        lines.append("Show one with: symjac systems NAME (options: --n, --convention)")
        data = {"systems": [{"name": i.name, "description": i.description,
                             "options": list(i.options)} for i in infos]}
        return Output("\n".join(lines), data)
    options: dict[str, object] = {}
    if args.n is not None:
        options["n"] = args.n
    if args.convention is not None:
        options["convention"] = args.convention
    t = system(args.name, **options)
    vol = volume_element(t)
    lines = [f"{t.name}: ({', '.join(map(str, t.inputs))}) -> ({', '.join(map(str, t.outputs))})"]
    lines += [f"  {o} = {e}" for o, e in zip(t.outputs, t.exprs)]
    lines.append("domain: " + (", ".join(map(str, t.domain)) or "all real values"))
    lines.append(f"volume element: {vol}")
    data = {"transform": t.to_dict(), "volume_element": expr_str(vol)}
    return Output("\n".join(lines), data, t)
