"""A griffe extension for the API reference: doctest examples shown as Python code.

symjac's docstrings carry runnable examples (``>>> ...`` and the expected output)
outside an ``Examples:`` section too. Markdown would run them into a paragraph and
read ``[...]`` in their output as links, so each run of example lines (up to the
next blank line) is put in a ``pycon`` code block before the docstring is parsed.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    out: list[str] = []
    block: list[str] = []
    indent = ""

    def close() -> None:
        if block:
            out.extend([indent + "```pycon", *block, indent + "```"])
            block.clear()

    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(">>>") and not block:
            indent = line[: len(line) - len(stripped)]
            block.append(line)
        elif block and stripped:
            block.append(line)
        else:
            close()
            out.append(line)
    close()
    return "\n".join(out)


class DoctestsAsCode(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
