"""Read formulas written in LaTeX or with Unicode mathematics, as students type them online.

``to_plain_text(text)`` turns ``\\frac{x^2}{y}``, ``\\int_0^1 r\\,dr``, ``x²``, ``√x`` or ``½``
into the plain text that ``symjac.parsing`` reads (so the same whitelist, size and time limits
apply), with each character's column in the original. No ``eval``: a small recursive reader.
Identifiers are NFKC-normalised, as Python does; look-alikes from other scripts are refused.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ParseError
from .text import Rewriting
from .vocabulary import UNDEFINED_FUNCTION

__all__ = ["to_plain_text", "looks_like_latex", "normalise_name"]

_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
_SYMBOLS = {"·": "*", "⋅": "*", "×": "*", "÷": "/", "−": "-", "–": "-", "∞": "oo", "π": "pi",
            "≤": "<=", "≥": ">=", "≠": "!=", "∙": "*"}
_FRACTIONS = {"½": "(1/2)", "⅓": "(1/3)", "⅔": "(2/3)", "¼": "(1/4)", "¾": "(3/4)", "⅕": "(1/5)",
              "⅙": "(1/6)", "⅛": "(1/8)"}
#: letters of other scripts that look like Latin ones (a student's keyboard, or a trick)
_CONFUSABLE = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
               "ј": "j", "ѕ": "s", "ԁ": "d", "ο": "o", "ν": "v", "Α": "A", "Β": "B", "Ε": "E",
               "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
               "Τ": "T", "Χ": "X", "Υ": "Y", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
               "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"}


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "GREEK", "CYRILLIC"):
        if name.startswith(script) or f" {script} " in name:
            return script
    return "OTHER" if ch.isalpha() else ""


def _fail(text: str, at: int, message: str, hint: str) -> ParseError:
    return ParseError(f"{message} at column {at + 1} of {text!r}. {hint}", text=text, column=at + 1,
                      hint=hint)


def normalise_name(name: str) -> str:
    """A variable name as Python reads it (NFKC: fullwidth ``ｘ`` is ``x``).

    >>> from symjac.parsing.notation import normalise_name
    >>> normalise_name("ｘ")
    'x'
    """
    return unicodedata.normalize("NFKC", name)


def _check_identifiers(text: str) -> None:
    for m in re.finditer(r"[^\W\d_][\w]*", text):
        word = m.group()
        for k, ch in enumerate(word):
            if ch in _CONFUSABLE:
                raise _fail(text, m.start() + k,
                            f"{ch!r} ({unicodedata.name(ch, '?').title()}) looks like the Latin "
                            f"letter {_CONFUSABLE[ch]!r} but is not",
                            f"Type the Latin letter {_CONFUSABLE[ch]!r} (check the keyboard layout).")
        scripts = {_script(c) for c in normalise_name(word)} - {""}
        if len(scripts) > 1:
            raise _fail(text, m.start(), f"the name {word!r} mixes letters of different scripts "
                        f"({', '.join(sorted(s.title() for s in scripts))})",
                        "Write each name in one alphabet, e.g. theta or θ, not a mixture.")


def _unicode(text: str) -> tuple[str, list[int]]:
    """Unicode mathematics to plain text: superscripts, roots, fractions, operators, NFKC."""
    emit = Rewriting()
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            emit("**(" + "".join(_SUPERSCRIPTS[c] for c in text[i:j]) + ")", i)
            i = j
        elif ch == "√":
            emit("sqrt", i)
            j = i + 1
            if j < n and text[j] != "(":  # √x, √2: the next name or number
                m = re.compile(r"\d+(?:\.\d+)?|[^\W\d]\w*").match(text, j)
                if not m:
                    raise _fail(text, i, "'√' needs something to take the root of",
                                "Write √x or √(x + 1).")
                emit("(", j)
                for k, c in enumerate(m.group()):
                    emit(normalise_name(c), j + k)
                emit(")", m.end() - 1)
                j = m.end()
            i = j
        elif ch in _FRACTIONS:
            emit(_FRACTIONS[ch], i)
            i += 1
        elif ch in _SYMBOLS:
            emit(_SYMBOLS[ch], i)
            i += 1
        elif ord(ch) < 128:
            emit(ch, i)
            i += 1
        else:
            emit(normalise_name(ch), i)  # fullwidth ｘ -> x, as Python reads names
            i += 1
    return emit.result()


def looks_like_latex(text: str) -> bool:
    """True if ``text`` uses LaTeX markup (a backslash command, ``^{``/``_{`` or ``$``)."""
    return "\\" in text or "$" in text or re.search(r"[\^_]\{", text) is not None


def to_plain_text(text: str) -> tuple[str, list[int]]:
    """Plain formula text for ``text`` (LaTeX or Unicode), and for each character its source index.

    Raises:
        ParseError: For LaTeX that is not allowed or malformed, or look-alike letters;
            the column points into ``text``.

    >>> from symjac.parsing.notation import to_plain_text
    >>> to_plain_text(r"\\frac{x^2}{y}")[0]
    '((x**(2))/(y))'
    >>> to_plain_text("x² + √y·½")[0]
    'x**(2) + sqrt(y)*(1/2)'
    """
    _check_identifiers(text)
    if looks_like_latex(text):
        plain, where = _Latex(text).read()
        return plain, where
    if all(ord(c) < 128 for c in text):
        return text, list(range(len(text)))
    return _unicode(text)


# --------------------------------------------------------------------------- LaTeX

_FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh",
              "cosh", "tanh", "coth", "exp", "ln", "log", "arcsinh", "arccosh", "arctanh"}
_CALLED = {"atan2", "arctan2", "Mod", "max", "min", "Max", "Min"}  # \operatorname{...}(a, b)
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
          "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"}
_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho"}
_OPERATORS = {"cdot": "*", "times": "*", "div": "/", "le": "<=", "leq": "<=", "ge": ">=",
              "geq": ">=", "ne": "!=", "neq": "!=", "lt": "<", "gt": ">"}
_SPACES = {",", ";", ":", "!", " ", "quad", "qquad", "left", "right", "displaystyle", "big",
           "Big", "bigl", "bigr", "Bigl", "Bigr", "limits"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\s+|.", re.S)
_CLOSE = {"(": ")", "[": "]", "{": "}"}


class _Latex:
    """A recursive reader from LaTeX tokens to plain text, with explicit ``*`` for products."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        for m in _TOKEN.finditer(text):
            tok = m.group()
            if tok.isspace() or tok in ("$", "~") or (tok.startswith("\\") and tok[1:] in _SPACES):
                continue
            self.tokens.append((tok, m.start()))
        self.i = 0
        self.out: list[str] = []
        self.where: list[int] = []
        self.integrals = 0  # how many \int are waiting for their differential

    # -- plumbing
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.tokens[j][0] if j < len(self.tokens) else ""

    def pos(self) -> int:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else len(self.text)

    def take(self) -> str:
        tok = self.peek()
        self.i += 1
        return tok

    def emit(self, s: str, at: int | None = None) -> None:
        at = self.pos() if at is None else at
        self.out.extend(s)
        self.where.extend([min(at, max(len(self.text) - 1, 0))] * len(s))

    def fail(self, message: str, hint: str) -> ParseError:
        return _fail(self.text, min(self.pos(), max(len(self.text) - 1, 0)), message, hint)

    def expect(self, tok: str, hint: str) -> None:
        if self.peek() != tok:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.fail(f"expected {tok!r} but found {found}", hint)
        self.take()

    def read(self) -> tuple[str, list[int]]:
        self.expr(stop=())
        if self.i < len(self.tokens):
            raise self.fail(f"{self.peek()!r} does not belong here", "Check the braces and brackets.")
        return "".join(self.out), self.where

    # -- grammar
    def at_differential(self) -> bool:
        if not self.integrals:
            return False
        tok, nxt = self.peek(), self.peek(1)
        if tok == "\\mathrm" and self.peek(1) == "{" and self.peek(2) == "d" and self.peek(3) == "}":
            return True
        return tok == "d" and (nxt.isalpha() or nxt.lstrip("\\") in _GREEK | set(_VARIANTS))

    def starts_primary(self) -> bool:
        tok = self.peek()
        if not tok or tok in (")", "]", "}", "|", "^", "_", ",", "=", "<", ">", "+", "-", "*", "/", "&"):
            return False
        return tok[1:] not in _OPERATORS and tok != "\\right"

    def expr(self, stop: tuple[str, ...]) -> None:
        first = True
        while self.i < len(self.tokens) and self.peek() not in stop:
            tok = self.peek()
            if self.at_differential():
                return
            if tok in ("+", "-", "*", "/", "=", "<", ">", ","):
                self.emit(tok if tok != "=" else "=")
                self.take()
                first = True
                continue
            if tok.startswith("\\") and tok[1:] in _OPERATORS:
                self.emit(_OPERATORS[tok[1:]])
                self.take()
                first = True
                continue
            if not self.starts_primary():
                return
            if not first and not self.calls_undefined(tok):
                self.emit("*")
            self.factor()
            first = False

    def calls_undefined(self, tok: str) -> bool:
        """``f(x)`` right after the name ``f`` (or g, h, F, ...): a call, not a product."""
        if tok != "(":
            return False
        name = re.search(r"[A-Za-z0-9_]*$", "".join(self.out).rstrip()).group()
        return bool(UNDEFINED_FUNCTION.fullmatch(name))  # the whole name: x_h(y) stays a product

    def factor(self) -> None:
        self.primary()
        while self.peek() == "^":
            at = self.pos()
            self.take()
            self.emit("**(", at)
            self.argument()
            self.emit(")")
        if self.peek() in ("'", "!"):
            raise self.fail(f"{self.peek()!r} (a derivative or factorial) is not allowed",
                            "Write the derivative out, or use gamma(n + 1) for n!.")

    def argument(self) -> None:
        """The argument of ^, _, \\frac or \\sqrt: a {group} or a single token."""
        if self.peek() == "{":
            self.take()
            self.expr(stop=("}",))
            self.expect("}", "Close the brace.")
            return
        tok = self.peek()
        if not tok:
            raise self.fail("something is missing at the end", "Complete the formula.")
        if tok.isdigit() and len(tok) > 1:  # x^23 means x^{2}3 in LaTeX
            at = self.pos()
            self.tokens[self.i] = (tok[1:], at + 1)
            self.emit(tok[0], at)
            return
        self.primary()

    def primary(self) -> None:
        tok, at = self.peek(), self.pos()
        if not tok:
            raise self.fail("something is missing at the end", "Complete the formula.")
        if tok[0].isdigit() or (tok[0] == "." and len(tok) > 1):
            self.take()
            self.emit(tok, at)
        elif tok in _CLOSE:
            self.take()
            self.emit("(", at)
            self.expr(stop=(_CLOSE[tok],))
            self.emit(")")
            self.expect(_CLOSE[tok], f"Close it with {_CLOSE[tok]!r}.")
        elif tok == "|":
            self.take()
            self.emit("Abs(", at)
            self.expr(stop=("|",))
            self.emit(")")
            self.expect("|", "Close the absolute value with '|'.")
        elif tok.startswith("\\"):
            self.command(tok[1:], at)
        elif tok.isalpha():
            self.take()
            self.name("E" if tok == "e" else tok, at)
        else:
            raise self.fail(f"{tok!r} is not allowed here",
                            "Use numbers, letters, + - * / ^, \\frac, \\sqrt and braces.")

    def name(self, name: str, at: int) -> None:
        if self.peek() == "_" and name != "E":
            self.take()
            start = self.i
            if self.peek() == "{":
                self.take()
                while self.peek() and self.peek() != "}":
                    self.take()
                self.expect("}", "Close the subscript.")
                parts = [t for t, _ in self.tokens[start + 1:self.i - 1]]
            else:
                parts = [self.take()]
            sub = "".join(p.lstrip("\\") for p in parts)
            if not re.fullmatch(r"\w+", sub):
                raise _fail(self.text, at, f"the subscript {sub!r} is not a plain name or number",
                            "Write subscripts like x_1 or x_{12}.")
            name = f"{name}_{sub}"
        self.emit(name, at)

    def command(self, cmd: str, at: int) -> None:
        self.take()
        if cmd in ("frac", "dfrac", "tfrac"):
            self.emit("((", at)
            self.argument()
            self.emit(")/(")
            self.argument()
            self.emit("))")
        elif cmd == "sqrt":
            if self.peek() == "[":
                self.take()
                mark = len(self.out)
                self.expr(stop=("]",))
                degree = self.out[mark:], self.where[mark:]
                del self.out[mark:], self.where[mark:]
                self.expect("]", "Close the root's degree with ']'.")
                self.emit("((", at)
                self.argument()
                self.emit(")**(1/(")
                self.out.extend(degree[0])
                self.where.extend(degree[1])
                self.emit(")))")
            else:
                self.emit("sqrt(", at)
                self.argument()
                self.emit(")")
        elif cmd in _GREEK or cmd in _VARIANTS:
            self.name(_VARIANTS.get(cmd, cmd), at)
        elif cmd == "pi":
            self.emit("pi", at)
        elif cmd == "infty":
            self.emit("oo", at)
        elif cmd in ("mathrm", "text", "operatorname", "mathit"):
            self.named(cmd, at)
        elif cmd in _FUNCTIONS:
            self.function(cmd, at)
        elif cmd in ("max", "min") and self.peek() == "(":
            self.emit(cmd.capitalize(), at)  # \min(X_1, X_2)
            self.primary()
        elif cmd in ("int", "iint", "iiint"):
            if cmd != "int":
                raise _fail(self.text, at, f"\\{cmd} is not read", "Write one \\int per variable.")
            self.integral(at)
        elif cmd in _OPERATORS:
            raise _fail(self.text, at, f"\\{cmd} needs something on its left", "Complete the formula.")
        else:
            raise _fail(self.text, at, f"the LaTeX command \\{cmd} is not allowed",
                        "Allowed are \\frac, \\sqrt, \\int, \\cdot, \\times, \\pi, \\infty, Greek "
                        "letters, \\sin, \\cos, \\exp, \\ln, \\log, ..., \\min(a, b), \\max(a, b) "
                        "and \\operatorname{atan2}(y, x)")

    def named(self, cmd: str, at: int) -> None:
        """``\\mathrm{e}``, ``\\operatorname{atan2}(y, x)``, ``\\mathrm{Var}``: a name in braces."""
        self.expect("{", "Put the name in braces.")
        word = ""
        while self.peek() and self.peek() != "}":
            word += self.take()
        self.expect("}", "Close the brace.")
        if word == "e":
            self.emit("E", at)
        elif word in _FUNCTIONS:
            self.function(word, at)
        elif word in _CALLED and self.peek() == "(":
            self.emit(word, at)  # \operatorname{atan2}(y, x): its arguments, not a product
            self.primary()
        elif re.fullmatch(r"[A-Za-z]\w*", word):
            self.emit(word, at)
        else:
            raise _fail(self.text, at, f"\\{cmd}{{{word}}} is not a name", "Write a plain name.")

    def function(self, cmd: str, at: int) -> None:
        name = {"arcsin": "asin", "arccos": "acos", "arctan": "atan"}.get(cmd, cmd)
        power_out: list[str] = []
        power_where: list[int] = []
        base_out: list[str] | None = None
        if self.peek() == "_" and cmd == "log":
            self.take()
            mark = len(self.out)
            self.argument()
            base_out = self.out[mark:]
            del self.out[mark:], self.where[mark:]
        if self.peek() == "^":
            self.take()
            mark = len(self.out)
            self.argument()
            power_out, power_where = self.out[mark:], self.where[mark:]
            del self.out[mark:], self.where[mark:]
            if "".join(power_out).replace(" ", "") in ("-1", "(-1)"):
                raise _fail(self.text, at, f"\\{cmd}^{{-1}} is ambiguous",
                            f"Write \\arc{cmd} for the inverse, or (\\{cmd} x)^{{-1}} for 1/\\{cmd} x.")
        self.emit(name + "(", at)
        if self.peek() in ("(", "{", "["):
            self.primary()
        else:  # \sin 2x, \sin\theta: the product of the next factors
            first = True
            while self.starts_primary() and not self.at_differential() and \
                    self.peek().lstrip("\\") not in _FUNCTIONS and self.peek() != "\\int":
                if not first:
                    self.emit("*")
                self.factor()
                first = False
            if first:
                raise _fail(self.text, at, f"\\{cmd} has no argument", f"Write \\{cmd} x or \\{cmd}(x).")
        if base_out is not None:
            self.emit(", " + "".join(base_out))
        self.emit(")")
        if power_out:
            self.emit("**(")
            self.out.extend(power_out)
            self.where.extend(power_where)
            self.emit(")")

    def integral(self, at: int) -> None:
        bounds: dict[str, tuple[list[str], list[int]]] = {}
        while self.peek() in ("_", "^") and self.peek() not in bounds:
            key = self.take()
            mark = len(self.out)
            self.argument()
            bounds[key] = (self.out[mark:], self.where[mark:])
            del self.out[mark:], self.where[mark:]
        if len(bounds) == 1:
            raise _fail(self.text, at, "this integral has only one bound",
                        "Give both, as in \\int_0^1, or neither.")
        self.emit("Integral(", at)
        self.integrals += 1
        self.expr(stop=())
        self.integrals -= 1
        if not self.at_differential_now():
            raise _fail(self.text, at, "this integral has no differential such as dx",
                        "End the integrand with d and the variable, as in \\int_0^1 x^2\\,dx.")
        var_at = self.pos()
        if self.peek() == "\\mathrm":
            self.i += 4
        else:
            self.take()
        var = self.take().lstrip("\\")
        var = _VARIANTS.get(var, var)
        if bounds:
            self.emit(f", ({var}, ", var_at)
            for key, sep in (("_", ", "), ("^", "))")):
                self.out.extend(bounds[key][0])
                self.where.extend(bounds[key][1])
                self.emit(sep, var_at)
        else:
            self.emit(f", {var})", var_at)

    def at_differential_now(self) -> bool:
        self.integrals += 1
        try:
            return self.at_differential()
        finally:
            self.integrals -= 1
