"""Pictures: how a grid and a region map under a transform, and a density over samples.

A region's edges are drawn exactly: each edge is a piece of a curve
``g = 0`` from one of its conditions (or of the map's domain), found by
``plotting.edges``; the image of the region is the image of these curves under
the map. Edges that the map glues
together (the rays θ = 0 and θ = 2π of an annulus) are not drawn in the image,
so it shows no seam. Axes of angles have ticks at multiples of π.

Needs the optional ``plot`` extra (``pip install 'symjac[plot]'``, i.e.
matplotlib); it is imported only when a picture is drawn. Each function
returns a ``matplotlib.figure.Figure``, which needs no display: save it with
``fig.savefig("picture.png")`` or let Jupyter show it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from ..domains.signs import condition_function, variable_bounds
from ..errors import DimensionError, DomainError, ParseError, SymjacError, SymjacTypeError
from ..parsing import parse_conditions, parse_expression
from .edges import Edges, glued, region_margins
from ..transform import Transform, require_transform

__all__ = ["plot_transform", "plot_density"]

_DEFAULT_HALF_WIDTH = 5.0


def _figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise SymjacError(
            "drawing pictures needs matplotlib, which is not installed. Install the 'plot' "
            "extra: pip install 'symjac[plot]' (or pip install matplotlib).",
            expected="the optional 'plot' extra",
            hint="install it with: pip install 'symjac[plot]' (or pip install matplotlib)") from None
    return Figure


def _math_name(symbol: sp.Symbol) -> str:
    return "$" + sp.latex(symbol) + "$"


def _region_conditions(region: object, t: Transform) -> tuple[tuple[sp.Basic, ...], str]:
    """The region's conditions and whether they are on the ``"inputs"`` or the ``"outputs"``."""
    by_name = {s.name: s for s in t.inputs + t.outputs + t.parameters}
    if hasattr(region, "conditions") and not isinstance(region, str):
        region = region.conditions  # a symjac.regions region
    if isinstance(region, str):
        conditions = parse_conditions(region, symbols=by_name)
    elif isinstance(region, sp.Basic):
        conditions = (region,)
    else:
        conditions = tuple(region)
    conditions = tuple(c.xreplace({s: by_name[s.name] for s in c.free_symbols if s.name in by_name})
                       for c in conditions)
    names = {s.name for c in conditions for s in c.free_symbols}
    inputs, outputs = {s.name for s in t.inputs}, {s.name for s in t.outputs}
    if names and names <= inputs:
        return conditions, "inputs"
    if names and names <= outputs:
        return conditions, "outputs"
    raise ParseError(
        f"the region {region!r} must be written either in the inputs "
        f"({', '.join(sorted(inputs))}) or in the outputs ({', '.join(sorted(outputs))}) "
        f"of the transform; it uses {', '.join(sorted(names)) or 'no variables'}.",
        text=str(region))


