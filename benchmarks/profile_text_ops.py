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
- Two ways to a cheaper tail, both measured slower: tf-text's ``WhitespaceTokenizer`` against
  ``tf.strings.split`` on the separated heads; and skipping the heads' lowercasing with a table
  that also holds each vocabulary word Capitalised and in CAPITALS (its misses lowercased and
  looked up again), against the layer's lowercase + separate + split + lookup.
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


def cased_lookup(tf, vocab, table, separate):
    """Separate (``separate``, the layer's pass), split and look up heads that were not lowercased,
    with a table of cased forms.

    ``table`` is the layer's (lowercase keys); the cased table maps each ASCII vocabulary word, its
    Capitalised and its CAPITALS form to the word's id, and its misses are lowercased and looked up
    in ``table``. Exact on plain ASCII but for mixed-case clitics (``'Re``, ``N't``).
    """
    from pipeline.text.graph import string_table

    tokens = vocab.tokens(include_specials=True)
    first = 1 + vocab.num_oov_indices
    keys: dict[str, int] = {}
    for index, word in enumerate(tokens[first:], start=first):
        forms = {word, word[:1].upper() + word[1:], word.upper()} if word.isascii() else {word}
        keys.update((form, index) for form in forms if form.lower() == word or form == word)
    cased = string_table(keys, default=-1)

    def run(heads):
        split = tf.strings.split(separate(heads))
        flat = split.flat_values
        ids = cased.lookup(flat)
        missed = tf.where(ids < 0)
        again = table.lookup(tf.strings.lower(tf.gather_nd(flat, missed)))
        return split.with_flat_values(tf.tensor_scatter_nd_update(ids, missed, again))

    return run, len(keys)


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
    raw_heads = data.map(lambda t: graph.fast_rows(t, config, config.room)[0]).cache()
    heads = raw_heads.map(tf.strings.lower).cache()
    separated = raw_heads.map(lambda t: graph.fast_path(t, config)).cache()
    whitespace = tf_text.WhitespaceTokenizer()

    def lowercase_lookup(t):  # the layer's fast path (lowercase, separate) and tail
        split = tf.strings.split(graph.fast_path(t, config))
        return split.with_flat_values(table.lookup(split.flat_values))

    # the fast path's separation alone, without its lowercasing
    cased, cased_keys = cased_lookup(tf, vocab, table, lambda t: graph._sub(t, "separate_plain", ascii_only=True))
    tokens = data.map(lambda t: tf.strings.split(graph._separated(t, config, config.room)).flat_values).cache()
    # index 0 (padding) and 1 (OOV) renamed: FastWordpiece needs non-empty entries and its unknown token
    trie = tf_text.FastWordpieceTokenizer(
        ["[PAD]", "[UNK]", *vocab.tokens(include_specials=True)[2:]],
        token_out_type=tf.int64, unknown_token="[UNK]", max_bytes_per_word=10_000, no_pretokenization=True,
    )
    same = all(bool(tf.reduce_all(table.lookup(t) == trie.tokenize(t).flat_values)) for t in tokens.take(20))
    print(f"hash table and trie give the same ids on 20 batches: {same}")
    same = all(tf.strings.split(t).to_list() == whitespace.tokenize(t).to_list() for t in separated.take(20))
    print(f"tf.strings.split and WhitespaceTokenizer give the same tokens on 20 batches: {same}")
    same = all(lowercase_lookup(t).to_list() == cased(t).to_list() for t in raw_heads.take(20))
    print(f"lowercased lookup and cased-forms lookup give the same ids on 20 batches: {same}")

    regexes = regex_plan()
    ops = {name: (heads, lambda t, p=p, r=r: tf.strings.regex_replace(t, p, r)) for name, (p, r, _) in regexes.items()}
    ops.update({
        "hash table lookup (the layer)": (tokens, table.lookup),
        "FastWordpiece trie lookup": (tokens, lambda t: trie.tokenize(t).flat_values),
        "tf.strings.split": (separated, tf.strings.split),
        "tf_text.WhitespaceTokenizer": (separated, whitespace.tokenize),
        "lowercase, separate, split, lookup (the layer)": (raw_heads, lowercase_lookup),
        f"separate, split, lookup in {cased_keys} cased forms": (raw_heads, cased),
    })
    bare = {source: one_thread_runner(tf, data_, tf.identity) for source, data_ in
            (("heads", heads), ("tokens", tokens), ("separated", separated), ("raw heads", raw_heads))}
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
    for name in ("tf.strings.split", "tf_text.WhitespaceTokenizer"):
        print(f"  split the separated heads, {name:33s} {median[name] - median['separated']:7.1f} ms")
    for name in ("lowercase, separate, split, lookup (the layer)", f"separate, split, lookup in {cased_keys} cased forms"):
        print(f"  {name:54s} {median[name] - median['raw heads']:7.1f} ms")
    batches = -(-len(texts) // args.batch)
    for kind in ("int32", "string"):
        ms = median[f"{kind} chain {CHAIN}"] - median[f"{kind} chain 0"]
        print(f"  tf.roll of a batch's {kind:6s} values {1e3 * ms / CHAIN / batches:5.1f} us per op and batch")
    print(f"  ops per batch in the traced graph: TextVectorization {graph_ops(tf, peer)}, "
          f"TextPreprocessor {graph_ops(tf, ours)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
