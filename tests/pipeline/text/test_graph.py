from __future__ import annotations

import random
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.config import TextConfig
from pipeline.text.phrases import PhraseMerger
from pipeline.text.rules import GRAPH_NO_LOWER


@pytest.mark.slow
def test_graph_lowercase_exceptions_match_installed_tensorflow():
    import tensorflow as tf

    from pipeline.text.charclasses import char_ranges

    skip = bytearray(sys.maxunicode + 1)
    for a, b in char_ranges("unassigned") + char_ranges("control"):  # replaced/removed before lowercasing
        skip[a : b + 1] = b"\x01" * (b - a + 1)
    cps = [cp for cp in range(sys.maxunicode + 1) if not skip[cp]]
    lowered = tf.strings.lower(tf.constant([chr(cp).encode() for cp in cps]), encoding="utf-8").numpy()
    differ = [cp for cp, low in zip(cps, lowered) if chr(cp).lower().encode() != low]
    listed = [cp for a, b in GRAPH_NO_LOWER for cp in range(a, b + 1)]
    assert differ == listed


@pytest.mark.parametrize("seed", range(3))
def test_graph_merge_phrases_equals_python_greedy(seed):
    import tensorflow as tf

    from pipeline.text import graph

    rng = random.Random(seed)
    words = list("abcde")
    phrases = {tuple(rng.choice(words) for _ in range(rng.randint(2, 4))) for _ in range(8)}
    merger = PhraseMerger(phrases)
    docs = [[rng.choice(words) for _ in range(rng.randint(0, 30))] for _ in range(40)]
    table = graph.string_table({" ".join(p): len(p) for p in merger.phrases}, default=0)
    merged = graph.merge_phrases(tf.ragged.constant(docs, dtype=tf.string, row_splits_dtype=tf.int64), table, merger.lengths)
    got = [[t.decode() for t in row] for row in merged.to_list()]
    assert got == [merger.merge(d) for d in docs]
    assert any(" " in t for row in got for t in row)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.binary(max_size=24), min_size=1, max_size=16))
def test_graph_coerce_utf8_replaces_like_python(texts):
    import tensorflow as tf

    from pipeline.text import graph

    got = graph.coerce_utf8(tf.constant(texts)).numpy().tolist()
    assert got == [t.decode("utf-8", "replace").encode("utf-8") for t in texts]
    assert graph.coerce_utf8(tf.constant(b"a\xffb")).numpy() == "a\ufffdb".encode()  # a scalar stays a scalar


_ANY_CODE_POINT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=12).map(
    lambda t: t.encode("utf-8", "surrogatepass")  # unassigned code points and encoded surrogates too
)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.binary(max_size=24), _ANY_CODE_POINT), min_size=1, max_size=16))
def test_graph_coerce_known_utf8_is_the_repair_and_unassigned_steps_of_python(texts):
    import tensorflow as tf

    from pipeline.text import graph
    from pipeline.text.rules import patterns

    unassigned = re.compile(patterns("python")["unassigned"])
    got = graph.coerce_known_utf8(tf.constant(texts)).numpy().tolist()
    assert got == [unassigned.sub("\ufffd", t.decode("utf-8", "replace")).encode("utf-8") for t in texts]
    assert graph.coerce_known_utf8(tf.constant("\U000e0080 \u0378".encode())).numpy() == "\ufffd \ufffd".encode()


_CONFIGS = [TextConfig(), TextConfig(normalization="none"), TextConfig(lowercase=False, strip_accents=True)]


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.binary(max_size=24), _ANY_CODE_POINT, st.text(max_size=12).map(str.encode)),
                      min_size=1, max_size=16))
def test_graph_normalize_is_tokenize_normalize(texts):
    # rows of valid UTF-8 of known code points skip the repair and unassigned steps: it must not show
    import tensorflow as tf

    from pipeline.text import graph
    from pipeline.text.tokenize import normalize, to_text

    for config in _CONFIGS:
        got = graph.normalize(tf.constant(texts), config).numpy().tolist()
        assert got == [normalize(to_text(t), config).encode("utf-8") for t in texts], config
    assert graph.normalize(tf.constant(["\U000e0080\u00a0\x1c\x07é".encode()]), TextConfig()).numpy().tolist() == [
        "\ufffd  é".encode()
    ]


def test_graph_icu_normalisation_is_pythons_on_every_known_code_point():
    # both executions replace unknown code points before NFKC; on all the others ICU (the graph) and
    # unicodedata (Python) must agree, one code point at a time, for every form the rules use
    import unicodedata

    import tensorflow as tf
    import tensorflow_text as tf_text

    from pipeline.text.charclasses import char_ranges

    unknown = {cp for a, b in char_ranges("unassigned") for cp in range(a, b + 1)}
    chars = [chr(cp) for cp in range(sys.maxunicode + 1) if cp not in unknown and not 0xD800 <= cp <= 0xDFFF]
    assert len(chars) > 250_000
    encoded = tf.constant([c.encode() for c in chars])
    for form in ("NFKC", "NFD", "NFC"):
        got = [g.decode() for g in tf_text.normalize_utf8(encoded, form).numpy().tolist()]
        differ = [hex(ord(c)) for c, g in zip(chars, got, strict=True) if g != unicodedata.normalize(form, c)]
        assert differ == [], (form, differ[:10])