class _Sampler:
    """Numeric evaluation of a 2-D transform, its domain and a region, on grids."""

    def __init__(self, t: Transform, conditions: tuple[sp.Basic, ...], side: str) -> None:
        self.map = sp.lambdify(t.inputs, list(t.exprs), modules="numpy")
        self.domain = condition_function(t.inputs, t.domain) if t.domain else None
        self.region = None
        if conditions:
            symbols = t.inputs if side == "inputs" else t.outputs
            self.region = condition_function(symbols, conditions)
        self.side = side

    def outputs(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(all="ignore"):
            values = [np.broadcast_to(np.asarray(v, dtype=float), np.shape(a))
                      for v in self.map(a, b)]
        return values[0], values[1]

    def inside(self, a: np.ndarray, b: np.ndarray, *, region: bool = True) -> np.ndarray:
        ok = np.ones(a.shape, dtype=bool)
        if self.domain is not None:
            ok &= self.domain(np.column_stack([a.ravel(), b.ravel()])).reshape(a.shape)
        if region and self.region is not None:
            pa, pb = (a, b) if self.side == "inputs" else self.outputs(a, b)
            with np.errstate(all="ignore"):
                ok &= self.region(np.column_stack([pa.ravel(), pb.ravel()])).reshape(a.shape)
        x, y = self.outputs(a, b)
        return ok & np.isfinite(x) & np.isfinite(y)


def _initial_box(t: Transform, extent: Mapping | None) -> list[tuple[float, float]]:
    bounds = variable_bounds(t.domain, t.inputs)
    given = {(k.name if isinstance(k, sp.Symbol) else str(k)): v for k, v in (extent or {}).items()}
    box = []
    for s in t.inputs:
        if s.name in given:
            lo, hi = (float(v) for v in given[s.name])
        else:
            lo_s, hi_s = bounds[s]
            lo = float(lo_s) if lo_s.is_finite else None
            hi = float(hi_s) if hi_s.is_finite else None
            if lo is None and hi is None:
                lo, hi = -_DEFAULT_HALF_WIDTH, _DEFAULT_HALF_WIDTH
            elif lo is None:
                lo = hi - 2 * _DEFAULT_HALF_WIDTH
            elif hi is None:
                hi = lo + _DEFAULT_HALF_WIDTH
        if not lo < hi:
            raise DomainError(f"the plotting range of {s} is empty: {lo} to {hi}.",
                              value=(lo, hi), expected="lower < upper",
                              hint="pass extent={name: (lower, upper)} with lower < upper.")
        box.append((lo, hi))
    return box


def _within_domain(box: list[tuple[float, float]], limits: list[tuple[float, float]]
                   ) -> list[tuple[float, float]]:
    """The box cut to the domain's bounds (0 <= θ <= 2π), so grid lines end on them."""
    return [(max(lo, d_lo), min(hi, d_hi)) for (lo, hi), (d_lo, d_hi) in zip(box, limits)]


def _fit_region(sampler: _Sampler, box: list[tuple[float, float]], fixed: bool,
                limits: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Shrink the box around the region's points, or grow it where the region runs into an
    edge of the box that is not an edge of the domain (``limits``); an unbounded region is
    shown on a box grown twice."""
    fitted = None
    for _ in range(3):
        a, b = np.meshgrid(np.linspace(*box[0], 301), np.linspace(*box[1], 301))
        ok = sampler.inside(a, b)
        if not ok.any():
            if fixed or fitted:
                break
            box = [(lo - (hi - lo), hi + (hi - lo)) for lo, hi in box]
            continue
        if fixed:
            return box
        fitted, grown = [], []
        for values, (lo, hi), (d_lo, d_hi) in zip((a[ok], b[ok]), box, limits):
            vlo, vhi = float(values.min()), float(values.max())
            pad, step = 0.08 * max(vhi - vlo, 1e-9), 1.5 * (hi - lo) / 300
            fitted.append((vlo - pad, vhi + pad))
            grown.append((lo - (hi - lo) if vlo < lo + step and lo > d_lo else lo,
                          hi + (hi - lo) if vhi > hi - step and hi < d_hi else hi))
        if grown == box:
            return fitted
        box = grown
    if fitted:
        return fitted
    raise DomainError(
        "the region has no points in the plotted range (or none where the map is defined).",
        expected="a region with points in the domain of the transform",
        hint="check the inequalities, or pass extent={name: (lower, upper)} for the inputs.")


def _domain_limits(t: Transform) -> list[tuple[float, float]]:
    """The domain's bounds on each input as floats (infinite where it has none)."""
    bounds = variable_bounds(t.domain, t.inputs)
    return [(float(lo) if lo.is_number else -np.inf, float(hi) if hi.is_number else np.inf)
            for lo, hi in (bounds[s] for s in t.inputs)]


def _grid_values(lo: float, hi: float, lines: int, angle: bool) -> np.ndarray:
    """About ``lines`` round values in [lo, hi]: multiples of π/4 (or π/2, π) for an angle."""
    from matplotlib.ticker import MaxNLocator

    if angle:
        step = next((k * np.pi / 4 for k in (1, 2, 4, 8) if (hi - lo) / (k * np.pi / 4) <= lines),
                    (hi - lo) / lines)
        values = step * np.arange(np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9) + 1)
        if values.size > 2 and np.isclose(values[-1] - values[0], 2 * np.pi):
            values = values[:-1]  # theta = 2*pi is the line theta = 0 again
    else:
        values = MaxNLocator(nbins=max(lines - 1, 1), steps=[1, 2, 5, 10]).tick_values(lo, hi)
    values = values[(values >= lo - 1e-12) & (values <= hi + 1e-12)]
    if values.size < 2:
        values = np.linspace(lo, hi, lines)
    # a line on the edge of an open domain (theta = 0) is drawn just inside it
    nudge = 1e-9 * (hi - lo)
    return np.clip(values, lo + nudge, hi - nudge)


def _draw_grid(sampler: _Sampler, box: list[tuple[float, float]], lines: int, angles: list[bool],
               ax_in, ax_out) -> list:
    """Lines of constant first input (colour C0) and constant second input (C1), and their images."""
    handles = []
    grid = np.linspace(1e-9, 1.0 - 1e-9, 1500)  # ends just inside an open domain: no gap at θ = 0
    for k, (lo, hi) in enumerate(box):
        other_lo, other_hi = box[1 - k]
        for n, value in enumerate(_grid_values(lo, hi, lines, angles[k])):
            along = other_lo + (other_hi - other_lo) * grid
            fixed = np.full_like(along, value)
            a, b = (fixed, along) if k == 0 else (along, fixed)
            keep = sampler.inside(a, b, region=False)
            a, b = np.where(keep, a, np.nan), np.where(keep, b, np.nan)
            x, y = sampler.outputs(a, b)
            style = dict(color=f"C{k}", lw=0.8, alpha=0.6)
            line, = ax_in.plot(a, b, **style)
            ax_out.plot(x, y, **style)
            if n == 0:
                handles.append(line)
    return handles


def _is_angle(t: Transform, s: sp.Symbol) -> bool:
    """Whether the input ``s`` enters the map only through sines, cosines and tangents."""
    uses = [e for e in t.exprs if s in e.free_symbols]
    trig = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)
    hidden = [e.replace(lambda f: isinstance(f, trig) and s in f.free_symbols,
                        lambda f: sp.Dummy()) for e in uses]
    return bool(uses) and all(s not in e.free_symbols for e in hidden)


