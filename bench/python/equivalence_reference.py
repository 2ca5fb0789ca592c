"""The equivalence benchmark's Python reference: the core of what Math-Verify does, on Debian's python3-sympy.

Both sides are parsed into SymPy (LaTeX turned into SymPy's syntax: \\frac, \\sqrt, powers, \\pi, \\infty, \\cdot,
percent, \\text words, \\left/\\right and spacing dropped, implicit multiplication; a top-level comma list or braces
make a collection), numbers are compared as numbers (rounded to six places when either side is a decimal), and
anything else is equal when sympy.simplify(a - b) == 0; collections element by element (sets sorted). Each pair runs
under a 5 s alarm, as Math-Verify's calls do. Usage:

    python3 equivalence_reference.py pairs.jsonl      # JSON Lines with "gold" and "answer"

prints one JSON object: the seconds the comparison loop took (parsing included, interpreter start and imports not),
the number of pairs, timeouts, and every verdict in order.
"""

import json
import re
import signal
import sys
import time

import sympy
from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application, parse_expr,
                                        standard_transformations)

TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def group(text, at):
    """The content of the brace group opening at text[at] and the index after it."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[at + 1:i], i + 1
    raise ValueError("unbalanced braces")


def argument(text, at):
    while at < len(text) and text[at] == " ":
        at += 1
    if at < len(text) and text[at] == "{":
        return group(text, at)
    return text[at:at + 1], at + 1


def latex_to_sympy(text):
    t = text.strip()
    boxed = t.rfind("\\boxed")
    if boxed >= 0 and "{" in t[boxed:]:
        t, _ = group(t, t.index("{", boxed))
    t = t.replace("$", "").replace("\\!", "").replace("\\left", "").replace("\\right", "")
    t = re.sub(r"\\[,;: ]|~|\\quad", " ", t)
    t = re.sub(r"\\[dtc]frac", r"\\frac", t)
    t = re.sub(r"\\(?:text|mathrm|textbf|mbox)\{([^{}]*)\}", lambda m: m.group(1).replace(" ", ""), t)
    t = re.sub(r"\^\s*\{?\\circ\}?", "", t)
    out, i = [], 0
    while i < len(t):
        if t.startswith("\\frac", i):
            num, i = argument(t, i + 5)
            den, i = argument(t, i)
            out.append("((%s)/(%s))" % (latex_to_sympy(num), latex_to_sympy(den)))
        elif t.startswith("\\sqrt", i):
            i += 5
            index = None
            if i < len(t) and t[i] == "[":
                end = t.index("]", i)
                index, i = t[i + 1:end], end + 1
            radicand, i = argument(t, i)
            out.append("((%s)**(1/(%s)))" % (latex_to_sympy(radicand), latex_to_sympy(index)) if index else "sqrt(%s)" % latex_to_sympy(radicand))
        elif t[i] == "{":
            inner, i = group(t, i)
            out.append("(%s)" % latex_to_sympy(inner))
        else:
            out.append(t[i])
            i += 1
    s = "".join(out)
    for latex, py in (("\\cdot", "*"), ("\\times", "*"), ("\\div", "/"), ("\\pi", "pi"), ("\\infty", "oo"),
                      ("\\%", "/100"), ("%", "/100"), ("\\ln", "log"), ("\\log", "log"), ("\\sin", "sin"),
                      ("\\cos", "cos"), ("\\tan", "tan"), ("\\exp", "exp"), ("\\le", "<="), ("\\ge", ">=")):
        s = s.replace(latex, py)
    return s


def split_top(text, sep=","):
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse(text):
    t = text.strip().rstrip(".")
    if t.startswith("\\{") and t.endswith("\\}"):
        return ("set", [parse(p) for p in split_top(t[2:-2])])
    if "," in t and len(split_top(t)) > 1 and not re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", t):
        inner = t[1:-1] if t[:1] in "([" and t[-1:] in ")]" else t
        return ("tuple" if t[:1] == "(" else "set", [parse(p) for p in split_top(inner)])
    if "=" in t:
        t = t.split("=")[-1]
    return ("expr", parse_expr(latex_to_sympy(t.replace(",", "")), transformations=TRANSFORMS, evaluate=True))


def equal(a, b):
    if a[0] != "expr" or b[0] != "expr":
        if a[0] == "expr" or b[0] == "expr" or len(a[1]) != len(b[1]):
            return False
        xs, ys = a[1], b[1]
        if a[0] == "set":
            return all(any(equal(x, y) for y in ys) for x in xs)
        return all(equal(x, y) for x, y in zip(xs, ys))
    x, y = a[1], b[1]
    if x.is_number and y.is_number:
        if x.has(sympy.Float) or y.has(sympy.Float):
            return round(float(sympy.N(x)), 6) == round(float(sympy.N(y)), 6)
        return sympy.N(x - y, 15) == 0 or sympy.simplify(x - y) == 0
    return sympy.simplify(x - y) == 0


def verdict(gold, answer):
    try:
        return equal(parse(gold), parse(answer))
    except Timeout:
        raise
    except Exception:
        return gold.strip() == answer.strip()


def main():
    pairs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    signal.signal(signal.SIGALRM, _alarm)
    verdicts, timeouts = [], 0
    start = time.perf_counter()
    for pair in pairs:
        signal.alarm(5)
        try:
            verdicts.append(verdict(pair["gold"], pair["answer"]))
        except Timeout:
            timeouts += 1
            verdicts.append(False)
        finally:
            signal.alarm(0)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "pairs": len(pairs), "timeouts": timeouts, "verdicts": verdicts}))


if __name__ == "__main__":
    main()
