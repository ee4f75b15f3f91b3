"""Laws of inverses on random invertible affine and monomial maps: compose(t, branch) is the
identity on the branch's domain and det J_t * det J_branch = 1.

(Kept apart from tests/test_inverse.py so that hypothesis, which watches garbage
collection, is first imported after the tests of tiny time limits.)
"""

import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import symjac as sj
from symjac import Transform, compose, invert


# ---------------------------------------------------------------------- laws


def _check_round_trip(t: Transform, branch: Transform) -> None:
    """compose(t, branch) is the identity on the branch's domain, and det J_t * det J_branch = 1."""
    fresh = {s: sp.Symbol(s.name + "_", **s.assumptions0) for s in branch.inputs}
    renamed = Transform(tuple(fresh.values()), tuple(e.xreplace(fresh) for e in branch.exprs),
                        branch.outputs, tuple(sj.domains.substitute_condition(c, fresh)
                                              for c in branch.domain), branch.parameters)
    back = compose(t, renamed)
    assert [o.name for o in back.outputs] == [s.name for s in branch.inputs]
    for e, y in zip(back.exprs, renamed.inputs):
        assert sp.simplify(e - y) == 0
    det_t = sj.jacobian_determinant(t).xreplace(dict(zip(t.inputs, branch.exprs)))
    assert sp.simplify(det_t * sj.jacobian_determinant(branch) - 1) == 0


matrices = st.lists(st.integers(-4, 4), min_size=4, max_size=4).filter(
    lambda m: m[0] * m[3] - m[1] * m[2] != 0)


@given(matrices, st.integers(-3, 3), st.integers(-3, 3))
def test_affine_round_trip_and_determinants(m, b1, b2):
    t = Transform.from_equations(f"u = {m[0]}*x + {m[1]}*y + {b1}, v = {m[2]}*x + {m[3]}*y + {b2}")
    (branch,) = invert(t)
    _check_round_trip(t, branch)


@given(matrices, st.integers(1, 3), st.integers(1, 3))
def test_monomial_round_trip_and_determinants(m, c1, c2):
    t = Transform.from_equations(f"u = {c1}*x**({m[0]})*y**({m[1]}), v = {c2}*x**({m[2]})*y**({m[3]})",
                                 domain="x > 0, y > 0")
    (branch,) = invert(t)
    assert all(isinstance(c, sp.Rel) and c.rhs == 0 for c in branch.domain)  # u > 0, v > 0
    _check_round_trip(t, branch)