def pi_label(value: float, _position: object = None) -> str:
    """A tick label for a multiple of π/4: ``0``, ``π/2``, ``π``, ``3π/2``, ``−π/4``, ``2π``."""
    from fractions import Fraction

    k = Fraction(round(value / (np.pi / 4)), 4)
    if k == 0:
        return "0"
    sign = "\N{MINUS SIGN}" if k < 0 else ""
    n, d = abs(k.numerator), k.denominator
    return sign + ("" if n == 1 else str(n)) + "\N{GREEK SMALL LETTER PI}" + ("" if d == 1 else f"/{d}")


def _ticks_at_multiples_of_pi(axis) -> None:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    lo, hi = sorted(axis.get_view_interval())
    step = np.pi / 4 if hi - lo < np.pi else np.pi / 2 if hi - lo <= 3 * np.pi else np.pi
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(pi_label))


def _draw_region(t: Transform, conditions: tuple[sp.Basic, ...], side: str,
                 box: list[tuple[float, float]], resolution: int, ax_in, ax_out) -> dict:
    """Fill the region and its image and draw their exact edges; ``{legend label: handle}``."""
    import contourpy
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    margins = region_margins(t, conditions, side)
    edges = Edges(t, margins)
    a, b = np.meshgrid(np.linspace(*box[0], resolution), np.linspace(*box[1], resolution))
    values = [g(a, b) for g in edges.g]
    scaled = [v / max(float(np.nanmax(np.abs(v))), 1e-300) for v in values]
    inside = np.ma.masked_invalid(np.min(scaled, axis=0))
    handles = {}
    filled = contourpy.contour_generator(a, b, inside, fill_type="OuterCode").filled(0.0, np.inf)
    for points, codes in zip(*filled):
        image = edges.image(np.asarray(points, dtype=float))
        if not np.isfinite(image).all():
            continue
        patch = PathPatch(Path(points, codes), color="C2", alpha=0.3, lw=0)
        ax_in.add_patch(patch)
        ax_out.add_patch(PathPatch(Path(image, codes), color="C2", alpha=0.3, lw=0))
        handles["the region"] = patch
    pieces = [(i, piece) for i in range(len(margins))
              for piece in edges.pieces(i, box, resolution)]
    images = [edges.image(piece) for _, piece in pieces]
    scale = float(np.nanmax(np.abs(np.concatenate(images)))) if images else 1.0
    for k, ((i, piece), image) in enumerate(zip(pieces, images)):
        line, = ax_in.plot(piece[:, 0], piece[:, 1], color="C2", lw=1.6, gid="region-edge")
        others = [im for m, im in enumerate(images) if m != k]
        if not (edges.of_domain[i] and glued(image, others, scale)):
            ax_out.plot(image[:, 0], image[:, 1], color="C2", lw=1.6, gid="region-edge")
        handles["its edges"] = line
    if images:  # the image of the region, not of the whole grid, fills the picture
        shown = np.concatenate(images)
        shown = shown[np.isfinite(shown).all(axis=1)]
        for limits, lo, hi in ((ax_out.set_xlim, *_padded(shown[:, 0])),
                               (ax_out.set_ylim, *_padded(shown[:, 1]))):
            limits(lo, hi)
    return handles


