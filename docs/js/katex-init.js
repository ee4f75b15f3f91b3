// Typeset the mathematics that pymdownx.arithmatex marked (generic mode: \( \) inline, \[ \] display).
// KaTeX is served from this site (katex/), so the pages work offline.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".arithmatex").forEach(function (node) {
    renderMathInElement(node, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
});
