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

from pipeline.text.charclasses import _escape, char_class

# English clitics kept as tokens of their own (spaCy's tokenizer exceptions, lowercase and uppercase).
CLITICS = ("'s", "'S", "'re", "'RE", "'ve", "'VE", "'ll", "'LL", "'d", "'D", "'m", "'M", "n't", "N'T")
APOSTROPHES = "\u2019"  # right single quotation mark, the typographic apostrophe
_SPLIT_SPACES = "\\t-\\r "  # tab, newline, vertical tab, form feed, carriage return, space
_SPLIT_CHARS = "\t\n\x0b\x0c\r "  # the same characters, which str.split and tf.strings.split both split on

# Characters that Python (Unicode 14) lowercases and TensorFlow's ``tf.strings.lower`` (older ICU
# case tables) leaves alone: Glagolitic, Latin and Vithkuqi capitals added in Unicode 14. Both
# executions leave them unchanged. tests/pipeline/text/test_graph.py recomputes this list
# from the installed TensorFlow over every code point.
GRAPH_NO_LOWER = (
    (0x2C2F, 0x2C2F), (0xA7C0, 0xA7C0), (0xA7D0, 0xA7D0), (0xA7D6, 0xA7D6), (0xA7D8, 0xA7D8),
    (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592), (0x10594, 0x10595),
)


@functools.lru_cache(maxsize=None)
def patterns(engine: str, ascii_only: bool = False, bmp_only: bool = False) -> dict[str, str]:
    """The regexes for ``engine`` ("python" or "re2"), keyed by step name.

    ``ascii_only`` gives patterns for ASCII-only text (the classes clipped to
    ASCII), which match exactly what the full patterns match on such text;
    ``bmp_only`` likewise for text without characters above U+FFFF.
    """
    clip = {"ascii_only": ascii_only, "bmp_only": bmp_only}
    word = char_class("word", engine, **clip)
    not_word = char_class("word", engine, negate=True, **clip)
    digit = char_class("digit", engine, **clip)
    end = _end_of_text(engine)
    clitic = "|".join(CLITICS)
    # the three kinds of match of "separate" (see there)
    separate = (
        f"(?:{clitic})(?:[{_SPLIT_SPACES}]|{end})", f"{digit}+(?:[.,]{digit}+)+", f"[^{_SPLIT_SPACES}{not_word[2:-1]}]"
    )
    no_lower = "".join(
        _escape(a, engine) if a == b else f"{_escape(a, engine)}-{_escape(b, engine)}" for a, b in GRAPH_NO_LOWER
    )
    rules = {
        "no_lower": f"([{no_lower}]+)",
        "unassigned": char_class("unassigned", engine, bmp_only=bmp_only),
        # every space character that the splits do not split on becomes " " (runs need no collapsing:
        # tokens are split on spaces); tabs and newlines stay, which saves a match per line
        "space": char_class("space", engine, exclude=_SPLIT_CHARS, **clip),
        "control": char_class("control", engine, **clip) + "+",
        "mark": char_class("mark", engine, bmp_only=bmp_only) + "+",
        "apostrophe": "[" + APOSTROPHES + "]",
        # "don't" -> "do n't", "He's." -> "He 's ."
        "clitic": f"({word})({clitic})({not_word}|{end})",
        # Only what must be cut out of a word run is matched (plain words never are, so there is one
        # match per punctuation mark, not one per token): a clitic that stands alone (the step above
        # put a space before it), a number with separators, and any character that is neither a
        # word character nor a space (punctuation, symbols, each Han ideograph). The spaces
        # "\t-\r" are those that every split (str.split, tf.strings.split) splits on.
        "separate": "|".join(separate),
        # clean ASCII on which "separate_plain" alone gives the tokens of "clitic" then "separate"
        "plain_ascii": _rows_of(_plain_chunk(), end),
        # ASCII text that only needs lowercasing: printable characters and the spaces every split knows
        "clean_ascii": _rows_of(_CLEAN_CHUNK, end),
    }
    if ascii_only:
        # "clitic" folded into "separate" for plain ASCII rows (the graph's fast path): a clitic after a
        # word character and before punctuation is cut out where it stands. ``\b`` and ``\B`` look at
        # one character without consuming it; both engines read them the same on ASCII, where their
        # word characters are [0-9A-Za-z_] ("plain_ascii" rules out the rows where "_" would matter).
        apostrophe_clitics = "|".join(c for c in CLITICS if c[0] == "'")
        letter_clitics = "|".join(c for c in CLITICS if c[0] != "'")
        word_then_clitic = f"\\b(?:{apostrophe_clitics})\\b|\\B(?:{letter_clitics})\\b"
        rules["separate_plain"] = "|".join((separate[0], word_then_clitic, *separate[1:]))
    return rules


_SPACE = f"[{_SPLIT_SPACES}]"
_CLEAN_CHUNK = "[\\x21-\\x7E]+"  # a run of printable ASCII without spaces
# RE2 rejects counted repetitions above 1000
MAX_HEAD_CHUNKS = 1000


def _end_of_text(engine: str) -> str:
    return "\\z" if engine == "re2" else "\\Z"  # Python's "$" also matches before a final newline