def _padded(values: np.ndarray, share: float = 0.15) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = share * max(hi - lo, 1e-9)
    return lo - pad, hi + pad


def plot_transform(t: Transform, region: object = None, *,
                   extent: Mapping[object, tuple[float, float]] | None = None,
                   lines: int = 11, resolution: int = 250):
    """Draw how a grid (and a region) in the inputs maps to the outputs, side by side.

    Args:
        t: A transform from 2 inputs to 2 outputs, without free parameters.
        region: Optional conditions, as text (``"1 <= u <= 4, 2 <= v <= 3"``),
            SymPy relationals, or a region object with ``.conditions``;
            written either in the inputs or in the outputs of ``t``.
        extent: The plotted range of each input, ``{name: (lower, upper)}``.
            By default it comes from the domain and is fitted around the region.
        lines: About how many grid lines of each input to draw (at round values;
            multiples of π/4, π/2 or π for an angle).
        resolution: Grid points per side used to find the region.

    Returns:
        A matplotlib ``Figure`` with two axes: the inputs on the left, the
        outputs on the right.

    Raises:
        DimensionError: If ``t`` is not a map from 2 to 2 variables.
        DomainError: If ``t`` has free parameters or the region is empty.
        SymjacError: If matplotlib is not installed.

    >>> from symjac import Transform
    >>> from symjac.plotting import plot_transform
    >>> t = Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")
    >>> fig = plot_transform(t, "1 <= u <= 4, 2 <= v <= 3")
    >>> [ax.get_title() for ax in fig.axes]
    ['the region in $x$, $y$', 'its image in $u$, $v$']
    """
    Figure = _figure_class()
    require_transform(t, "plot_transform")
    if t.dims != (2, 2):
        raise DimensionError(
            f"plot_transform draws maps from 2 to 2 variables; this one has {t.dims[0]} inputs "
            f"and {t.dims[1]} outputs.", value=t, expected="2 inputs and 2 outputs")
    if t.parameters:
        raise DomainError(
            f"the transform has free parameters ({', '.join(map(str, t.parameters))}); "
            "give them values first.", value=t,
            hint="use t.substitute({name: value}) before plotting.")
    conditions, side = _region_conditions(region, t) if region is not None else ((), "inputs")
    sampler = _Sampler(t, conditions, side)
    box = _initial_box(t, extent)
    if conditions:
        limits = _domain_limits(t)
        box = _within_domain(_fit_region(sampler, box, extent is not None, limits), limits)

    fig = Figure(figsize=(10, 4.9), layout="constrained")
    ax_in, ax_out = fig.subplots(1, 2)
    p, q = t.inputs
    angles = [_is_angle(t, s) for s in t.inputs]
    handles = _draw_grid(sampler, box, lines, angles, ax_in, ax_out)
    labels = [f"{_math_name(s)} = const" for s in t.inputs]
    if conditions:
        drawn = _draw_region(t, conditions, side, box, resolution, ax_in, ax_out)
        handles += list(drawn.values())
        labels += list(drawn)
        ax_in.set_title(f"the region in {_math_name(p)}, {_math_name(q)}")
    else:
        ax_in.set_title(f"a grid in {_math_name(p)}, {_math_name(q)}")
    ax_out.set_title("its image in " + ", ".join(map(_math_name, t.outputs)))
    ax_in.set_xlim(*box[0])
    ax_in.set_ylim(*box[1])
    inverse_trig = (sp.atan2, sp.atan, sp.acos, sp.asin)
    out_angles = [any(isinstance(a, inverse_trig) for a in sp.Add.make_args(e)) for e in t.exprs]
    for ax, has_angle in ((ax_in, any(angles)), (ax_out, any(out_angles))):
        (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
        if not has_angle and 0.4 < (x_hi - x_lo) / (y_hi - y_lo) < 2.5:
            ax.set_aspect("equal", adjustable="box")  # comparable lengths: circles look round
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), frameon=False)
    for axis, angle in zip((ax_in.xaxis, ax_in.yaxis, ax_out.xaxis, ax_out.yaxis),
                           angles + out_angles):
        if angle:  # an input inside sin/cos, or an output that is an arc function
            _ticks_at_multiples_of_pi(axis)
    ax_in.set_xlabel(_math_name(p))
    ax_in.set_ylabel(_math_name(q))
    ax_out.set_xlabel(_math_name(t.outputs[0]))
    ax_out.set_ylabel(_math_name(t.outputs[1]))
    return fig


