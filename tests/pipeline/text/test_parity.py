"""Parity is the contract: pipeline.tokenize and TextPreprocessor.tokens give the same tokens."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.text.config import TextConfig
from pipeline.text.tokenize import encode, tokenize

from .conftest import FULL_CONFIG

MULTILINGUAL = [
    "Die Straße in München ist schön; Äpfel, Öl und Übermut. STRASSE vs. straße",
    "Москва — столица России. Ёлка и ЁЖ!",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "我爱北京天安门。中文没有空格，對吧？",
    "ΟΔΟΣ ΣΑΣ, Σίσυφος: τελικό σίγμα ς/Σ.",
    "İstanbul'da ISPARTA ıslak; DİYARBAKIR.",
    "العربية: مرحبا بالعالم! ١٢٣ ٤٥٦",
    "emoji 👍🏽 family 👨\u200d👩\u200d👧 flags 🇩🇪🇫🇷 ok👌done",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom",
    "non\u00a0breaking\u202fspace\u3000ideographic",
    "combining: e\u0301 a\u0308 n\u0303 — Å vs A\u030a",
    "ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ１２３！",
    "ligatures ﬁ ﬂ ½ ² ℌ ㎏ Ⅻ",
    "He’s here, don’t worry; it’ll be fine. I'M SURE THEY'RE OK.",
    "3.14 1,000,000 2024-05-01 v1.2.3 $5.99 50% #tag @user e-mail foo_bar",
    "Ⱟ ꟀꟐ 𐕰𐕱 new capitals, 𜳖 𞀰 newer letters, \U000e0001 tag",
    "\t\n\r\x0b\x0c\x1c\x85 controls \x00\x07\x7f\x9f",
    "",
    "   \n\t  ",
]
# frequent words of each Debian fortunes corpus, as the default config gives them
COMMON_WORDS = {"de": {"und", "für", "über", "daß"}, "ru": {"и", "не", "что", "это"},
                "cs": {"je", "že", "se", "člověk"}, "zh": {"我", "人", "不", "。", ","}}  # NFKC: "，" -> ","
INVALID_UTF8 = [b"a\xffb", b"caf\xc3", b"\xed\xa0\x80x", b"\xf4\x90\x80\x80 y", b"\xc0\xaf z", b"ok \xe2\x82"]
CONFIGS = [TextConfig(), FULL_CONFIG, TextConfig(lowercase=False, strip_accents=True), TextConfig(tokenizer="whitespace"),
           TextConfig(normalization="none")]


@pytest.mark.slow
@pytest.mark.parametrize("config", [TextConfig(), FULL_CONFIG], ids=["default", "lemmas+phrases+stop"])
def test_parity_fortunes_every_record(config, fortunes_records, graph_tokens):
    python = tokenize(fortunes_records, config)
    graph = graph_tokens(config, fortunes_records)
    agree = sum(p == g for p, g in zip(python, graph, strict=True))
    disagreeing = [i for i, (p, g) in enumerate(zip(python, graph)) if p != g][:3]
    assert agree == len(fortunes_records), (agree, [fortunes_records[i][:80] for i in disagreeing])
    if config.phrases:  # the phrase, lemma and stop-word steps really ran
        flat = {t for doc in python for t in doc}
        assert {"of course", "new york"} <= flat
        assert "the" not in flat and "be" not in flat


@pytest.mark.slow
@pytest.mark.parametrize("language", ["de", "ru", "cs", "zh"])
@pytest.mark.parametrize("config", [TextConfig(), FULL_CONFIG], ids=["default", "lemmas+phrases+stop"])
def test_parity_multilingual_fortunes_every_record(language, config, multilingual_records, graph_tokens):
    """German, Russian, Czech and Chinese quotations: every record of each, the same tokens in both executions."""
    records = multilingual_records[language]
    python = tokenize(records, config)
    graph = graph_tokens(config, records)
    disagreeing = [i for i, (p, g) in enumerate(zip(python, graph, strict=True)) if p != g]
    assert not disagreeing, (len(disagreeing), [records[i][:80] for i in disagreeing[:3]])
    tokens = {t for doc in python for t in doc}
    assert COMMON_WORDS[language] <= tokens, COMMON_WORDS[language] - tokens
    assert not any(t != t.lower() for t in tokens)  # lowercased beyond ASCII
    if language == "zh":  # one token per Han character: no spaces needed
        assert not any(len(t) > 1 and all("\u4e00" <= c <= "\u9fff" for c in t) for t in tokens)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.to_dict().items() if v != TextConfig().to_dict()[k]) or "default")
def test_parity_multilingual_and_invalid_utf8(config, graph_tokens):
    texts = [t.encode("utf-8") for t in MULTILINGUAL] + INVALID_UTF8
    assert tokenize(texts, config) == graph_tokens(config, texts)


def test_parity_multilingual_known_answers():
    tokens = tokenize(MULTILINGUAL)
    assert tokens[0][:3] == ["die", "straße", "in"]
    assert tokens[3][:4] == ["我", "爱", "北", "京"]
    assert tokens[4][:2] == ["οδος", "σας"]  # final sigma
    assert tokens[5][0] == "i\u0307stanbul"  # full lowercase of dotted capital I
    assert "zerowidthnonjoinerbom" in tokens[8]
    assert tokens[11][:3] == ["full", "-", "width"]
    assert tokens[17] == tokens[18] == []
    assert tokenize(b"a\xffb") == ["a", "\ufffd", "b"]
    assert "ⱟ" not in tokens[15] and "Ⱟ" in tokens[15]  # left as TensorFlow's case tables leave it


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_parity_fuzz_unicode(texts, graph_tokens):
    for config in (TextConfig(), TextConfig(strip_accents=True, phrases=("a b",), stop_words=("the",))):
        assert tokenize(texts, config) == graph_tokens(config, texts)


# ASCII-heavy texts: batches mixing the clean-ASCII fast path (tabs, newlines) with rows that need
# the full normalisation (controls, other spaces, non-ASCII), and clitics (before punctuation, "_",
# other clitics) and numbers at row ends.
_ASCII_PIECES = st.sampled_from(["a", "Z", "0", "9", " ", "'", "'s", "n't", "N'T", "'ll", "n", "s", "_", ".", ",", "-",
                                 "\t", "\n", "\x0b", "\x08", "\x00", "\x1c", "\x7f", "\u2019", "é", "中"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.lists(_ASCII_PIECES, max_size=16).map("".join), min_size=1, max_size=8))
def test_parity_fuzz_ascii_fast_path(texts, graph_tokens):
    for config in (TextConfig(), TextConfig(lowercase=False), TextConfig(tokenizer="whitespace")):
        assert tokenize(texts, config) == graph_tokens(config, texts)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.binary(max_size=30), min_size=1, max_size=8))
def test_parity_fuzz_bytes(texts, graph_tokens):
    assert tokenize(texts) == graph_tokens(TextConfig(), texts)


@pytest.mark.slow
def test_parity_spacy_mode_differs_on_few_fortunes(fortunes_records):
    sample = fortunes_records[::10]
    default = tokenize(sample)
    spacy = tokenize(sample, TextConfig(tokenizer="spacy"))
    same = sum(a == b for a, b in zip(default, spacy)) / len(sample)
    print(f"spaCy mode equals default mode on {same:.1%} of {len(sample)} fortunes")
    assert 0.2 < same < 1.0  # they differ (hyphens, URLs, abbreviations) but mostly agree


# Ids: TextPreprocessor tokenises only the head of a long row that holds the ids it keeps
# (graph.text_to_tokens with max_tokens); the ids must equal the Python twin's on every row.


_ID_LAYERS = {}


def _graph_ids(config, vocab, texts, batch_size=512):
    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    key = (config, id(vocab))
    if key not in _ID_LAYERS:
        _ID_LAYERS[key] = (vocab, tf.function(TextPreprocessor(config, vocab), input_signature=[tf.TensorSpec([None], tf.string)]))
    fn = _ID_LAYERS[key][1]
    out = []
    for i in range(0, len(texts), batch_size):
        chunk = [t.encode("utf-8", "surrogatepass") if isinstance(t, str) else t for t in texts[i : i + batch_size]]
        out += fn(tf.constant(chunk, tf.string)).numpy().tolist()
    return out


@pytest.mark.slow
@pytest.mark.parametrize("config", [TextConfig(), TextConfig(max_length=8, start_token=True, end_token=True),
                                    TextConfig(max_length=3, tokenizer="whitespace")],
                         ids=["default", "8-start-end", "3-whitespace"])
def test_parity_ids_fortunes_every_record(config, fortunes_records):
    from vocab import Vocabulary

    vocab = Vocabulary.build(tokenize(fortunes_records[::3], config), max_size=5000, specials=["<s>", "</s>"])
    python = encode(fortunes_records, config, vocab)
    graph = _graph_ids(config, vocab, fortunes_records)
    disagreeing = [i for i, (p, g) in enumerate(zip(python, graph, strict=True)) if p != g]
    assert not disagreeing, [fortunes_records[i][:80] for i in disagreeing[:3]]
    # the head really was cut: some rows have more tokens than the ids keep
    assert sum(len(t) > config.max_length for t in tokenize(fortunes_records[:500], config)) > 10


@pytest.mark.slow
@pytest.mark.parametrize("language", ["de", "ru", "cs", "zh"])
def test_parity_ids_multilingual_fortunes_every_record(language, multilingual_records):
    """Every row of these takes the full path, whose rows the layer appends to the batch's joined
    text and then moves back into place: the ids must still be the Python twin's, row for row."""
    from vocab import Vocabulary

    records = multilingual_records[language]
    config = TextConfig()
    vocab = Vocabulary.build(tokenize(records[::3], config), max_size=5000)
    python = encode(records, config, vocab)
    disagreeing = [i for i, (p, g) in enumerate(zip(python, _graph_ids(config, vocab, records), strict=True)) if p != g]
    assert not disagreeing, [records[i][:80] for i in disagreeing[:3]]
    assert sum(row[-1] != 0 for row in python) > 100  # some rows fill max_length: the cut is exercised


