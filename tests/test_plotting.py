"""Pictures render headless to real PNG files; bad input gets a clear error."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

import symjac as sj
from symjac.cli import main
from symjac.errors import DimensionError, DomainError, ParseError, SymjacError, SymjacTypeError

pytest.importorskip("matplotlib")

from symjac.plotting import plot_density, plot_transform  # noqa: E402

PNG_HEADER = b"\x89PNG\r\n\x1a\n"
SUBSTITUTION = sj.Transform.from_equations("u = x**2/y, v = y**2/x", domain="x > 0, y > 0")


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_HEADER
    assert len(data) > 10_000  # axes, lines and a filled region, not an empty canvas


def test_rectangle_and_parabola_region(tmp_path):
    fig = plot_transform(SUBSTITUTION, "1 <= u <= 4, 2 <= v <= 3")
    ax_in, ax_out = fig.axes
    # the region in (x, y) is bounded by x**3 = u**2 v: from 2**(1/3) to 48**(1/3)
    lo, hi = ax_in.get_xlim()
    assert 1.0 < lo < 2 ** (1 / 3) and 48 ** (1 / 3) < hi < 3.9
    # and y**3 = u v**2: from 4**(1/3) to 36**(1/3)
    lo, hi = ax_in.get_ylim()
    assert 1.3 < lo < 4 ** (1 / 3) and 36 ** (1 / 3) < hi < 3.6
    fig.savefig(tmp_path / "region.png", dpi=60)
    assert_png(tmp_path / "region.png")


def test_region_in_the_inputs_and_plain_grid(tmp_path):
    fig = plot_transform(sj.system("polar"), "r < 1, theta < pi/2")
    lo, hi = fig.axes[0].get_xlim()
    assert lo < 0.1 and 1.0 < hi < 1.2
    fig.savefig(tmp_path / "polar.png", dpi=60)
    assert_png(tmp_path / "polar.png")
    grid = plot_transform(sj.system("polar"), extent={"r": (0, 2)})
    assert grid.axes[0].get_title() == r"a grid in $r$, $\theta$"


def test_density_over_samples(tmp_path):
    y = np.random.default_rng(1).standard_normal(4000) ** 2
    fig = plot_density("exp(-y/2)/sqrt(2*pi*y)", y)
    fig.savefig(tmp_path / "chi2.png", dpi=60)
    assert_png(tmp_path / "chi2.png")
    bars = fig.axes[0].patches
    # histogram heights use all samples: their total area is the share inside the plotted range
    area = sum(b.get_height() * b.get_width() for b in bars)
    assert 0.98 < area <= 1.0


@pytest.mark.parametrize("call, error, message", [
    (lambda: plot_transform(sj.system("spherical")), DimensionError, "3 inputs and 3 outputs"),
    (lambda: plot_transform(sj.system("elliptic")), DomainError, r"free parameters \(a\)"),
    (lambda: plot_transform(SUBSTITUTION, "x < u"), ParseError, "either in the inputs"),
    (lambda: plot_transform(SUBSTITUTION, "u < -1"), DomainError, "no points"),
    (lambda: plot_transform(sj.system("polar"), extent={"r": (2, 1)}), DomainError, "empty"),
    (lambda: plot_density("x*y", [1.0, 2.0]), DimensionError, "one variable"),
    (lambda: plot_density("exp(-y)", [[1.0, 2.0]]), DimensionError, "1-D"),
    (lambda: plot_density("exp(-y)", [np.nan, 1.0]), DomainError, "1 finite ones, all equal to 1"),
    (lambda: plot_density("exp(-y)", [2.0, 2.0, 2.0]), DomainError, "two different finite"),
    (lambda: plot_density("exp(-y)", ["a", "b"]), SymjacTypeError, "samples must be numbers"),
])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_density_with_nan_draws_and_a_spike(tmp_path):
    # NaN/inf draws are left out; a sample that is mostly one value still gets a histogram
    y = np.concatenate([np.zeros(1000), np.linspace(0.1, 1.0, 5), [np.nan, np.inf]])
    fig = plot_density("exp(-y)", y)
    assert fig.axes[0].get_legend_handles_labels()[1] == ["1005 samples", "derived pdf"]
    assert fig.axes[0].get_xlim()[1] >= 1.0


def test_missing_matplotlib_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(SymjacError, match=r"pip install 'symjac\[plot\]'"):
        plot_transform(SUBSTITUTION)


def test_cli_plot(tmp_path, capsys):
    out = tmp_path / "cli.png"
    argv = ["jacobian", "u = x**2/y, v = y**2/x", "--domain", "x > 0, y > 0",
            "--region", "1 <= u <= 4, 2 <= v <= 3", "--plot", str(out), "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["plot"] == str(out)
    assert_png(out)


@pytest.mark.parametrize("argv, message", [
    (["jacobian", "--system", "polar", "--plot", "pic.txt"], "not a picture file name"),
    (["jacobian", "--system", "polar", "--region", "r < 1"], "add --plot"),
    (["jacobian", "--system", "polar", "--plot", "/no/such/folder/p.png"], "cannot write"),
])
def test_cli_plot_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def edges(ax):
    lines = [line for line in ax.get_lines() if line.get_gid() == "region-edge"]
    assert lines, "the region's edges are drawn"
    return np.vstack([line.get_xydata() for line in lines])


def test_edges_lie_on_the_exact_curves_of_the_substitution():
    fig = plot_transform(SUBSTITUTION, "1 <= u <= 4, 2 <= v <= 3")
    ax_in, ax_out = fig.axes
    x, y = edges(ax_in).T
    u, v = x**2 / y, y**2 / x
    # each point is on one of the four parabolas u = 1, u = 4, v = 2, v = 3 ...
    off = np.min([abs(u - 1), abs(u - 4), abs(v - 2), abs(v - 3)], axis=0)
    assert off.max() < 1e-9
    # ... and inside the rectangle, up to rounding: the corners are exact too
    assert u.min() > 1 - 1e-9 and u.max() < 4 + 1e-9 and v.min() > 2 - 1e-9 and v.max() < 3 + 1e-9
    for corner in [(1, 2), (1, 3), (4, 2), (4, 3)]:
        assert np.min(np.hypot(u - corner[0], v - corner[1])) < 1e-9, corner
    # the image of the edges is the rectangle's sides, no staircase
    u_out, v_out = edges(ax_out).T
    off = np.min([abs(u_out - 1), abs(u_out - 4), abs(v_out - 2), abs(v_out - 3)], axis=0)
    assert off.max() < 1e-9


def test_annulus_has_exact_circles_and_no_seam():
    fig = plot_transform(sj.system("polar"), "1 <= x**2 + y**2 <= 4")
    ax_in, ax_out = fig.axes
    x, y = edges(ax_out).T
    radius = np.hypot(x, y)
    assert np.min([abs(radius - 1), abs(radius - 2)], axis=0).max() < 1e-9
    # no edge drawn along the ray theta = 0 (where theta = 0 and theta = 2*pi are glued)
    assert not np.any((radius > 1 + 1e-6) & (radius < 2 - 1e-6))
    # the circles close: points on both sides of the positive x-axis, within a small angle
    angle = np.mod(np.arctan2(y, x), 2 * np.pi)
    assert angle.min() < 0.02 and angle.max() > 2 * np.pi - 0.02
    r, theta = edges(ax_in).T
    on_sides = np.min([abs(r - 1), abs(r - 2)], axis=0) < 1e-9
    on_ends = np.min([abs(theta), abs(theta - 2 * np.pi)], axis=0) < 1e-9
    assert np.all(on_sides | on_ends) and on_sides.sum() > 50


def test_angle_ticks_are_multiples_of_pi():
    fig = plot_transform(sj.system("polar"), "1 <= x**2 + y**2 <= 4")
    ax_in = fig.axes[0]
    ticks = [t for t in ax_in.get_yticks() if ax_in.get_ylim()[0] <= t <= ax_in.get_ylim()[1]]
    assert np.allclose(np.array(ticks) / (np.pi / 2), np.round(np.array(ticks) / (np.pi / 2)))
    fig.canvas.draw()
    lo, hi = ax_in.get_ylim()
    labels = [t.get_text() for t in ax_in.get_yticklabels()
              if lo - 1e-9 <= t.get_position()[1] <= hi + 1e-9]
    assert labels == ["0", "π/2", "π", "3π/2", "2π"]
    # r is not an angle: plain decimal ticks
    assert "π" not in "".join(t.get_text() for t in ax_in.get_xticklabels())


@pytest.mark.parametrize("value, label", [
    (0.0, "0"), (np.pi / 4, "π/4"), (np.pi / 2, "π/2"), (np.pi, "π"), (3 * np.pi / 2, "3π/2"),
    (2 * np.pi, "2π"), (-np.pi / 2, "−π/2"), (5 * np.pi / 4, "5π/4"),
])
def test_pi_labels(value, label):
    from symjac.plotting import pi_label

    assert pi_label(value) == label


def test_grid_has_a_legend():
    fig = plot_transform(sj.system("polar"), "r < 1, theta < pi/2")
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["$r$ = const", r"$\theta$ = const", "the region", "its edges"]
    colours = [h.get_color() for h in legend.legend_handles[:2]]
    assert colours[0] != colours[1]
    grid_only = plot_transform(SUBSTITUTION, extent={"x": (1, 2), "y": (1, 2)})
    assert [t.get_text() for t in grid_only.legends[0].get_texts()] == ["$x$ = const", "$y$ = const"]


def test_quarter_disc_region_in_the_inputs_maps_to_an_exact_arc():
    fig = plot_transform(sj.system("polar"), "r < 1, theta < pi/2")
    x, y = edges(fig.axes[1]).T
    on_arc = np.abs(np.hypot(x, y) - 1) < 1e-9
    on_axes = (np.abs(x) < 1e-9) | (np.abs(y) < 1e-9)
    assert np.all(on_arc | on_axes) and on_arc.sum() > 50
    assert x.min() > -1e-9 and y.min() > -1e-9


@pytest.mark.parametrize("t, region", [
    (sj.system("polar"), "x > 0"),                                        # unbounded
    (sj.system("polar"), "x**2 + y**2 <= 2*x"),                           # touches r = 0
    (sj.Transform.from_equations("x = r*cos(t), y = r*sin(t)"), "r**2 < 1"),  # t unbounded
])
def test_regions_that_reach_an_edge_of_the_domain_or_have_none_are_drawn(t, region):
    # these used to fail with "the region has no points": the box grew without end
    fig = plot_transform(t, region)
    assert edges(fig.axes[0]).size


def test_the_edge_of_a_half_plane_is_its_exact_line():
    x, y = edges(plot_transform(sj.system("polar"), "x > 0").axes[1]).T
    assert np.abs(x).max() < 1e-9 and y.min() < -5 and y.max() > 5


def test_an_angle_among_the_outputs_gets_ticks_at_multiples_of_pi():
    t = sj.Transform.from_equations("r = sqrt(x**2 + y**2), theta = atan2(y, x)", domain="y > 0")
    fig = plot_transform(t, "1 <= r <= 2")
    ax_in, ax_out = fig.axes
    fig.canvas.draw()
    lo, hi = ax_out.get_ylim()
    labels = [tick.get_text() for tick in ax_out.get_yticklabels()
              if lo - 1e-9 <= tick.get_position()[1] <= hi + 1e-9]
    assert "π/2" in labels and all("π" in text or text == "0" for text in labels)
    assert "π" not in "".join(tick.get_text() for tick in ax_in.get_yticklabels())
    # the region is filled on both sides, and its image's edges are r = 1 and r = 2
    from matplotlib.patches import PathPatch

    assert any(isinstance(p, PathPatch) for p in ax_in.patches)
    assert any(isinstance(p, PathPatch) for p in ax_out.patches)
    r, _theta = edges(ax_out).T
    on_sides = np.min([abs(r - 1), abs(r - 2)], axis=0) < 1e-9
    assert on_sides.sum() > 50