def plot_density(density: object, samples: Sequence[float] | np.ndarray, *,
                 variable: str | sp.Symbol | None = None, bins: int = 60):
    """Draw a derived density over a histogram of Monte Carlo samples.

    Args:
        density: A density result (anything with ``.pdf`` and, optionally,
            ``.variables``/``.outputs``), a SymPy expression, or text such as
            ``"exp(-y/2)/sqrt(2*pi*y)"``, in one variable.
        samples: One-dimensional samples of the same random variable, e.g.
            ``rng.standard_normal(10_000) ** 2``.
        variable: The variable of the pdf, when it has more than one symbol.
        bins: Histogram bins.

    Returns:
        A matplotlib ``Figure``; the pdf curve should follow the histogram.

    Raises:
        DimensionError: If the pdf is not in one variable or the samples are not 1-D.
        SymjacError: If matplotlib is not installed.

    >>> import numpy as np
    >>> from symjac.plotting import plot_density
    >>> y = np.random.default_rng(0).standard_normal(2000) ** 2
    >>> fig = plot_density("exp(-y/2)/sqrt(2*pi*y)", y)
    >>> fig.axes[0].get_xlabel()
    '$y$'
    """
    Figure = _figure_class()
    pdf, y = _pdf_of_one_variable(density, variable)
    data = _finite_samples(samples)
    lo, hi = np.quantile(data, [0.005, 0.995])
    if hi <= lo:  # nearly all samples on one value: show the whole range instead
        lo, hi = float(data.min()), float(data.max())
    f = sp.lambdify(y, pdf, modules="numpy")
    grid = np.linspace(lo, hi, 600)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(grid), dtype=float), grid.shape)
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    shown = data[(data >= lo) & (data <= hi)]
    # normalised by all samples, so the bars match the pdf even though the tails are cut
    weight = 1.0 / (data.size * (hi - lo) / bins)
    heights, _, _ = ax.hist(shown, bins=bins, range=(lo, hi), weights=np.full(shown.size, weight),
            color="C0", alpha=0.4, label=f"{data.size} samples")
    ax.plot(grid, np.where(np.isfinite(values), values, np.nan), color="C3", lw=2,
            label="derived pdf")
    finite = values[np.isfinite(values)]
    top = max(float(heights.max()), float(np.median(finite)) if finite.size else 0.0)
    ax.set_ylim(0, 1.3 * top if top > 0 else 1.0)  # a pole of the pdf must not flatten the bars
    ax.set_xlabel(_math_name(y))
    ax.set_ylabel("density")
    ax.legend()
    return fig


