"""The textbook corpus (tests/corpus.py): published answers verified in the original
coordinates by SciPy, and symjac never returning a value that disagrees with them.

The fast part runs here (every problem in the text form, every form for a sample, and the
claims for the checker); ``python -m bench corpus`` runs the whole matrix with timings.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

import symjac as sj

from corpus import CLAIMS, FORMS, PROBLEMS, inputs, run, verify

ONE_AND_TWO_D = [k for k, p in enumerate(PROBLEMS) if p[4] == "polar" or not isinstance(p[4], str)]
SAMPLE = [0, 1, 13, 22, 27, 35, 45, 60, 63, 70, 82]
FAST_3D = [33, 34, 45, 46, 50, 56]  # the other 3-D cases take 5-30 s each: python -m bench corpus


def test_the_corpus_is_large_enough():
    assert len(PROBLEMS) >= 80


@pytest.mark.parametrize("k", ONE_AND_TWO_D)
def test_published_answer_is_verified_in_the_original_coordinates(k):
    answer = complex(sp.N(sp.parse_expr(PROBLEMS[k][5]), 20))
    assert verify(PROBLEMS[k]) == pytest.approx(answer.real, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("k", [k for k in range(len(PROBLEMS)) if k not in ONE_AND_TWO_D][:3])
def test_three_dimensional_answers_are_verified_too(k):  # the rest: python -m bench corpus
    answer = complex(sp.N(sp.parse_expr(PROBLEMS[k][5]), 20))
    assert verify(PROBLEMS[k]) == pytest.approx(answer.real, rel=1e-5)


@pytest.mark.parametrize("k", ONE_AND_TWO_D + FAST_3D)
def test_text_form_gives_the_published_value(k):
    outcome, _, detail = run(PROBLEMS[k], "text")
    assert outcome in ("exact", "numeric"), detail


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("k", SAMPLE)
def test_every_form_gives_the_same_value(k, form):
    outcome, _, detail = run(PROBLEMS[k], form)
    assert outcome in ("exact", "numeric"), detail


@pytest.mark.parametrize("k, claim, correct", CLAIMS)
def test_checker_grades_claims_right_and_wrong(k, claim, correct):
    integral, region, t = inputs(PROBLEMS[k], "text")
    report = sj.check_substitution(integral, claim, t, region=region)
    assert report.verdict == ("correct" if correct else "incorrect"), report.diagnosis


def test_results_come_back_in_the_callers_symbols():
    x, y, r, theta = sp.symbols("x y r theta")
    ci = sj.change_variables(sp.Integral(x**2 + y**2, (y, -sp.sqrt(1 - x**2), sp.sqrt(1 - x**2)),
                                         (x, -1, 1)), sj.system("polar"))
    assert ci.integrand == r**3 and ci.value == sp.pi / 2
    assert ci.old_variables == (x, y)


def test_evalf_is_a_number_and_the_evidence_stays():
    ci = sj.change_variables("1", sj.system("polar"), region="x**2 + y**2 <= 1")
    assert math.isclose(float(ci.evalf()), math.pi) and float(sp.N(ci.evalf())) > 3
    assert ci.quadrature().converged and ci.numeric is not None
