"""The TensorFlow execution of a ``TextConfig``: the same steps as ``tokenize.py``, as graph ops."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import tensorflow as tf
import tensorflow_text as tf_text

from pipeline.text.charclasses import char_ranges
from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.rules import MAX_HEAD_CHUNKS, head_pattern, patterns, replacement

__all__ = [
    "FULL_ROW_MARK", "ROW_MARK", "check_exportable", "coerce_known_utf8", "coerce_utf8", "fast_path", "fast_rows",
    "full_path", "join_known_rows", "joined_fast_path", "joined_full_path", "joined_text", "joined_tokens",
    "lookup_or_keep", "merge_phrases", "normalize", "split_tokens", "string_table", "text_to_tokens",
]

_P = patterns("re2")
_PA = patterns("re2", ascii_only=True)


def _sub(text: tf.Tensor, step: str, ascii_only: bool = False) -> tf.Tensor:
    return tf.strings.regex_replace(text, (_PA if ascii_only else _P)[step], replacement(step, "re2"))


def check_exportable(config: TextConfig) -> None:
    """Raise ``ConfigError`` (with the reason) for settings the graph cannot reproduce."""
    if config.tokenizer == "spacy":
        raise ConfigError(
            "text.tokenizer='spacy' runs spaCy's Python tokenizer and cannot run inside a TensorFlow graph; "
            "use tokenizer='default' (same clitic rules, tested for parity) for models that take raw text, "
            "and keep 'spacy' for batch analysis with pipeline.tokenize"
        )
    if config.lemmatize and config.lemmatizer != "lookup":
        raise ConfigError(
            f"text.lemmatizer={config.lemmatizer!r} picks each lemma by part of speech in context, which a "
            "lookup table in the graph cannot reproduce; bake its corpus-level table with "
            "pipeline.text.lemmas.bake_pos_lemmas(texts, config) and pass it as lemma_table=... with "
            "text.lemmatizer = 'lookup'"
        )


# Valid UTF-8, strictly: RE2 compiles code point ranges to exact byte sequences (its "." would
# also accept surrogates, overlong forms and code points above U+10FFFF).
_VALID_UTF8 = "[\\x{0}-\\x{D7FF}\\x{E000}-\\x{10FFFF}]*"


def _transcode(text: tf.Tensor) -> tf.Tensor:
    return tf.strings.unicode_transcode(
        text, "UTF-8", "UTF-8", errors="replace", replacement_char=0xFFFD, replace_control_characters=False
    )


def _repair_rows(text: tf.Tensor, clean: str, repair) -> tf.Tensor:
    """``repair`` on the rows of ``text`` (any shape) that do not fully match ``clean``, in one RE2 pass."""
    rows = tf.reshape(text, [-1]) if text.shape.rank != 1 else text
    rows = _patch_rows(rows, rows, tf.logical_not(tf.strings.regex_full_match(rows, clean)), repair)
    return tf.reshape(rows, tf.shape(text)) if text.shape.rank != 1 else rows


def coerce_utf8(text: tf.Tensor) -> tf.Tensor:
    """Replace invalid UTF-8 with U+FFFD, as ``bytes.decode(errors="replace")`` does.

    Only the rows that are not valid UTF-8 go through ICU's transcoder (about
    40 ns per byte); an RE2 pass checks the others for a tenth of that.
    """
    return _repair_rows(text, _VALID_UTF8, _transcode)


def _known_utf8() -> str:
    """Valid UTF-8 of code points this Python's Unicode knows (a full match): the rows that neither
    the transcoder nor the "unassigned" step would change."""
    known, start = [], 0
    for a, b in sorted((*char_ranges("unassigned"), (0xD800, 0xDFFF))):
        if a > start:
            known.append((start, a - 1))
        start = max(start, b + 1)
    if start <= 0x10FFFF:
        known.append((start, 0x10FFFF))
    return "[" + "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in known) + "]*"


_KNOWN_UTF8 = _known_utf8()


def coerce_known_utf8(text: tf.Tensor) -> tf.Tensor:
    """``coerce_utf8``, then code points Python does not know -> U+FFFD (the "unassigned" step).

    One RE2 check of every row; only the rows that need either step take them (every row used to
    take the "unassigned" pass, a scan of 6 ns per byte).
    """
    return _repair_rows(text, _KNOWN_UTF8, lambda rows: _sub(_transcode(rows), "unassigned"))


def _normalize_clean_ascii(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    # Rows matching "clean_ascii": valid UTF-8, unchanged by NFKC/NFD, no control characters, and
    # their only spaces are those that the split and the "separate" pattern treat as " ".
    return tf.strings.lower(text) if config.lowercase else text


def _normalize_unicode(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    return _normalize_known(coerce_known_utf8(text), config)


def _normalize_known(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """The normalisation after ``coerce_known_utf8``: NFKC, spaces, controls, lowercase, accents."""
    if config.normalization == "nfkc":
        text = tf_text.normalize_utf8(text, "NFKC")
    text = _sub(_sub(text, "space"), "control")
    if config.lowercase:
        text = tf.strings.lower(text, encoding="utf-8")
    if config.strip_accents:
        text = tf_text.normalize_utf8(_sub(tf_text.normalize_utf8(text, "NFD"), "mark"), "NFC")
    return text


def normalize(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """The graph twin of ``tokenize.normalize`` on a ``[batch]`` string tensor."""
    return _normalize_unicode(text, config)


def _separate(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """Normalised text -> text whose tokens are separated by spaces (split on whitespace)."""
    if config.tokenizer == "whitespace":
        return text
    return _sub(_sub(_sub(text, "apostrophe"), "clitic"), "separate")


def split_tokens(text: tf.Tensor, config: TextConfig) -> tf.RaggedTensor:
    """[batch] normalised strings -> [batch, (tokens)] ragged strings."""
    check_exportable(config)
    return tf.strings.split(_separate(text, config))


def _patch_rows(text: tf.Tensor, done: tf.Tensor, redo: tf.Tensor, slow_path) -> tf.Tensor:
    """``done`` (a fast path's output for all rows), the rows where ``redo`` is true redone by ``slow_path``.

    Those rows are usually none or a few: gathering and scattering them costs less than
    partitioning the batch, and far less than a ``tf.cond`` inside ``tf.data``.
    """
    rows = tf.where(redo)
    return tf.tensor_scatter_nd_update(done, rows, slow_path(tf.gather_nd(text, rows)))


def _cuts_heads(max_tokens: int | None) -> bool:
    """Whether ``fast_rows`` cuts rows to heads (and so gives a redo row an empty head)."""
    return max_tokens is not None and max_tokens <= MAX_HEAD_CHUNKS


def fast_rows(text: tf.Tensor, config: TextConfig, max_tokens: int | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """The fast path's input: ``(head, redo)``, the part of each row it tokenises and the rows it cannot.

    The fast path is exact on clean ASCII rows; with the default tokenizer it also folds the clitic
    pass into "separate", so its rows must be "plain" (``rules._plain_chunk``). With ``max_tokens``
    (at most ``MAX_HEAD_CHUNKS``), the same RE2 pass also cuts each row to the head that holds its
    first ``max_tokens`` tokens (``rules.head_pattern``).
    """
    if not _cuts_heads(max_tokens):
        check = _P["plain_ascii" if config.tokenizer == "default" else "clean_ascii"]
        return text, tf.logical_not(tf.strings.regex_full_match(text, check))
    rest = tf.strings.regex_replace(text, head_pattern(config.tokenizer, max_tokens), "", replace_global=False)
    kept = tf.strings.length(text) - tf.strings.length(rest)
    # no plain head: redone (an empty row is redone too, at no cost)
    return tf.strings.substr(text, tf.zeros_like(kept), kept), tf.equal(kept, 0)


def fast_path(head: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """The fast path: lowercase and separate rows that ``fast_rows`` let through, in one RE2 pass.

    On them ``rules.patterns(ascii_only=True)["separate_plain"]`` gives what the
    clitic pass and then "separate" give (tests/pipeline/text/test_rules.py).
    """
    text = _normalize_clean_ascii(head, config)
    return text if config.tokenizer == "whitespace" else _sub(text, "separate_plain", ascii_only=True)


def full_path(text: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """The full path: normalise, then separate, any rows (the ``redo`` rows of ``fast_rows``).

    A few rows per batch on English text, every row on German, Russian or Chinese: only the rows
    that are not valid UTF-8 or hold code points Python does not know take the transcoder and the
    "unassigned" step (``coerce_known_utf8``).
    """
    return _separate(_normalize_unicode(text, config), config)


def _separated(text: tf.Tensor, config: TextConfig, max_tokens: int | None = None) -> tf.Tensor:
    head, redo = fast_rows(text, config, max_tokens)
    return _patch_rows(text, fast_path(head, config), redo, lambda rows: full_path(rows, config))


def text_to_tokens(text: tf.Tensor, config: TextConfig, max_tokens: int | None = None) -> tf.RaggedTensor:
    """Normalise and split a ``[batch]`` of raw strings.

    Every row goes through a fast path that is exact on printable ASCII (with
    tabs and newlines): ASCII is valid UTF-8 and unchanged by NFKC/NFD, has no
    control characters to delete, and every class clipped to ASCII matches on
    ASCII what the full class matches. With the default tokenizer the fast path
    also folds the clitic pass into the separation pass, which is exact but for a
    few odd clitics such as "it's's" or "_isn't_" (``rules.patterns()["plain_ascii"]``,
    tests/pipeline/text/test_rules.py). The other rows (0.8% of the fortunes,
    mostly ones with control characters; one or two per batch) are redone with
    the full normalisation and both passes.

    With ``max_tokens``, only a row's first ``max_tokens`` tokens are exact (the
    rest may be missing): the fast path then tokenises just the head of each row
    that holds them (``rules.head_pattern``), a fifth less text on the fortunes
    with ``max_length = 64``.
    """
    check_exportable(config)
    return tf.strings.split(_separated(text, config, max_tokens))


# The token that ends each of the fast path's rows in ``joined_tokens``: a byte that no valid UTF-8
# holds, so no row's token can equal it (the fast path's rows are ASCII, the full path's valid
# UTF-8), and that no rule matches (lowercasing and the ASCII passes leave it alone).
ROW_MARK = b"\xff"
_ROW_SEP = b" " + ROW_MARK + b" "
# The token that ends each of the full path's rows: U+FFFF, a noncharacter. The full path's steps
# after ``coerce_known_utf8`` need valid UTF-8, and that step turns every U+FFFF of a row into
# U+FFFD ("unassigned": it is Cn), so no row holds it after. NFKC, the lowercasing and the other
# passes leave it alone, but for "separate", which cuts it out as a token between its spaces.
FULL_ROW_MARK = "\uffff".encode("utf-8")
_FULL_ROW_SEP = b" " + FULL_ROW_MARK + b" "


def joined_fast_path(head: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """``fast_path`` on the heads joined into one string, a ``ROW_MARK`` between each two (one call of
    each op per batch instead of one per row). Exact: no rule looks across an ASCII space."""
    return fast_path(tf.strings.reduce_join(head, separator=_ROW_SEP), config)


def join_known_rows(rows: tf.Tensor) -> tf.Tensor:
    """``rows`` after ``coerce_known_utf8``, joined into one string with a ``FULL_ROW_MARK`` after each."""
    # an empty string after the last row gives that row its mark, and no mark when there is no row
    rows = tf.concat([coerce_known_utf8(rows), [b""]], axis=0)
    return tf.strings.reduce_join(rows, separator=_FULL_ROW_SEP)


def joined_full_path(rows: tf.Tensor, config: TextConfig) -> tf.Tensor:
    """``full_path`` on ``rows`` joined into one string, a ``FULL_ROW_MARK`` after each: every
    step after the UTF-8 repair runs once instead of once per row (on German, Russian or Chinese,
    every row). Exact: no rule looks across an ASCII space, and no normalisation composes across
    one (a space is a starter, neither cased nor case-ignorable)."""
    return _separate(_normalize_known(join_known_rows(rows), config), config)


def joined_text(text: tf.Tensor, config: TextConfig, max_tokens: int | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """``(joined, redo)``: the batch normalised and separated as one string, each row followed by a mark.

    ``joined`` holds the ``batch`` rows in order, each redo row empty there and each row followed
    by a ``ROW_MARK``, then the redo rows again (``redo``: their indices, ``[k, 1]``) as the full
    path gives them, each followed by a ``FULL_ROW_MARK`` (``joined_full_path``).
    """
    check_exportable(config)
    head, redo = fast_rows(text, config, max_tokens)
    if not _cuts_heads(max_tokens):
        # fast_rows then lets every row through whole; a redo row may hold any byte, the mark too
        head = tf.where(redo, b"", head)
    fast = joined_fast_path(head, config)
    # The full path waits for the fast path: as one chain, each op runs inline on the thread that ran
    # the one before, instead of the two branches being split across the pool that tf.data's other
    # map calls keep busy (1-2 % less CPU time, BENCHMARKS.md, eleventh session of 2026-11-26).
    with tf.control_dependencies([fast]):
        rows = tf.where(redo)
    full = joined_full_path(tf.gather_nd(text, rows), config)
    last = tf.where(tf.size(text) > 0, _ROW_SEP, b"")  # the last row's mark; an empty batch has no row
    return tf.strings.join([fast, last, full]), rows


def joined_tokens(text: tf.Tensor, config: TextConfig, max_tokens: int | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """``text_to_tokens`` for a ``[batch]`` as one flat list of tokens, each row's followed by a mark.

    Returns ``(tokens, redo)``: the ``batch`` rows in order, each redo row empty there and followed
    by a ``ROW_MARK``, then the redo rows again (``redo``, their indices, ``[k, 1]``) as the full
    path gives them, each followed by a ``FULL_ROW_MARK``. Both paths run once per batch on one
    string (``joined_fast_path``, ``joined_full_path``), and no ragged tokens are built: the marks
    tell where each row ends.

    >>> tokens, redo = joined_tokens(tf.constant(["He's here.", "caf\u00e9 ok"]), TextConfig(), 64)
    >>> marks = {ROW_MARK: "<row>", FULL_ROW_MARK: "<full row>"}
    >>> [marks[t] if t in marks else t.decode() for t in tokens.numpy().tolist()], redo.numpy().tolist()
    (['he', "'s", 'here', '.', '<row>', '<row>', 'café', 'ok', '<full row>'], [[1]])
    """
    joined, rows = joined_text(text, config, max_tokens)
    # the op under tf.strings.split, whose ragged rows (one here) would cost ops for nothing
    return tf.raw_ops.StringSplitV2(input=tf.reshape(joined, [1]), sep="").values, rows


def string_table(mapping: Mapping[str | bytes, str | int], default) -> tf.lookup.StaticHashTable:
    """A static ``tf.lookup`` table from a Python mapping (string keys)."""
    keys = list(mapping)
    values = [mapping[k] for k in keys]
    dtype = tf.string if isinstance(default, str) else tf.int64
    return tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(tf.constant(keys, tf.string), tf.constant(values, dtype)),
        default_value=default,
    )


def lookup_or_keep(tokens: tf.RaggedTensor | tf.Tensor, table: tf.lookup.StaticHashTable) -> tf.RaggedTensor | tf.Tensor:
    """Replace each token (ragged or flat) found in a string table by its value (lemmas)."""
    if isinstance(tokens, tf.RaggedTensor):
        return tokens.with_flat_values(lookup_or_keep(tokens.flat_values, table))
    found = table.lookup(tokens)
    return tf.where(tf.equal(found, ""), tokens, found)


def merge_phrases(tokens: tf.RaggedTensor, table: tf.lookup.StaticHashTable, lengths: Sequence[int]) -> tf.RaggedTensor:
    """Greedy, left-to-right, longest-first phrase merge; the graph twin of ``PhraseMerger.merge``.

    ``table`` maps a phrase (its tokens joined by a space) to its length. For
    every position the longest phrase starting there is found with n-grams;
    the greedy choice of starts is the path ``0 -> i + max(1, best[i]) -> ...``
    through the whole batch (a phrase never crosses a row end), found exactly
    by pointer doubling in ``log2(tokens)`` vectorised steps.
    """
    flat = tokens.flat_values
    n = tf.size(flat, out_type=tf.int64)
    token_starts = tokens.row_starts()
    best = tf.zeros([n], tf.int64)
    for length in sorted(set(lengths)):  # ascending: a longer match overwrites a shorter one
        grams = tf.strings.ngrams(tokens, length, separator=" ")
        rows = grams.value_rowids()
        local = tf.range(tf.size(grams.flat_values, out_type=tf.int64)) - tf.gather(grams.row_starts(), rows)
        pos = tf.gather(token_starts, rows) + local
        hit = tf.equal(table.lookup(grams.flat_values), length)
        best = tf.tensor_scatter_nd_max(
            best, tf.expand_dims(tf.boolean_mask(pos, hit), 1), tf.fill([tf.reduce_sum(tf.cast(hit, tf.int32))], tf.constant(length, tf.int64))
        )
    # jump[i]: the next token start after a start at i; node n is the end of the batch
    jump = tf.concat([tf.range(n) + tf.maximum(best, 1), [n]], axis=0)
    on = tf.concat([tf.ones([1], tf.int64), tf.zeros([n], tf.int64)], axis=0)

    def step(on, jump):
        reached = tf.expand_dims(tf.boolean_mask(jump, tf.cast(on, tf.bool)), 1)
        on = tf.tensor_scatter_nd_max(on, reached, tf.ones_like(reached[:, 0]))
        return on, tf.gather(jump, jump)

    on, _ = tf.while_loop(lambda on, jump: jump[0] < n, step, (on, jump))
    is_start = on[:-1]
    segment = tf.cumsum(is_start) - 1
    merged = tf.strings.unsorted_segment_join(flat, segment, tf.reduce_sum(is_start), separator=" ")
    counts = tf.reduce_sum(tokens.with_flat_values(is_start), axis=1)
    return tf.RaggedTensor.from_row_lengths(merged, counts, validate=False)
