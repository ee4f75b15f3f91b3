"""LaTeX from ``symjac.latex.to_latex`` cut into pieces that KaTeX typesets in a browser.

``to_latex(result, steps=True)`` writes the result, then the derivation as an ``align*``
environment whose sentences are ``\\intertext{...}``. KaTeX has no ``\\intertext`` (and a
sentence typeset as mathematics would not wrap on a phone), so the page gets the LaTeX as a
list of blocks: ``{"kind": "math", "tex": ...}`` for display formulas (the aligned lines
between two sentences) and ``{"kind": "text", "parts": [...]}`` for a sentence, whose parts
are plain text (``{"text": ...}``) or inline formulas (``{"math": ...}``). Only the LaTeX
itself is read, never how it was made, so the page follows the printer's changes.
"""

from __future__ import annotations

import re

__all__ = ["katex_blocks", "text_parts"]

_SENTENCES = ("\\intertext", "\\shortintertext")
_ALIGN = re.compile(r"\\begin\{align\*?\}(.*?)\\end\{align\*?\}", re.S)
_SIMPLE_ESCAPES = {r"\_": "_", r"\%": "%", r"\&": "&", r"\#": "#", r"\$": "$", r"\{": "{",
                   r"\}": "}", r"\~{}": "~", r"\^{}": "^", r"\textbackslash{}": "\\",
                   r"\ldots{}": "…", r"\ldots": "…", r"\,": " ", "~": " ", "``": "“", "''": "”"}
_WRAPPERS = re.compile(r"\\(?:textbf|textit|emph|textrm|textsf|texttt|textnormal)\{([^{}\\]*)\}")


def _group_end(text: str, start: int) -> int:
    """The index just after the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced braces")


_KATEX_TEXT = {"\\~{}": "\\textasciitilde{}", "\\^{}": "\\textasciicircum{}"}
_LONG_TEXT = 40  # a \\text{...} this long in a formula is a sentence: it goes on its own line


def _for_katex(tex: str) -> str:
    for latex, katex in _KATEX_TEXT.items():
        tex = tex.replace(latex, katex)
    return tex


def _math_block(tex: str, *, aligned: bool) -> dict | None:
    body = _for_katex(tex).strip()
    while body.endswith("\\\\"):
        body = body[:-2].rstrip()
    while body.startswith("\\\\"):
        body = body[2:].lstrip()
    if not body:
        return None
    if aligned and "&" in body.replace("\\&", ""):
        body = "\\begin{aligned}" + body + "\\end{aligned}"
    return {"kind": "math", "tex": body}


def _head_blocks(tex: str) -> list[dict]:
    """A formula, with a long ``\\text{...}`` at its top level (a sentence) as a text block."""
    blocks: list[dict] = []
    pos = 0
    depth = 0
    i = 0
    while i < len(tex):
        c = tex[i]
        if c == "\\" and depth == 0 and tex.startswith("\\text{", i):
            end = _group_end(tex, i + 5)
            if end - i - 7 >= _LONG_TEXT:
                math = _math_block(tex[pos:i], aligned=False)
                blocks += [math] if math is not None else []
                blocks.append({"kind": "text", "parts": text_parts(tex[i + 6:end - 1])})
                pos = end
            i = end
            continue
        if c == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        i += 1
    math = _math_block(tex[pos:], aligned=False)
    return blocks + ([math] if math is not None else [])


def _derivation_blocks(body: str) -> list[dict]:
    blocks: list[dict] = []
    pos = 0
    pattern = re.compile("|".join(re.escape(s) for s in _SENTENCES) + r"\s*(?=\{)")
    while (found := pattern.search(body, pos)) is not None:
        math = _math_block(body[pos:found.start()], aligned=True)
        if math is not None:
            blocks.append(math)
        open_at = found.end()
        close_at = _group_end(body, open_at)
        blocks.append({"kind": "text", "parts": text_parts(body[open_at + 1:close_at - 1])})
        pos = close_at
    math = _math_block(body[pos:], aligned=True)
    if math is not None:
        blocks.append(math)
    return blocks


def katex_blocks(latex: str) -> list[dict]:
    r"""The LaTeX of a result, with its derivation, as blocks KaTeX can typeset.

    >>> from symjac.web.typeset import katex_blocks
    >>> tex = "\\det J = 3\n\\begin{align*}\n\\intertext{1. The map's \\_ Jacobian, $|$J$|$.}\n" \
    ...       "J &= 3 \\\\\n\\intertext{2. Done.}\n\\end{align*}"
    >>> for block in katex_blocks(tex):
    ...     print(block)
    {'kind': 'math', 'tex': '\\det J = 3'}
    {'kind': 'text', 'parts': [{'text': "1. The map's _ Jacobian, "}, {'math': '|'}, {'text': 'J'}, {'math': '|'}, {'text': '.'}]}
    {'kind': 'math', 'tex': '\\begin{aligned}J &= 3\\end{aligned}'}
    {'kind': 'text', 'parts': [{'text': '2. Done.'}]}
    """
    blocks: list[dict] = []
    pos = 0
    try:
        for match in _ALIGN.finditer(latex):
            blocks.extend(_head_blocks(latex[pos:match.start()]))
            blocks.extend(_derivation_blocks(match.group(1)))
            pos = match.end()
        blocks.extend(_head_blocks(latex[pos:]))
    except ValueError:  # braces the reader does not follow: typeset it whole
        return [{"kind": "math", "tex": _for_katex(latex.strip())}]
    return blocks


def _plain(text: str) -> str | None:
    """Text-mode LaTeX as plain text, or None where a command is left that only LaTeX knows."""
    text = _WRAPPERS.sub(r"\1", text)
    for escape, plain in _SIMPLE_ESCAPES.items():
        text = text.replace(escape, plain)
    return None if "\\" in text else text


def text_parts(sentence: str) -> list[dict]:
    r"""A text-mode sentence as plain text and inline formulas (``$...$``).

    >>> from symjac.web.typeset import text_parts
    >>> text_parts(r"where r $>$ 0 and h\_i = $|$x$|$")
    [{'text': 'where r '}, {'math': '>'}, {'text': ' 0 and h_i = '}, {'math': '|'}, {'text': 'x'}, {'math': '|'}]
    >>> text_parts(r"a \S{} b")  # a command plain text cannot show: KaTeX typesets that part
    [{'math': '\\text{a \\S{} b}'}]
    """
    parts: list[dict] = []
    pieces = re.split(r"(?<!\\)\$", sentence)
    for index, piece in enumerate(pieces):
        if not piece:
            continue
        if index % 2:
            parts.append({"math": piece})
            continue
        plain = _plain(piece)
        parts.append({"text": plain} if plain is not None else {"math": "\\text{" + piece + "}"})
    return parts