@pytest.fixture(scope="module")
def piece_vocab():
    from vocab import Vocabulary

    # tokens the pieces make, in both cases (lowercase=False), and some longer ones; the rest are OOV
    words = ["a", "z", "Z", "0", "9", "'", "'s", "n't", "N'T", ".", ",", "-", "\u2019", "é", "中", "aa", "a0", "az", "0.9"]
    return Vocabulary.build([words], specials=["<s>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(_ASCII_PIECES, max_size=16).map("".join), min_size=1, max_size=8),
       max_length=st.integers(1, 4))
def test_parity_fuzz_ids_of_heads(texts, max_length, piece_vocab):
    for config in (TextConfig(max_length=max_length), TextConfig(max_length=max_length + 1, start_token=True),
                   TextConfig(max_length=max_length, tokenizer="whitespace", lowercase=False)):
        assert _graph_ids(config, piece_vocab, texts) == encode(texts, config, piece_vocab)


def test_parity_tokens_max_tokens_cuts_long_rows_only():
    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    layer = TextPreprocessor(TextConfig())
    texts = tf.constant(["A b, c d e", "x's' y z w", "caf\u00e9 b c d", "a b", "He's. y z"])
    assert layer.tokens(texts, max_tokens=2).to_list() == [
        [b"a", b"b", b","],  # the head "A b, " (two chunks); later tokens are not computed
        [b"x", b"'s", b"'", b"y", b"z", b"w"],  # no plain head: the whole row by the full path
        [b"caf\xc3\xa9", b"b", b"c", b"d"],
        [b"a", b"b"],
        [b"he", b"'s", b".", b"y"],  # a clitic before punctuation is plain: the fast path cuts it out
    ]
    assert layer.tokens(texts)[0].numpy().tolist() == [b"a", b"b", b",", b"c", b"d", b"e"]
    # steps that drop or merge tokens need every token: max_tokens is ignored
    stop = TextPreprocessor(TextConfig(stop_words=("b",)))
    assert stop.tokens(texts[:1], max_tokens=2).to_list() == [[b"a", b",", b"c", b"d", b"e"]]
    with pytest.raises(ValueError, match=r"max_tokens must be None or an int >= 1. Received: max_tokens=0"):
        layer.tokens(texts, max_tokens=0)
