from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.rules import patterns, replacement

_P = patterns("python", ascii_only=True)
_PLAIN = re.compile(patterns("python")["plain_ascii"])
_CLEAN = re.compile(patterns("python")["clean_ascii"])
_CLITIC_BEFORE_NON_SPACE = re.compile(r"'(?:[sSdDmMtT]|[rRvV][eE]|[lL][lL])[^\t-\r ]")
# characters around clitics: their letters in both cases, apostrophes, spaces, punctuation, digits
_PIECES = st.sampled_from(
    list("'sSdDmMtTrRvVeElLnNxX0 .,-!\t\n") + ["'s", "n't", "N'T", "'ll", "'re", "\x08", "é"]
)


def _tokens(text: str, clitic_pass: bool) -> list[str]:
    if clitic_pass:
        text = re.sub(_P["clitic"], replacement("clitic", "python"), text)
    return re.sub(_P["separate"], replacement("separate", "python"), text).split()


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join))
def test_rules_plain_ascii_is_clean_ascii_without_a_clitic_before_a_non_space(text):
    expected = bool(_CLEAN.fullmatch(text)) and not _CLITIC_BEFORE_NON_SPACE.search(text)
    assert bool(_PLAIN.fullmatch(text)) == expected


@settings(max_examples=400, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join))
def test_rules_clitic_pass_changes_no_token_of_plain_ascii(text):
    # the graph's fast path skips the clitic pass on such rows (graph._separated)
    lowered = text.lower()
    if _PLAIN.fullmatch(text):
        assert _tokens(lowered, clitic_pass=False) == _tokens(lowered, clitic_pass=True)
        assert _tokens(text, clitic_pass=False) == _tokens(text, clitic_pass=True)


def test_rules_plain_ascii_known_answers():
    assert _PLAIN.fullmatch("He's here, don't worry; rock'n'roll ' 's")
    for text in ("He's.", "don't!", "it's's", "a'sn't", "we'll,", "they'RE?", "caf\u00e9", "a\x08"):
        assert not _PLAIN.fullmatch(text), text
    # why the pass exists
    assert _tokens("he's.", clitic_pass=True) != _tokens("he's.", clitic_pass=False)