def _pdf_of_one_variable(density: object, variable: str | sp.Symbol | None
                         ) -> tuple[sp.Expr, sp.Symbol]:
    """The pdf to draw and its one variable, or an error that says what to give."""
    pdf = getattr(density, "pdf", density)
    if isinstance(pdf, str):
        pdf = parse_expression(pdf)
    if not isinstance(pdf, sp.Basic):
        raise SymjacError(f"plot_density needs a pdf expression, got {type(density).__name__}.",
                          value=density, expected="a density result, a SymPy expression or text")
    symbols = sorted(pdf.free_symbols, key=lambda s: s.name)
    if variable is not None:
        name = variable if isinstance(variable, str) else variable.name
        chosen = [s for s in symbols if s.name == name]
    else:
        declared = getattr(density, "outputs", None) or getattr(density, "variables", None)
        chosen = [s for s in symbols if declared and s.name in {getattr(d, "name", str(d))
                                                               for d in declared}] or symbols
    if len(chosen) != 1:
        raise DimensionError(
            f"plot_density draws a pdf of one variable; this one has "
            f"{', '.join(map(str, symbols)) or 'none'}.", value=pdf,
            hint="pass variable='y', or substitute values for the parameters first.")
    y = chosen[0]
    others = [s for s in symbols if s is not y]
    if others:
        raise DimensionError(f"the pdf still has parameters ({', '.join(map(str, others))}); "
                             "give them values first.", value=pdf,
                             hint="use pdf.subs({name: value}) before plotting.")
    return pdf, y


def _finite_samples(samples: Sequence[float] | np.ndarray) -> np.ndarray:
    """The finite samples as a 1-D float array, at least two of them different."""
    try:
        data = np.asarray(samples, dtype=float)
    except (TypeError, ValueError):
        raise SymjacTypeError("samples must be numbers, e.g. a NumPy array of draws.",
                              value=type(samples).__name__,
                              expected="a 1-D array of numbers") from None
    if data.ndim != 1 or data.size < 2:
        raise DimensionError(f"samples must be a 1-D array of at least 2 numbers, got shape "
                             f"{data.shape}.", value=data.shape, expected="shape (n,)")
    data = data[np.isfinite(data)]  # NaN and ±inf draws cannot be placed on the axis
    if data.size < 2 or data.min() == data.max():
        raise DomainError(
            f"a histogram needs at least two different finite samples; there are {data.size} "
            "finite ones" + (f", all equal to {data[0]:g}." if data.size else "."),
            value=samples if data.size < 10 else None,
            expected="samples of a continuous random variable",
            hint="check how the samples were drawn (NaN or inf values are left out).")
    return data
