"""Unicode character classes shared by the Python and the TensorFlow tokenizer.

RE2 (TensorFlow's regex engine) and Python's ``re`` disagree on ``\\w``, ``\\s``
and ``\\b`` (RE2's are ASCII-only). lexivision never uses them: every class
is built here, once, from Python's ``unicodedata``, as explicit code-point
ranges, and rendered in each engine's syntax. Both engines therefore match
exactly the same characters, whatever Unicode tables RE2 was built with.
"""

from __future__ import annotations

import functools
import sys
import unicodedata

# Han ideographs: each one is a token of its own (Chinese has no spaces).
_CJK_BLOCKS = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F),
)


def _ranges(predicate) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if predicate(cp):
            if out and out[-1][1] == cp - 1:
                out[-1][1] = cp
            else:
                out.append([cp, cp])
    return tuple((a, b) for a, b in out)


@functools.lru_cache(maxsize=None)
def char_ranges(name: str) -> tuple[tuple[int, int], ...]:
    """Code-point ranges of a named class: space, control, word, digit, mark, cjk."""
    cat = unicodedata.category
    if name == "space":
        return _ranges(lambda cp: chr(cp).isspace())
    if name == "control":  # removed during normalisation
        return _ranges(lambda cp: cat(chr(cp)) in ("Cc", "Cf") and not chr(cp).isspace())
    if name == "cjk":
        return tuple(_CJK_BLOCKS)
    if name == "word":  # letters, marks and numbers, minus the Han ideographs
        cjk = char_ranges("cjk")
        return _ranges(
            lambda cp: cat(chr(cp))[0] in "LMN" and not any(a <= cp <= b for a, b in cjk)
        )
    if name == "digit":
        return _ranges(lambda cp: cat(chr(cp)) == "Nd")
    if name == "mark":  # non-spacing marks, removed by accent stripping
        return _ranges(lambda cp: cat(chr(cp)) == "Mn")
    raise KeyError(f"unknown character class {name!r}")


def _escape(cp: int, engine: str) -> str:
    if engine == "re2":
        return f"\\x{{{cp:04X}}}"
    return f"\\U{cp:08X}" if cp > 0xFFFF else f"\\u{cp:04X}"


def char_class(name: str, engine: str, negate: bool = False) -> str:
    """A bracketed class for ``engine`` ("python" or "re2")."""
    if engine not in ("python", "re2"):
        raise ValueError(f"engine must be 'python' or 're2'. Received: engine={engine!r}")
    parts = []
    for a, b in char_ranges(name):
        parts.append(_escape(a, engine) if a == b else f"{_escape(a, engine)}-{_escape(b, engine)}")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"
