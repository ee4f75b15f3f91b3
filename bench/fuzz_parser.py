"""Fuzz the parser with hostile input: ``python -m bench.fuzz_parser [N] [--jobs J]``.

Each input (random text, LaTeX and Unicode pieces, costly constructions) is parsed in a
``WorkerPool`` worker with a 10 s wall-clock limit and a 2 GiB memory cap; the run reports
clean errors (ParseError), leaks (any other exception), hangs (killed at the limit), the
slowest inputs and the workers' peak memory. Not part of ``make test``: it takes minutes.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter

from symjac.errors import ParseError, SymjacTimeoutError, WorkerError
from symjac.timeouts import WorkerPool

PIECES = ["x", "y", "t", "2", "10**8", "10**59", "0.5", "4.11936", "8434524776949956", "+", "-",
          "*", "/", "^", "**", "(", ")", ",", "exp(", "floor(", "ceiling(", "Min(", "Max(",
          "gamma(", "Heaviside(", "Integral(", "Piecewise(", "(t, 0, oo)", "x > 0", "True", "oo",
          "\\frac{", "}", "{", "\\sqrt", "\\int_0^1", "dx", "\\theta", "\\sin", "e^{", "|", "$", "_",
          "²", "√", "½", "π", "∞", "ｘ", "х", "·", "−", "__import__", "lambda", "'", "9" * 60]


_FUNCS = ["exp", "floor", "ceiling", "Min", "Max", "gamma", "Heaviside", "sin", "log", "sqrt",
          "Abs", "sign", "atan2", "loggamma", "erf", "LambertW"]
_LATEX = ["\\frac{{{a}}}{{{b}}}", "\\sqrt{{{a}}}", "{a}^{{{b}}}", "\\sin{{{a}}}", "e^{{{a}}}",
          "\\int_0^{{{b}}} {a}\\,dx", "\\left({a}\\right)", "{a}\\cdot {b}", "|{a}|"]


def formula(rng: random.Random, depth: int = 0) -> str:
    """A grammatical formula, often with costly numbers: the hard cases of the whitelist."""
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(["x", "y", "t", "2", "10**8", "10**59", "0.5", "4.11936", "oo", "pi",
                           "8434524776949956", str(rng.randint(-10**6, 10**6)), "E", "θ", "x²"])
    a, b = formula(rng, depth + 1), formula(rng, depth + 1)
    kind = rng.random()
    if kind < 0.3:
        f = rng.choice(_FUNCS)
        return f"{f}({a}, {b})" if f in ("Min", "Max", "atan2") else f"{f}({a})"
    if kind < 0.5:
        return f"({a})^({b})"
    if kind < 0.6:
        return f"Integral({a}, (t, 0, {b}))"
    if kind < 0.7:
        return f"Piecewise(({a}, x > {b}), (0, True))"
    if kind < 0.85:
        return rng.choice(_LATEX).format(a=a, b=b)
    return f"{a} {rng.choice('+-*/')} {b}"


def inputs(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    alphabet = "xy0123456789+-*/^()., =<>eE\\{}_|$²√·−½θπ∞ｘх"
    for i in range(n):
        if i % 3 == 2:
            out.append(formula(rng))
        elif i % 3 == 0:
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))))
        else:
            out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14))))
    return out


def parse_batch(texts: list[str]) -> list[tuple[str, float, str, float]]:
    """Parse each text in the worker; ("ok" | "parse_error" | "leak:<type>", seconds, detail)."""
    from symjac.parsing import parse_expression

    out = []
    for text in texts:
        start = time.perf_counter()
        try:
            str(parse_expression(text))
            kind, detail = "ok", ""
        except ParseError:
            kind, detail = "parse_error", ""
        except Exception as exc:  # noqa: BLE001 - a leak is what this run looks for
            kind, detail = f"leak:{type(exc).__name__}", str(exc)[:200]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append((kind, time.perf_counter() - start, detail, peak))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz_parser", description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=20000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    texts = inputs(args.n, args.seed)
    counts: Counter[str] = Counter()
    slow: list[tuple[float, str]] = []
    leaks: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    peak = 0.0
    # batches of 50 keep the pipe overhead small; a batch that hits the limit is re-run one by one
    batches = [texts[i:i + 50] for i in range(0, len(texts), 50)]
    with WorkerPool(jobs=args.jobs, timeout=120, memory_mb=2048) as pool:
        futures = [pool.submit(parse_batch, b) for b in batches]
        for batch, future in zip(batches, futures):
            try:
                results = future.result()
            except (SymjacTimeoutError, WorkerError):
                results = []
                for text in batch:
                    try:
                        results += pool.schedule(parse_batch, ([text],), timeout=10).result()
                    except SymjacTimeoutError:
                        results.append(("hang", 10.0, "", 0.0))
                    except WorkerError as exc:
                        results.append(("memory", 0.0, str(exc), 0.0))
            for text, (kind, seconds, detail, rss) in zip(batch, results):
                peak = max(peak, rss)
                counts[kind] += 1
                slow.append((seconds, text))
                if kind.startswith(("leak", "hang", "memory")):
                    leaks.append((kind, text, detail))
        replaced = pool.replaced
    elapsed = time.perf_counter() - start
    slow.sort(reverse=True)
    print(f"# parser fuzz: {len(texts)} inputs in {elapsed:.0f} s ({args.jobs} worker(s))\n")
    print("| outcome | count |\n|---|---|")
    for kind in ("ok", "parse_error"):
        print(f"| {kind} | {counts.pop(kind, 0)} |")
    for kind, count in sorted(counts.items()):
        print(f"| {kind} | {count} |")
    print(f"\nworkers replaced: {replaced}; peak worker memory: {peak:.0f} MiB")
    print("slowest: " + ", ".join(f"{s:.2f} s {t!r:.50}" for s, t in slow[:5]))
    for kind, text, detail in leaks[:20]:
        print(f"  {kind}: {text!r:.80} {detail}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
