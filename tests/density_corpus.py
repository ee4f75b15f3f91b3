"""Published textbook density problems: the density of Y = g(X), with its support.

Each problem is a ``Problem``: the density of the old variables (``pdf`` on ``support``), the map,
the published answer (``answer`` on ``answer_support``, in ``y``), the distribution of each old
variable for sampling (``dists``) and values for the symbolic parameters (``params``). The tests
check every answer independently of symjac (it integrates to 1; it matches a Monte Carlo sample
of g(X) drawn with NumPy from the old variables) and then symjac against it. ``kind="order"``
problems are the k-th smallest of n copies (``order = (n, k)``).

Sources, by section (the standard examples and exercises there):
Casella & Berger, *Statistical Inference* 2nd ed. (C&B) §2.1, §3.3, §4.3, §4.6, §5.3, §5.4;
Hogg, McKean & Craig, *Introduction to Mathematical Statistics* 8th ed. (HMC) §1.7, §2.2,
§3.3, §3.4, §3.6, §4.4; Wackerly, Mendenhall & Scheaffer, *Mathematical Statistics with
Applications* 7th ed. (WMS) §6.3, §6.4, §6.6, §6.7; Ross, *A First Course in Probability* 9th ed.
§5.7, §6.3, §6.6, §6.7.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PHI = "exp(-x**2/2)/sqrt(2*pi)"
PHI2 = "exp(-(x1**2 + x2**2)/2)/(2*pi)"
PHI3 = "exp(-(x1**2 + x2**2 + x3**2)/2)/(2*pi)**(3/2)"


@dataclass(frozen=True)
class Problem:
    source: str
    pdf: str
    map: str | None
    inputs: str
    support: str | None
    answer: str
    answer_support: str | None
    dists: tuple
    params: dict = field(default_factory=dict)
    family: str | None = None
    kind: str = "map"
    order: tuple[int, int] = (0, 0)
    outside: tuple[float, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.source}: {self.map or f'order {self.order}'}"


N01 = ("norm", 0, 1)
U01 = ("unif", 0, 1)
E1 = ("expon", 1)

PROBLEMS = [
    # ---- one variable, one branch
    Problem("C&B §2.1 (X ~ N(0,1))", PHI, "y = exp(x)", "x", None,
            "exp(-log(y)**2/2)/(y*sqrt(2*pi))", "y > 0", (N01,), family="LogNormal",
            outside=(-1.0,)),
    Problem("C&B §3.5 location-scale", PHI, "y = mu + sigma*x", "x", "sigma > 0",
            "exp(-(y - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))", None, (N01,),
            {"mu": 0.5, "sigma": 1.3}, family="Normal"),
    Problem("WMS §6.4 (U ~ U(0,1))", "1", "y = -log(u)", "u", "0 < u < 1", "exp(-y)", "y > 0",
            (U01,), family="Exponential", outside=(-0.5,)),
    Problem("C&B §2.1 (U ~ U(0,1))", "1", "y = -2*log(u)", "u", "0 < u < 1", "exp(-y/2)/2",
            "y > 0", (U01,), family="Exponential", outside=(-0.5,)),
    Problem("Ross §5.7 (inverse transform)", "1", "y = -log(u)/lam", "u", "0 < u < 1, lam > 0",
            "lam*exp(-lam*y)", "y > 0", (U01,), {"lam": 1.5}, family="Exponential",
            outside=(-0.5,)),
    Problem("WMS §6.4 (U ~ U(0,1))", "1", "y = u**2", "u", "0 < u < 1", "1/(2*sqrt(y))",
            "0 < y < 1", (U01,), family="Beta", outside=(1.5, -0.5)),
    Problem("WMS §6.4 (U ~ U(0,1))", "1", "y = sqrt(u)", "u", "0 < u < 1", "2*y", "0 < y < 1",
            (U01,), family="Beta", outside=(1.5,)),
    Problem("HMC §1.7 (U ~ U(0,1))", "1", "y = u**3", "u", "0 < u < 1", "y**(-2/3)/3",
            "0 < y < 1", (U01,), family="Beta", outside=(1.5,)),
    Problem("HMC §1.7 (U ~ U(0,1))", "1", "y = 3*u + 1", "u", "0 < u < 1", "1/3", "1 < y < 4",
            (U01,), family="Uniform", outside=(0.5, 4.5)),
    Problem("Ross §5.7 (U ~ U(0,1))", "1", "y = 1/u", "u", "0 < u < 1", "1/y**2", "y > 1",
            (U01,), family="Pareto", outside=(0.5,)),
    Problem("C&B §3.3 Pareto (U ~ U(0,1))", "1", "y = u**(-1/a)", "u", "0 < u < 1, a > 0",
            "a/y**(a + 1)", "y > 1", (U01,), {"a": 2.5}, family="Pareto", outside=(0.5,)),
    Problem("C&B §3.3 logistic (U ~ U(0,1))", "1", "y = log(u/(1 - u))", "u", "0 < u < 1",
            "1/(4*cosh(y/2)**2)", None, (U01,), family="Logistic"),
    Problem("C&B §3.3 Gumbel (X ~ Exp(1))", "exp(-x)", "y = -log(x)", "x", "x > 0",
            "exp(-y - exp(-y))", None, (E1,), family="Gumbel"),
    Problem("C&B §3.3 Weibull (X ~ Exp(1))", "exp(-x)", "y = x**(1/k)", "x", "x > 0, k > 0",
            "k*y**(k - 1)*exp(-y**k)", "y > 0", (E1,), {"k": 2.5}, family="Weibull",
            outside=(-0.5,)),
    Problem("WMS §6.4 (X ~ Exp(1))", "exp(-x)", "y = sqrt(x)", "x", "x > 0",
            "2*y*exp(-y**2)", "y > 0", (E1,), family="Rayleigh", outside=(-0.5,)),
    Problem("HMC §3.3 (X ~ Exp(lam))", "lam*exp(-lam*x)", "y = exp(-x)", "x", "x > 0, lam > 0",
            "lam*y**(lam - 1)", "0 < y < 1", (("expon", "lam"),), {"lam": 1.5}, family="Beta",
            outside=(1.5,)),
    Problem("C&B §3.3 inverse gamma (X ~ Gamma(a, 1))", "x**(a - 1)*exp(-x)/gamma(a)", "y = 1/x",
            "x", "x > 0, a > 0", "y**(-a - 1)*exp(-1/y)/gamma(a)", "y > 0",
            (("gamma", "a", 1),), {"a": 2.5}, family="InverseGamma", outside=(-0.5,)),
    Problem("C&B §3.3 beta prime (X ~ Beta(a, b))",
            "x**(a - 1)*(1 - x)**(b - 1)*gamma(a + b)/(gamma(a)*gamma(b))", "y = x/(1 - x)", "x",
            "0 < x < 1, a > 0, b > 0", "y**(a - 1)*(1 + y)**(-a - b)*gamma(a + b)/(gamma(a)*gamma(b))",
            "y > 0", (("beta", "a", "b"),), {"a": 2.5, "b": 3.5}, family="BetaPrime",
            outside=(-0.5,)),
    Problem("HMC §3.6 log-logistic (U ~ U(0,1))", "1", "y = (u/(1 - u))**(1/b)", "u",
            "0 < u < 1, b > 0", "b*y**(b - 1)/(1 + y**b)**2", "y > 0", (U01,), {"b": 2.5},
            family="LogLogistic", outside=(-0.5,)),
    Problem("Ross §5.7 Cauchy (X ~ U(-pi/2, pi/2))", "1/pi", "y = tan(x)", "x", "-pi/2 < x < pi/2",
            "1/(pi*(1 + y**2))", None, (("unif", "-pi/2", "pi/2"),), family="Cauchy"),
    Problem("C&B §2.1 (X ~ Cauchy)", "1/(pi*(1 + x**2))", "y = 1/x", "x", None,
            "1/(pi*(1 + y**2))", None, (("cauchy",),), family="Cauchy"),
    Problem("C&B §2.1 (X ~ N(0,1))", PHI, "y = x**3", "x", None,
            "exp(-Abs(y)**(2/3)/2)/(3*sqrt(2*pi)*Abs(y)**(2/3))", None, (N01,)),
    # ---- one variable, several branches
    Problem("C&B §2.1 chi-squared (X ~ N(0,1))", PHI, "y = x**2", "x", None,
            "exp(-y/2)/sqrt(2*pi*y)", "y > 0", (N01,), family="ChiSquared", outside=(-1.0,)),
    Problem("C&B §2.1 half-normal (X ~ N(0,1))", PHI, "y = Abs(x)", "x", None,
            "sqrt(2/pi)*exp(-y**2/2)", "y > 0", (N01,), family="HalfNormal", outside=(-1.0,)),
    Problem("C&B §3.3 Lévy (Z ~ N(0,1))", PHI, "y = 1/x**2", "x", None,
            "exp(-1/(2*y))/(sqrt(2*pi)*y**(3/2))", "y > 0", (N01,), family="Levy",
            outside=(-1.0,)),
    Problem("WMS §6.4 (X ~ U(-1,1))", "1/2", "y = x**2", "x", "-1 < x < 1", "1/(2*sqrt(y))",
            "0 < y < 1", (("unif", -1, 1),), family="Beta", outside=(1.5, -0.5)),
    Problem("HMC §2.2-style (X ~ U(-1,2))", "1/3", "y = x**2", "x", "-1 < x < 2",
            "Piecewise((1/(3*sqrt(y)), y < 1), (1/(6*sqrt(y)), True))", "0 < y < 4",
            (("unif", -1, 2),), outside=(4.5, -0.5)),
    Problem("Ross §5.7 arcsine (X ~ U(0, 2pi))", "1/(2*pi)", "y = sin(x)", "x", "0 < x < 2*pi",
            "1/(pi*sqrt(1 - y**2))", "-1 < y < 1", (("unif", 0, "2*pi"),), outside=(1.5,)),
    # ---- two and more variables
    Problem("C&B §4.3 (X1, X2 ~ Exp(lam))", "lam**2*exp(-lam*(x1 + x2))", "y = x1 + x2", "x1 x2",
            "x1 > 0, x2 > 0, lam > 0", "lam**2*y*exp(-lam*y)", "y > 0",
            (("expon", "lam"), ("expon", "lam")), {"lam": 1.5}, family="Gamma", outside=(-0.5,)),
    Problem("WMS §6.6 (three Exp(lam))", "lam**3*exp(-lam*(x1 + x2 + x3))", "y = x1 + x2 + x3",
            "x1 x2 x3", "x1 > 0, x2 > 0, x3 > 0, lam > 0", "lam**3*y**2*exp(-lam*y)/2", "y > 0",
            (("expon", "lam"),) * 3, {"lam": 1.5}, family="Gamma", outside=(-0.5,)),
    Problem("HMC §3.3 (Gamma(2) + Gamma(3))", "x1*exp(-x1)*x2**2*exp(-x2)/2", "y = x1 + x2",
            "x1 x2", "x1 > 0, x2 > 0", "y**4*exp(-y)/24", "y > 0",
            (("gamma", 2, 1), ("gamma", 3, 1)), family="Gamma", outside=(-0.5,)),
    Problem("HMC §3.3 (Gamma(a) + Gamma(b))",
            "x1**(a - 1)*exp(-x1)/gamma(a)*x2**(b - 1)*exp(-x2)/gamma(b)", "y = x1 + x2", "x1 x2",
            "x1 > 0, x2 > 0, a > 0, b > 0", "y**(a + b - 1)*exp(-y)/gamma(a + b)", "y > 0",
            (("gamma", "a", 1), ("gamma", "b", 1)), {"a": 2.5, "b": 1.5}, family="Gamma",
            outside=(-0.5,)),
    Problem("HMC §3.4 (chi2_1 + chi2_1)", "exp(-(x1 + x2)/2)/(2*pi*sqrt(x1*x2))", "y = x1 + x2",
            "x1 x2", "x1 > 0, x2 > 0", "exp(-y/2)/2", "y > 0", (("chi2", 1), ("chi2", 1)),
            family="Exponential", outside=(-0.5,)),
    Problem("WMS §6.6 triangular (U1 + U2)", "1", "y = u1 + u2", "u1 u2", "0 < u1 < 1, 0 < u2 < 1",
            "Piecewise((y, y < 1), (2 - y, True))", "0 < y < 2", (U01, U01), family="Triangular",
            outside=(2.5, -0.5)),
    Problem("Ross §6.3 Irwin-Hall (U1 + U2 + U3)", "1", "y = u1 + u2 + u3", "u1 u2 u3",
            "0 < u1 < 1, 0 < u2 < 1, 0 < u3 < 1",
            "Piecewise((y**2/2, y < 1), (-y**2 + 3*y - 3/2, y < 2), (y**2/2 - 3*y + 9/2, True))",
            "0 < y < 3", (U01, U01, U01), outside=(3.5, -0.5)),
    Problem("WMS §6.6 (U1*U2)", "1", "y = u1*u2", "u1 u2", "0 < u1 < 1, 0 < u2 < 1", "-log(y)",
            "0 < y < 1", (U01, U01), outside=(1.5, -0.5)),
    Problem("Ross §6.3 (X1 + X2, N(0,1))", PHI2, "y = x1 + x2", "x1 x2", None,
            "exp(-y**2/4)/(2*sqrt(pi))", None, (N01, N01), family="Normal"),
    Problem("Ross §6.3 (X1 - X2, N(0,1))", PHI2, "y = x1 - x2", "x1 x2", None,
            "exp(-y**2/4)/(2*sqrt(pi))", None, (N01, N01), family="Normal"),
    Problem("C&B §4.5 (bivariate normal, correlation rho)",
            "exp(-(x1**2 - 2*rho*x1*x2 + x2**2)/(2*(1 - rho**2)))/(2*pi*sqrt(1 - rho**2))",
            "y = x1 + x2", "x1 x2", "-1 < rho < 1",
            "exp(-y**2/(4*(1 + rho)))/sqrt(4*pi*(1 + rho))", None, (("binorm", "rho"),),
            {"rho": 0.4}, family="Normal"),
    Problem("C&B §4.3 Laplace (X1 - X2, Exp(1))", "exp(-x1 - x2)", "y = x1 - x2", "x1 x2",
            "x1 > 0, x2 > 0", "exp(-Abs(y))/2", None, (E1, E1), family="Laplace"),
    Problem("C&B §4.3 Cauchy (X1/X2, N(0,1))", PHI2, "y = x1/x2", "x1 x2", None,
            "1/(pi*(1 + y**2))", None, (N01, N01), family="Cauchy"),
    Problem("C&B §4.3 beta (X/(X+Y), Gamma(a), Gamma(b))",
            "x**(a - 1)*y**(b - 1)*exp(-x - y)/(gamma(a)*gamma(b))", "u = x/(x + y)", "x y",
            "x > 0, y > 0, a > 0, b > 0",
            "u**(a - 1)*(1 - u)**(b - 1)*gamma(a + b)/(gamma(a)*gamma(b))", "0 < u < 1",
            (("gamma", "a", 1), ("gamma", "b", 1)), {"a": 2.5, "b": 1.5}, family="Beta",
            outside=(1.5,)),
    Problem("C&B §5.3 Student t(nu)",
            "exp(-x1**2/2)/sqrt(2*pi)*x2**(nu/2 - 1)*exp(-x2/2)/(2**(nu/2)*gamma(nu/2))",
            "y = x1/sqrt(x2/nu)", "x1 x2", "x2 > 0, nu > 0",
            "gamma((nu + 1)/2)/(sqrt(nu*pi)*gamma(nu/2))*(1 + y**2/nu)**(-(nu + 1)/2)", None,
            (N01, ("chi2", "nu")), {"nu": 5}, family="StudentT"),
    Problem("C&B §5.3 F(d1, d2)",
            "x1**(d1/2 - 1)*exp(-x1/2)/(2**(d1/2)*gamma(d1/2))*x2**(d2/2 - 1)*exp(-x2/2)"
            "/(2**(d2/2)*gamma(d2/2))", "y = (x1/d1)/(x2/d2)", "x1 x2", "x1 > 0, x2 > 0, d1 > 0, d2 > 0",
            "gamma((d1 + d2)/2)/(gamma(d1/2)*gamma(d2/2))*(d1/d2)**(d1/2)*y**(d1/2 - 1)"
            "*(1 + d1*y/d2)**(-(d1 + d2)/2)", "y > 0", (("chi2", "d1"), ("chi2", "d2")),
            {"d1": 4, "d2": 7}, family="F", outside=(-0.5,)),
    Problem("C&B §4.6 Rayleigh (N(0, s^2) pair)",
            "exp(-(x1**2 + x2**2)/(2*s**2))/(2*pi*s**2)", "y = sqrt(x1**2 + x2**2)", "x1 x2", "s > 0",
            "y*exp(-y**2/(2*s**2))/s**2", "y > 0", (("norm", 0, "s"), ("norm", 0, "s")),
            {"s": 0.7}, family="Rayleigh", outside=(-0.5,)),
    Problem("C&B §4.6 Maxwell (N(0, s^2) triple)",
            "exp(-(x1**2 + x2**2 + x3**2)/(2*s**2))/((2*pi)**(3/2)*s**3)",
            "y = sqrt(x1**2 + x2**2 + x3**2)", "x1 x2 x3", "s > 0",
            "sqrt(2/pi)*y**2*exp(-y**2/(2*s**2))/s**3", "y > 0", (("norm", 0, "s"),) * 3,
            {"s": 0.7}, family="Maxwell", outside=(-0.5,)),
    Problem("HMC §3.4 chi (3 normals)", PHI3, "y = sqrt(x1**2 + x2**2 + x3**2)", "x1 x2 x3",
            None, "sqrt(2/pi)*y**2*exp(-y**2/2)", "y > 0", (N01,) * 3, family="Maxwell",
            outside=(-0.5,)),
    Problem("C&B §4.6 (X1**2 + X2**2, N(0,1))", PHI2, "y = x1**2 + x2**2", "x1 x2", None,
            "exp(-y/2)/2", "y > 0", (N01, N01), family="Exponential", outside=(-0.5,)),
    # ---- choices and order statistics
    Problem("Ross §6.6 (min of two Exp(1))", "exp(-x1 - x2)", "y = Min(x1, x2)", "x1 x2",
            "x1 > 0, x2 > 0", "2*exp(-2*y)", "y > 0", (E1, E1), family="Exponential",
            outside=(-0.5,)),
    Problem("WMS §6.7 (max of two U(0,1))", "1", "y = Max(u1, u2)", "u1 u2",
            "0 < u1 < 1, 0 < u2 < 1", "2*y", "0 < y < 1", (U01, U01), family="Beta",
            outside=(1.5,)),
    Problem("WMS §6.7 (max of two Exp(lam))", "lam**2*exp(-lam*(x1 + x2))", "y = Max(x1, x2)",
            "x1 x2", "x1 > 0, x2 > 0, lam > 0", "2*lam*exp(-lam*y)*(1 - exp(-lam*y))", "y > 0",
            (("expon", "lam"), ("expon", "lam")), {"lam": 1.5}, outside=(-0.5,)),
    Problem("Ross §6.3 (|U1 - U2|)", "1", "y = Abs(u1 - u2)", "u1 u2", "0 < u1 < 1, 0 < u2 < 1",
            "2*(1 - y)", "0 < y < 1", (U01, U01), family="Beta", outside=(1.5,)),
    Problem("C&B §5.4 (median of 3 U(0,1))", "1", None, "x", "0 < x < 1", "6*y*(1 - y)",
            "0 < y < 1", (U01,), family="Beta", kind="order", order=(3, 2), outside=(1.5,)),
    Problem("C&B §5.4 (max of 5 U(0,1))", "1", None, "x", "0 < x < 1", "5*y**4", "0 < y < 1",
            (U01,), family="Beta", kind="order", order=(5, 5), outside=(1.5,)),
    Problem("HMC §4.4 (min of 4 Exp(lam))", "lam*exp(-lam*x)", None, "x", "x > 0, lam > 0",
            "4*lam*exp(-4*lam*y)", "y > 0", (("expon", "lam"),), {"lam": 1.5},
            family="Exponential", kind="order", order=(4, 1), outside=(-0.5,)),
    Problem("WMS §6.7 (2nd of 4 U(0,1))", "1", None, "x", "0 < x < 1", "12*y*(1 - y)**2",
            "0 < y < 1", (U01,), family="Beta", kind="order", order=(4, 2), outside=(1.5,)),
    Problem("HMC §4.4 (max of 3 Exp(1))", "exp(-x)", None, "x", "x > 0",
            "3*exp(-y)*(1 - exp(-y))**2", "y > 0", (E1,), kind="order", order=(3, 3),
            outside=(-0.5,)),
]
