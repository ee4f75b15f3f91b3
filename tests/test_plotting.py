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
