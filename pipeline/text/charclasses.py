"""Unicode character classes shared by the Python and the TensorFlow tokenizer.

RE2 (TensorFlow's regex engine) and Python's ``re`` disagree on ``\\w``, ``\\s``
and ``\\b`` (RE2's are ASCII-only). lexivision never uses them: every class
is built from Python's ``unicodedata`` as explicit code-point ranges and
rendered in each engine's syntax, so both engines match the same characters.

Computing the classes takes one pass over all 1.1M code points (~1 s), so the
result is stored in the generated module ``_unicode_tables.py``, keyed by
``unicodedata.unidata_version``; on another Unicode version the classes are
recomputed at import (and ``python -m pipeline.text.charclasses`` rewrites
the module).

>>> char_ranges("digit")[0]
(48, 57)
>>> char_class("cjk", "re2")[:18]
'[\\\\x{3400}-\\\\x{4DBF}'
"""

from __future__ import annotations

import functools
import sys
import unicodedata

__all__ = ["CLASS_NAMES", "char_class", "char_ranges", "compute_ranges"]

# Han ideographs: each one is a token of its own (Chinese has no spaces).
_CJK_BLOCKS = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F),
)
CLASS_NAMES = ("space", "control", "word", "digit", "mark", "cjk", "unassigned")


def compute_ranges() -> dict[str, tuple[tuple[int, int], ...]]:
    """All classes from ``unicodedata``, in one pass over the code points.

    - ``space``: ``str.isspace()``; ``control``: Cc/Cf that are not spaces;
    - ``word``: categories L*, M*, N* minus the CJK ideographs; ``digit``: Nd;
    - ``mark``: Mn (removed by accent stripping); ``cjk``: the Han blocks;
    - ``unassigned``: Cn (and Cs), code points this Python's Unicode version
      does not know; both executions replace them with U+FFFD before NFKC,
      because ICU (newer Unicode) would otherwise normalise them differently.
    """
    cjk = bytearray(sys.maxunicode + 1)
    for a, b in _CJK_BLOCKS:
        cjk[a : b + 1] = b"\x01" * (b - a + 1)
    out: dict[str, list[list[int]]] = {name: [] for name in CLASS_NAMES if name != "cjk"}
    category = unicodedata.category

    def add(name: str, cp: int) -> None:
        ranges = out[name]
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])

    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        cat = category(ch)
        if ch.isspace():
            add("space", cp)
        elif cat in ("Cc", "Cf"):
            add("control", cp)
        elif cat in ("Cn", "Cs"):
            add("unassigned", cp)
        elif cat[0] in "LMN":
            if not cjk[cp]:
                add("word", cp)
            if cat == "Nd":
                add("digit", cp)
            elif cat == "Mn":
                add("mark", cp)
    result = {name: tuple((a, b) for a, b in ranges) for name, ranges in out.items()}
    result["cjk"] = _CJK_BLOCKS
    return result


@functools.lru_cache(maxsize=1)
def _all_ranges() -> dict[str, tuple[tuple[int, int], ...]]:
    try:
        from pipeline.text import _unicode_tables as tables
    except ImportError:  # pragma: no cover - the module is committed
        tables = None
    if tables is not None and tables.UNIDATA_VERSION == unicodedata.unidata_version:
        return dict(tables.RANGES)
    return compute_ranges()


def char_ranges(name: str) -> tuple[tuple[int, int], ...]:
    """Code-point ranges of a named class (see :data:`CLASS_NAMES`)."""
    ranges = _all_ranges()
    if name not in ranges:
        raise KeyError(f"unknown character class {name!r}; known: {', '.join(CLASS_NAMES)}")
    return ranges[name]


def _escape(cp: int, engine: str) -> str:
    if engine == "re2":
        return f"\\x{{{cp:04X}}}"
    return f"\\U{cp:08X}" if cp > 0xFFFF else f"\\u{cp:04X}"


@functools.lru_cache(maxsize=None)
def char_class(
    name: str, engine: str, negate: bool = False, ascii_only: bool = False, exclude: str = "", bmp_only: bool = False
) -> str:
    """A bracketed class for ``engine`` ("python" or "re2").

    ``ascii_only`` clips the ranges to U+0000..U+007F: on ASCII text the
    clipped class (negated or not) matches exactly what the full one does.
    ``bmp_only`` clips them to the Basic Multilingual Plane (U+0000..U+FFFF),
    likewise exact on text without astral characters. Python's ``re`` checks
    a class's astral ranges one by one for every character it tries (2 µs a
    character for "unassigned"), its BMP ranges by one table lookup.
    ``exclude`` removes single characters from the class.

    >>> len(char_class("unassigned", "python", bmp_only=True)) < len(char_class("unassigned", "python")) // 2
    True

    Surrogates (U+D800..U+DFFF) only exist in Python strings, never in valid
    UTF-8, so they are left out of the RE2 rendering.
    """
    if engine not in ("python", "re2"):
        raise ValueError(f"engine must be 'python' or 're2'. Received: engine={engine!r}")
    ranges = list(char_ranges(name))
    for ch in exclude:
        cp = ord(ch)
        ranges = [r for a, b in ranges for r in (((a, cp - 1), (cp + 1, b)) if a <= cp <= b else ((a, b),)) if r[0] <= r[1]]
    top = 0x7F if ascii_only else 0xFFFF if bmp_only else None
    parts = []
    for a, b in ranges:
        if top is not None:
            if a > top:
                break
            b = min(b, top)
        if engine == "re2":
            if 0xD800 <= a and b <= 0xDFFF:
                continue
            if a <= 0xDFFF and b >= 0xD800:  # split around the surrogates
                pieces = [(a, 0xD7FF)] if a < 0xD800 else []
                pieces += [(0xE000, b)] if b > 0xDFFF else []
            else:
                pieces = [(a, b)]
        else:
            pieces = [(a, b)]
        for x, y in pieces:
            parts.append(_escape(x, engine) if x == y else f"{_escape(x, engine)}-{_escape(y, engine)}")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _write_tables(path) -> None:
    """Regenerate ``_unicode_tables.py`` for this Python's Unicode version."""
    from pathlib import Path

    ranges = compute_ranges()
    lines = [
        '"""Generated by `python -m pipeline.text.charclasses`; do not edit."""',
        "",
        f"UNIDATA_VERSION = {unicodedata.unidata_version!r}",
        "",
        "RANGES = {",
    ]
    for name in CLASS_NAMES:
        body = ", ".join(f"({a:#x}, {b:#x})" for a, b in ranges[name])
        lines.append(f"    {name!r}: ({body},),")
    lines.append("}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    from pathlib import Path

    _write_tables(Path(__file__).with_name("_unicode_tables.py"))
