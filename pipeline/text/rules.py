"""The tokenisation rules, written once and rendered for RE2 and for Python ``re``.

Every step is a regex replacement (or a plain function that both engines
implement identically: NFKC, lowercase, accent stripping). Texts are padded
with a space on both ends, so no pattern needs ``^``, ``$`` or ``\\b``.

Default tokenizer::

    "He's spending 7 days in San Francisco."
    -> ["He", "'s", "spending", "7", "days", "in", "San", "Francisco", "."]
"""

from __future__ import annotations

import functools

from pipeline.text.charclasses import char_class

# English clitics kept as tokens of their own (spaCy's tokenizer exceptions, lowercase and uppercase).
CLITICS = ("'s", "'S", "'re", "'RE", "'ve", "'VE", "'ll", "'LL", "'d", "'D", "'m", "'M", "n't", "N'T")
APOSTROPHES = "\u2019"  # right single quotation mark, the typographic apostrophe


@functools.lru_cache(maxsize=None)
def patterns(engine: str) -> dict[str, str]:
    """The regexes for ``engine`` ("python" or "re2"), keyed by step name."""
    word = char_class("word", engine)
    not_word = char_class("word", engine, negate=True)
    digit = char_class("digit", engine)
    cjk = char_class("cjk", engine)
    clitic = "|".join(CLITICS)
    return {
        "space": char_class("space", engine) + "+",
        "control": char_class("control", engine) + "+",
        "mark": char_class("mark", engine) + "+",
        "apostrophe": "[" + APOSTROPHES + "]",
        # "don't" -> "do n't ", "He's." -> "He 's ."
        "clitic": f"({word})({clitic})({not_word})",
        # one match per token; a clitic match carries the space that the step above put after it
        "token": f"(?:{clitic}) |{cjk}|{digit}+(?:[.,]{digit}+)+|{word}+|[^ ]",
    }


def replacement(step: str, engine: str) -> str:
    """The rewrite string of a replacement step in ``engine``'s syntax."""
    whole = r"\0" if engine == "re2" else r"\g<0>"
    return {
        "space": " ",
        "control": "",
        "mark": "",
        "apostrophe": "'",
        "clitic": r"\1 \2 \3",
        "token": f" {whole} ",
    }[step]
