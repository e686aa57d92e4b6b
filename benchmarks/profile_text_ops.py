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
- The cost of an op as such inside ``tf.data``: a chain of ``tf.roll`` on each batch's
  ``int32`` row lengths and on its strings (a copy of every row), per op and batch; and how many
  such ops each layer's traced graph runs per batch. An op costs this even on the few rows, or
  none, that the layer's full path gets in a batch.
"""

from __future__ import annotations

import re

from benchmarks.bench_text import corpus, graph_contenders
from benchmarks.profile_text_stages import KERAS_PUNCTUATION, median_cpu_ms, one_thread_runner, parse_args

# ops that cost nothing at run time (not counted in a traced graph)
FREE_OPS = frozenset({"Const", "Placeholder", "Identity", "NoOp"})
CHAIN = 20  # ops in the chains that time an op as such

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


def graph_ops(tf, layer) -> int:
    """How many ops (``FREE_OPS`` aside) ``layer``'s traced graph runs on a ``[batch]`` of strings."""
    graph = tf.function(layer).get_concrete_function(tf.TensorSpec([None], tf.string)).graph
    return sum(op.type not in FREE_OPS for op in graph.get_operations())


def roll_chain(tf, ops: int, strings: bool):
    """A stage of ``ops`` chained ``tf.roll`` on a batch's strings, or on their lengths.

    Rolls, unlike reversals, never cancel in pairs, so Grappler can remove none of them.
    """

    def stage(t):
        x = t if strings else tf.strings.length(t)
        for _ in range(ops):
            x = tf.roll(x, 1, 0)
        return x

    return stage


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
    config, vocab, peer = graph_contenders(texts)
    ours = TextPreprocessor(config, vocab)
    table = ours._table
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
    bare = {"heads": one_thread_runner(tf, heads, tf.identity), "tokens": one_thread_runner(tf, tokens, tf.identity)}
    for kind in ("int32", "string"):
        for n in (0, CHAIN):
            ops[f"{kind} chain {n}"] = (data, roll_chain(tf, n, strings=kind == "string"))
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
    batches = -(-len(texts) // args.batch)
    for kind in ("int32", "string"):
        ms = median[f"{kind} chain {CHAIN}"] - median[f"{kind} chain 0"]
        print(f"  tf.roll of a batch's {kind:6s} values {1e3 * ms / CHAIN / batches:5.1f} us per op and batch")
    print(f"  ops per batch in the traced graph: TextVectorization {graph_ops(tf, peer)}, "
          f"TextPreprocessor {graph_ops(tf, ours)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