def _rows_of(chunk: str, end: str) -> str:
    """Text made of whitespace-separated chunks that each match ``chunk`` (a full match)."""
    return f"{_SPACE}*(?:{chunk}(?:{_SPACE}+|{end}))*"


def _byte_class(chars: set[str]) -> str:
    return "[" + "".join(f"\\x{ord(c):02X}" for c in sorted(chars)) + "]"


def _plain_chunk() -> str:
    """A chunk (printable ASCII, no space) on which "separate_plain" alone gives the clitic pass's tokens.

    The clitic pass matches a word character, a clitic and the character after it. "separate_plain"
    finds the same clitics with ``\\b``/``\\B``, which consume nothing, and so parts from it in
    two places only, both ruled out here:

    - ``\\b`` counts "_" as a word character, the rules do not: a chunk that holds an apostrophe
      holds no "_" (every clitic holds an apostrophe, so "_" is harmless elsewhere);
    - the clitic pass consumes the character after a clitic, so that no clitic starts there, and
      puts a space before the clitic, which can end one just before it ("'sn't" gives 's, n't):
      no apostrophe, a clitic's letters (any case; n't is checked as 't), maybe an "n", and another
      apostrophe.

    Written without lookahead, like an automaton: after an apostrophe (or a run of them, and of
    'r, 'v, 'l followed by one) it reads the letters that could make a clitic and what follows them.
    """
    clean = {chr(c) for c in range(0x21, 0x7F)}
    # the letter after the apostrophe of 's 'd 'm and n't, any case
    last = {clitic[-1] for clitic in CLITICS if len(clitic) == 2 or clitic[0] != "'"}
    one = last | {c.swapcase() for c in last}
    two_first, e_letters, l_letters = set("rRvV"), set("eE"), set("lL")
    assert {c[1:].lower() for c in CLITICS if c[0] == "'" and len(c) == 3} == {"re", "ve", "ll"}
    no_apostrophe = _byte_class(clean - {"'"})
    letter = clean - {"'", "_"}  # what a chunk with an apostrophe holds besides apostrophes
    other = _byte_class(letter)
    ordinary = _byte_class(letter - one - two_first - l_letters)
    no_e = _byte_class(letter - e_letters)
    no_l = _byte_class(letter - l_letters)
    no_n = _byte_class(letter - set("nN"))
    one, two_first, e_letters, l_letters = map(_byte_class, (one, two_first, e_letters, l_letters))
    run = "'(?:'|[rRvVlL]')*"  # apostrophes, and 'r / 'v / 'l followed by another apostrophe
    # after a clitic's letters: anything but an apostrophe, or an "n" not followed by one
    after = f"(?:{no_n}|[nN]{other})"
    # back from a run to a character that no clitic precedes
    inside = (
        f"(?:{other}|{run}(?:{ordinary}|{one}{after}|{two_first}(?:{e_letters}{after}|{no_e})"
        f"|{l_letters}(?:{l_letters}{after}|{no_l})))"
    )
    last_piece = f"{run}(?:{one}[nN]?|{two_first}(?:{e_letters}[nN]?)?|{l_letters}(?:{l_letters}[nN]?)?)?"
    return f"(?:{no_apostrophe}+|{inside}+(?:{last_piece})?|{last_piece})"


@functools.lru_cache(maxsize=None)
def head_pattern(tokenizer: str, chunks: int, engine: str = "re2") -> str:
    """The head of a row that the graph's fast path tokenises exactly, matched at the start.

    The match is the row's first ``chunks`` whitespace-separated chunks and the
    space after them, when all of them are plain ("plain_ascii" for the default
    tokenizer, "clean_ascii" for "whitespace"); else the whole row, when all of it
    is plain; else nothing. Every such chunk gives at least one token and no rule
    looks across an ASCII space, so the head's tokens are the row's first tokens,
    at least ``chunks`` of them when the row has more chunks.

    >>> import re
    >>> head = re.compile(head_pattern("default", 2, "python"))
    >>> head.match("He's here, you know").group(), head.match("yes.").group(), head.match("it's's") is None
    ("He's here, ", 'yes.', True)
    """
    if tokenizer not in ("default", "whitespace") or not 1 <= chunks <= MAX_HEAD_CHUNKS:
        raise ValueError(f"head_pattern needs tokenizer 'default' or 'whitespace' and 1 <= chunks <= "
                         f"{MAX_HEAD_CHUNKS}. Received: {tokenizer!r}, {chunks!r}")
    chunk = _plain_chunk() if tokenizer == "default" else _CLEAN_CHUNK
    end = _end_of_text(engine)
    first = f"\\A{_SPACE}*(?:{chunk}{_SPACE}+){{{chunks - 1}}}{chunk}(?:{_SPACE}|{end})"
    return f"{first}|\\A{_rows_of(chunk, end)}{end}"


def replacement(step: str, engine: str) -> str:
    """The rewrite string of a replacement step in ``engine``'s syntax."""
    whole = r"\0" if engine == "re2" else r"\g<0>"
    return {
        "unassigned": "\ufffd",
        "space": " ",
        "control": "",
        "mark": "",
        "apostrophe": "'",
        "clitic": r"\1 \2 \3",
        "separate": f" {whole} ",
        "separate_plain": f" {whole} ",
    }[step]
