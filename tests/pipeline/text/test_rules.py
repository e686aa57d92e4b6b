from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.rules import MAX_HEAD_CHUNKS, head_pattern, patterns, replacement

_P = patterns("python", ascii_only=True)
_PLAIN = re.compile(patterns("python")["plain_ascii"])
_CLEAN = re.compile(patterns("python")["clean_ascii"])
_CLITIC_BEFORE_APOSTROPHE = re.compile(r"'(?:[sSdDmMtT]|[rRvV][eE]|[lL][lL])[nN]?'")
# characters around clitics: their letters in both cases, apostrophes, "_", spaces, punctuation, digits
_PIECES = st.sampled_from(
    list("'sSdDmMtTrRvVeElLnNxX0 .,-!_\t\n") + ["'s", "n't", "N'T", "'ll", "'re", "\x08", "é"]
)


def _tokens(text: str, fast: bool = False) -> list[str]:
    """The rules' tokens (the clitic pass, then "separate"); ``fast=True``: the fast path's single
    pass ("separate_plain")."""
    if fast:
        return re.sub(_P["separate_plain"], replacement("separate_plain", "python"), text).split()
    text = re.sub(_P["clitic"], replacement("clitic", "python"), text)
    return re.sub(_P["separate"], replacement("separate", "python"), text).split()


def _is_plain(text: str) -> bool:
    """"plain_ascii" by its definition: clean ASCII, no clitic before an apostrophe (or before "n"
    and an apostrophe), and no chunk with both an apostrophe and "_"."""
    return (
        bool(_CLEAN.fullmatch(text))
        and not _CLITIC_BEFORE_APOSTROPHE.search(text)
        and not any("'" in chunk and "_" in chunk for chunk in text.split())
    )


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join))
def test_rules_plain_ascii_matches_its_definition(text):
    assert bool(_PLAIN.fullmatch(text)) == _is_plain(text)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join))
def test_rules_separate_plain_gives_the_clitic_pass_tokens_on_plain_ascii(text):
    # the graph's fast path runs "separate_plain" alone on such rows (graph.fast_path)
    lowered = text.lower()
    if _PLAIN.fullmatch(text):
        assert _tokens(lowered, fast=True) == _tokens(lowered)
        assert _tokens(text, fast=True) == _tokens(text)


@pytest.mark.parametrize("alphabet", ["nt's_.5 ", "rel'_,vN ", "sdm'RE_T\"", "ndt'LN. "])
def test_rules_plain_ascii_exhaustively(alphabet):
    # every string of up to 5 of these characters: the definition, and the fast path's tokens
    for length in range(6):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            plain = bool(_PLAIN.fullmatch(text))
            assert plain == _is_plain(text), text
            if plain:
                assert _tokens(text, fast=True) == _tokens(text), text


def test_rules_plain_ascii_known_answers():
    assert _PLAIN.fullmatch("He's here, don't worry; rock'n'roll ' 's He's. don't! we'll, they'RE? x_y")
    for text in ("it's's", "don't'", "we'll'", "'sn't", "a'DN'T", "a_'s.", "x_n't", "x's_", "caf\u00e9", "a\x08"):
        assert not _PLAIN.fullmatch(text), text
    # what the single pass does, and why the two exclusions are needed
    assert _tokens("he's.", fast=True) == _tokens("he's.") == ["he", "'s", "."]
    assert _tokens("it's's.", fast=True) != _tokens("it's's.")
    assert _tokens("x_n't.", fast=True) != _tokens("x_n't.")
    assert _tokens("'sn't", fast=True) != _tokens("'sn't") == ["'s", "n't"]


_CHUNK = re.compile(r"[^\t-\r ]+")


def _expected_head(text: str, chunks: int, plain) -> str | None:
    """The head by definition: the first ``chunks`` chunks and one space when they are plain, else the plain row."""
    spans = [m.span() for m in _CHUNK.finditer(text)]
    if len(spans) >= chunks and plain.fullmatch(text[: spans[chunks - 1][1]]):
        end = spans[chunks - 1][1]
        return text[: end + (end < len(text))]
    return text if plain.fullmatch(text) else None


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=16).map("".join), chunks=st.integers(1, 4))
def test_rules_head_pattern_is_the_plain_head(text, chunks):
    for tokenizer, plain in (("default", _PLAIN), ("whitespace", _CLEAN)):
        match = re.match(head_pattern(tokenizer, chunks, "python"), text)
        assert (match.group() if match else None) == _expected_head(text, chunks, plain)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=16).map("".join), chunks=st.integers(1, 4))
def test_rules_head_gives_the_rows_first_tokens(text, chunks):
    # the graph's fast path tokenises only the head (graph._separated): its first tokens are the row's
    match = re.match(head_pattern("default", chunks, "python"), text)
    if match:
        full = _tokens(text.lower())
        head = _tokens(match.group().lower(), fast=True)
        assert head[:chunks] == full[:chunks]
        assert len(head) >= min(chunks, len(full))


def test_rules_head_pattern_known_answers_and_limits():
    head = re.compile(head_pattern("default", 3, "python"))
    assert head.match("  a b\tc d e").group() == "  a b\tc "
    assert head.match("a b").group() == "a b"
    assert head.match("a b c's.").group() == "a b c's."
    assert head.match("a b c's'") is None and head.match("a b c d's'").group() == "a b c "
    assert head.match("a caf\u00e9 b") is None
    assert re.match(head_pattern("whitespace", 1, "python"), "x's. y").group() == "x's. "
    for bad in (("default", 0), ("default", MAX_HEAD_CHUNKS + 1), ("spacy", 3)):
        with pytest.raises(ValueError, match="head_pattern needs"):
            head_pattern(*bad)
