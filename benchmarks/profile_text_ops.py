"""The op costs that bound the in-graph text layer: RE2 per byte and per match, lookup by hash or trie.

    PYTHONPATH=. python -m benchmarks.profile_text_ops [--words 1000000] [--rounds 5] [--batch 256]

Inputs are the lowercased heads that the layer's fast path separates (``graph.fast_rows``, default
config), cached, so each row below times one op alone, mapped as ``profile_text_stages`` maps a
stage (one private thread, reduced in C++), minus the bare input; medians of ``--rounds``.

- ``regex_replace`` with a pattern that never matches (the scan alone), with a punctuation class
  (one match per mark), with Keras' punctuation strip, with the layer's ``separate_plain``, and
  with the marks taken two at a time through capture groups (fewer matches, but RE2 must then
  find the groups).
- The vocabulary lookup of the separated tokens: ``tf.lookup.StaticHashTable`` (the layer's) and
  tf-text's ``FastWordpieceTokenizer`` over the same tokens (a trie; a whole-word vocabulary gives
  each token one id or ``[UNK]``), after checking that both give the same ids.
"""

from __future__ import annotations

import re

from benchmarks.bench_text import corpus, graph_contenders
from benchmarks.profile_text_stages import KERAS_PUNCTUATION, median_cpu_ms, one_thread_runner, parse_args

# a mark to separate: neither a split space nor an ASCII letter or digit (the heads are lowercase ASCII)
MARK = "[^\\t-\\r a-z0-9]"


def regex_plan() -> dict[str, tuple[str, str, str]]:
    """``{name: (RE2 pattern, rewrite, the same pattern for Python's re, to count its matches)}``."""
    from pipeline.text.rules import patterns

    two = f"({MARK})(?:((?s:.)*?)({MARK}))?"
    separate = "separate_plain"
    return {
        "no match (scan only)": ("\\x00", " \\0 ", "\\x00"),
        "punctuation class": (MARK, " \\0 ", MARK),
        "Keras strip": (KERAS_PUNCTUATION, "", KERAS_PUNCTUATION),
        "separate_plain (the layer)": (
            patterns("re2", ascii_only=True)[separate], " \\0 ", patterns("python", ascii_only=True)[separate]
        ),
        "two marks per match (groups)": (two, " \\1 \\2 \\3 ", two),
    }


def _python_matches(pattern: str, rows: list[str]) -> int:
    compiled = re.compile(pattern)
    return sum(1 for row in rows for _ in compiled.finditer(row))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, __doc__.splitlines()[0], rounds=5)

    import tensorflow as tf
    import tensorflow_text as tf_text

    from pipeline.text import graph
    from pipeline.text.preprocessor import TextPreprocessor

    texts, words = corpus(args.words)
    config, vocab, _ = graph_contenders(texts)
    table = TextPreprocessor(config, vocab)._table
    data = tf.data.Dataset.from_tensor_slices(texts).batch(args.batch)
    heads = data.map(lambda t: tf.strings.lower(graph.fast_rows(t, config, config.room)[0])).cache()
    tokens = data.map(lambda t: tf.strings.split(graph._separated(t, config, config.room)).flat_values).cache()
    # index 0 (padding) and 1 (OOV) renamed: FastWordpiece needs non-empty entries and its unknown token
    trie = tf_text.FastWordpieceTokenizer(
        ["[PAD]", "[UNK]", *vocab.tokens(include_specials=True)[2:]],
        token_out_type=tf.int64, unknown_token="[UNK]", max_bytes_per_word=10_000, no_pretokenization=True,
    )
    same = all(bool(tf.reduce_all(table.lookup(t) == trie.tokenize(t).flat_values)) for t in tokens.take(20))
    print(f"hash table and trie give the same ids on 20 batches: {same}")

    regexes = regex_plan()
    ops = {name: (heads, lambda t, p=p, r=r: tf.strings.regex_replace(t, p, r)) for name, (p, r, _) in regexes.items()}
    ops.update({
        "hash table lookup (the layer)": (tokens, table.lookup),
        "FastWordpiece trie lookup": (tokens, lambda t: trie.tokenize(t).flat_values),
    })
    bare = {"heads": one_thread_runner(tf, heads, lambda t: t), "tokens": one_thread_runner(tf, tokens, lambda t: t)}
    runners = {name: one_thread_runner(tf, source, fn) for name, (source, fn) in ops.items()}
    median = median_cpu_ms({**bare, **runners}, args.rounds)

    rows = [row.decode("utf-8") for batch in heads for row in batch.numpy()]
    n_bytes = sum(len(row) for row in rows)
    n_tokens = sum(int(tf.size(t)) for t in tokens)
    print(f"{len(texts)} texts, {words} words, batch {args.batch}, one thread; median CPU ms of {args.rounds} rounds")
    print(f"heads: {n_bytes} bytes; separated tokens: {n_tokens}\n")
    scan = median["no match (scan only)"] - median["heads"]
    for name, (_, _, python_pattern) in regexes.items():
        ms = median[name] - median["heads"]
        matches = _python_matches(python_pattern, rows)
        per_match = f"   {1e6 * (ms - scan) / matches:5.0f} ns per match over the scan" if matches else ""
        print(f"  regex_replace, {name:30s} {ms:7.1f} ms   matches {matches:8d}{per_match}")
    for name in ("hash table lookup (the layer)", "FastWordpiece trie lookup"):
        ms = median[name] - median["tokens"]
        print(f"  {name:45s} {ms:7.1f} ms   {1e6 * ms / n_tokens:5.0f} ns per token")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
