from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.tokenize import encode, normalize, sequence, tokenize
from vocab import Vocabulary


def test_tokenize_slides_example():
    config = TextConfig(lowercase=False, phrases=("San Francisco",))
    assert tokenize("He's spending 7 days in San Francisco.", config) == [
        "He", "'s", "spending", "7", "days", "in", "San Francisco", ".",
    ]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("Don't stop; it’ll work.", ["do", "n't", "stop", ";", "it", "'ll", "work", "."]),
        ("pi is 3.14, not 3,", ["pi", "is", "3.14", ",", "not", "3", ","]),
        # a number with separators is cut out of the word it is glued to
        ("v4.4 abc1.5 12a3,000", ["v", "4.4", "abc", "1.5", "12a", "3,000"]),
        ("the 1990's, 'd' and 's", ["the", "1990", "'s", ",", "'", "d", "'", "and", "'s"]),
        ("", []),
        (" \t\n\u00a0\u3000 ", []),
        (b"caf\xc3", ["caf", "\ufffd"]),
        ("ok👍🏽", ["ok", "👍", "🏽"]),
        ("Привет, мир", ["привет", ",", "мир"]),
    ],
)
def test_tokenize_cases(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_whitespace_mode_keeps_punctuation():
    assert tokenize("Hello, World!", TextConfig(tokenizer="whitespace")) == ["hello,", "world!"]


def test_tokenize_five_megabyte_document():
    text = ("The quick brown fox doesn't jump. " * 160_000)[: 5 * 2**20]
    tokens = tokenize(text)
    assert len(text.encode()) >= 5 * 2**20 - 40
    assert tokens[:4] == ["the", "quick", "brown", "fox"] and len(tokens) > 1_000_000


def test_tokenize_workers_match_single_process():
    texts = [f"Doc {i}: it's number {i}, isn't it?" for i in range(900)]
    texts[5:5] = ["", "   ", "\x00\x01", "San Francisco"]  # texts with no tokens keep their place
    assert tokenize(texts, workers=2, chunk_size=100) == tokenize(texts)


def test_tokenize_workers_keep_tokens_that_hold_the_transport_separators():
    # workers send a chunk's tokens back joined by NUL and SOH; a token holding either (here from a
    # user's lemma table), or an empty one, must still come back whole
    from pipeline.text import tokenize as module

    config = TextConfig(lemmatize=True)
    table = {"cat": "c\x00t", "dog": "d\x01g", "the": ""}
    plain = ["Plain words only.", "", "Two, words."]
    # chunks of 3: joined, joined, lists, lists (one empty token reads like no token), joined
    texts = plain * 2 + ["The cat.", "A dog!", ""] + ["The", "", "Two, words."] + plain
    single = tokenize(texts, config, lemma_table=table)
    assert single[6:10] == [["", "c\x00t", "."], ["a", "d\x01g", "!"], [], [""]]
    assert tokenize(texts, config, lemma_table=table, workers=2, chunk_size=3) == single
    module._init_worker(config.to_dict(), table)  # the transport itself, in this process
    try:
        assert module._tokenize_chunk(plain) == "plain\x00words\x00only\x00.\x01\x01two\x00,\x00words\x00."
        assert module._tokenize_chunk(texts[6:9]) == single[6:9]
        assert module._tokenize_chunk(texts[9:12]) == single[9:12]
    finally:
        module._WORKER_PIPE = None


def test_tokenize_workers_restore_the_garbage_collector():
    import gc

    assert gc.isenabled()
    assert tokenize(["a b"] * 10, workers=2, chunk_size=5) == [["a", "b"]] * 10
    assert gc.isenabled()
    with pytest.raises(TypeError, match="expected text as str or bytes"):  # a worker's error
        tokenize(["a", 3], workers=2, chunk_size=1)
    assert gc.isenabled()
    gc.disable()
    try:
        tokenize(["a"] * 4, workers=2, chunk_size=2)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_tokenize_rejects_bad_workers_and_types():
    with pytest.raises(ValueError, match="workers"):
        tokenize(["a"], workers=0)
    with pytest.raises(TypeError, match="expected text as str or bytes"):
        tokenize([3])


def test_tokenize_missing_stop_words_file_names_option(tmp_path):
    with pytest.raises(ConfigError, match="stop_words=.*no such file"):
        tokenize("a", TextConfig(stop_words=str(tmp_path / "missing.txt")))


def test_tokenize_ascii_fast_path_equals_general_path():
    # the ASCII branch must give what the Unicode branch gives once a non-ASCII char is present
    text = "Hi\tTHERE!\x07 They're 10.5% O'Brien's\x1c don't"
    assert tokenize(text + " é")[:-1] == tokenize(text)
    # Unicode spaces that the splits do not split on become " "; tabs and newlines stay
    assert normalize(text, TextConfig()) == "hi\tthere! they're 10.5% o'brien's  don't"


def test_tokenize_spacy_mode_batches():
    config = TextConfig(tokenizer="spacy")
    texts = ["Let's go to the U.K.!", "e-mail me@example.com"]
    batch = tokenize(texts, config)
    assert batch == [tokenize(t, config) for t in texts]
    assert batch[0][:2] == ["let", "'s"] and "me@example.com" in batch[1]


def test_tokenize_sequence_and_encode_with_specials():
    config = TextConfig(max_length=5, start_token=True, end_token=True)
    vocab = Vocabulary.build([["a", "b", "a"]], specials=["<s>", "</s>"])
    assert sequence(["a", "b", "c", "d"], config) == ["<s>", "a", "b", "c", "</s>"]
    assert encode(["a b c d", ""], config, vocab) == [[2, 4, 5, 1, 3], [2, 3, 0, 0, 0]]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=0xFFFF), max_size=30))
def test_tokenize_bmp_regexes_match_the_full_ones_on_bmp_text(text):
    # the classes clipped to U+FFFF (fast in `re`) are used on text without astral characters
    from pipeline.text.tokenize import _ALL_PLANES, _BMP, _regexes

    assert _regexes(text) is _BMP and _regexes(text + "\U0001d400") is _ALL_PLANES
    for name in _BMP._fields:
        fast, full = getattr(_BMP, name), getattr(_ALL_PLANES, name)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in full.finditer(text)], name
