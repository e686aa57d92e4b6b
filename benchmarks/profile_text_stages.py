"""Where the in-graph text layer spends its time, stage by stage, beside ``TextVectorization``'s stages.

    PYTHONPATH=. python -m benchmarks.profile_text_stages [--words 1000000] [--rounds 7] [--batch 256]

Each contender's work is cut into growing prefixes (input only; + lowercase; + punctuation pass;
...; the whole layer). Every prefix is mapped over the same batched fortunes in a ``tf.data``
pipeline with one private thread and reduced in C++ to a number that depends on all of its output,
so no op is pruned and no Python runs per batch. The prefixes are alternated ``--rounds`` times and
the median CPU time of each is printed with its difference from the previous prefix: the cost of
that stage. The script first checks that the last prefixes give the layers' own ids.

A third contender is a design measured and not built (``no_head_pass``): the layer without its head
pass, the rows it must redo found by the separation pass and the lookup instead. The script checks
that it gives the layer's ids on every profiled text.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from benchmarks.bench_text import corpus, graph_contenders

# Keras' default standardisation: ``tf.strings.lower``, then this class deleted (string.punctuation)
KERAS_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'


def _scalar(tf, value):
    """A number that depends on every element of ``value`` (strings by their lengths)."""
    if hasattr(value, "flat_values"):
        value = value.flat_values
    if value.dtype == tf.string:
        value = tf.strings.length(value)
    return tf.reduce_sum(tf.cast(value, tf.int64))


def one_thread_runner(tf, data, fn):
    """A callable that maps ``fn`` over the (cached) batches of ``data`` on one private thread and
    reduces the results in C++ with ``_scalar``; it is called once here (tracing, filling the cache)."""
    options = tf.data.Options()
    options.threading.private_threadpool_size = 1
    reduced = data.map(lambda t: _scalar(tf, fn(t))).with_options(options)

    def run():
        reduced.reduce(tf.constant(0, tf.int64), lambda a, b: a + b).numpy()

    run()
    return run


def parse_args(argv: list[str] | None, description: str, rounds: int) -> argparse.Namespace:
    """The options of the one-thread profiles: corpus size, rounds, batch size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--batch", type=int, default=256)
    return parser.parse_args(argv)


def median_cpu_ms(runners: dict, rounds: int) -> dict:
    """``{key: median CPU ms}`` of each runner, the runners alternated ``rounds`` times (drift hits all alike)."""
    times = {key: [] for key in runners}
    for _ in range(rounds):
        for key, run in runners.items():
            start = time.process_time()
            run()
            times[key].append(time.process_time() - start)
    return {key: statistics.median(values) * 1e3 for key, values in times.items()}


def stages(tf, ours, peer):
    """``{contender: [(stage, fn)]}``, each ``fn`` a prefix of the contender's work on a ``[batch]`` of strings."""
    from pipeline.text import graph

    config = ours.config
    table = ours._table

    def head(t):
        return graph.fast_rows(t, config, config.room)[0]

    def tokens(t):
        return graph.joined_tokens(t, config, config.room)[0]

    def peer_text(t, strip=True):
        lower = tf.strings.lower(t)
        return tf.strings.regex_replace(lower, KERAS_PUNCTUATION, "") if strip else lower

    return {
        "TextVectorization": [
            ("input only", lambda t: t),
            ("+ lowercase", lambda t: peer_text(t, strip=False)),
            ("+ strip punctuation (RE2)", peer_text),
            ("+ whitespace split", lambda t: tf.strings.split(peer_text(t))),
            ("+ vocabulary lookup", lambda t: table.lookup(tf.strings.split(peer_text(t)))),
            ("whole layer (+ pad/truncate)", peer),
        ],
        "TextPreprocessor": [
            ("input only", lambda t: t),
            ("+ head pass (RE2, per row)", head),
            ("+ lowercase + separate, joined", lambda t: graph.joined_fast_path(head(t), config)),
            ("+ full path for redo rows", lambda t: graph.joined_text(t, config, config.room)[0]),
            ("+ whitespace split", tokens),
            ("+ vocabulary lookup", lambda t: ours._lookup(tokens(t))),
            ("whole layer (+ rows, pad, patch)", ours),
        ],
    }


def staged_ids(tf, plan, ours, texts):
    """Each layer's ids from its staged lookup, padded as the layer pads (they must be the layer's)."""
    from pipeline.text import graph

    config = ours.config
    yield "TextVectorization", plan["TextVectorization"][-2][1](texts).to_tensor(shape=[None, config.max_length])
    redo = graph.joined_tokens(texts, config, config.room)[1]
    yield "TextPreprocessor", ours._padded(plan["TextPreprocessor"][-2][1](texts), redo, tf.size(texts))


def tokens_looked_up(tf, value) -> int:
    """The tokens in a split stage's output (ragged rows, or one flat list with a row mark per row)."""
    from pipeline.text.graph import FULL_ROW_MARK, ROW_MARK

    if hasattr(value, "flat_values"):
        return int(tf.size(value.flat_values))
    marks = tf.logical_or(tf.equal(value, ROW_MARK), tf.equal(value, FULL_ROW_MARK))
    return int(tf.reduce_sum(tf.cast(tf.logical_not(marks), tf.int32)))


# The design without a head pass: each row is cut to CUT_BYTES (a cut row ends in NUL), lowercased and
# separated in one RE2 pass whose first alternative writes what the fast path cannot tokenise as one
# token that no table below holds: a character that is not printable ASCII (with the character before
# it, which NFKC may compose with it), "_" and an apostrophe in one chunk, or two apostrophes at most
# three letters apart (the clitic pass's corner cases), each with the run before it that the rules
# may join to it (letters, digits, a clitic's apostrophe, a number's separators).
CUT_BYTES = 512
NO_HEAD_PASS = "TextPreprocessor without a head pass (not built)"
_CHUNK = "[^\\t-\\r ]"
BAD_RUN = f"[A-Za-z0-9'.,]*(?:[\\x21-\\x7e]?[^\\t-\\r\\x20-\\x7e]|_{_CHUNK}*'|'{_CHUNK}*_|'[A-Za-z]{{0,3}}')"
CLEAN_TOKEN = "[\\x21-\\x26\\x28-\\x7e]+"  # printable ASCII without an apostrophe


def no_head_pass(tf, ours):
    """The prefixes of the design without a head pass (see ``BAD_RUN``) for ``ours``' default config
    (one OOV id).

    The table holds the vocabulary's printable-ASCII words (an apostrophe only in a clitic or alone),
    so a token that a bad run wrote always misses. A row is redone by the layer's full path, and its
    padded ids scattered in, when one of its first ``room`` tokens misses and is not
    ``CLEAN_TOKEN`` (a clean miss is out of vocabulary: id 1).
    """
    from pipeline.text import graph
    from pipeline.text.rules import CLITICS, patterns

    config, vocab = ours.config, ours.vocabulary
    room, width = config.room, config.max_length
    first = 1 + vocab.num_oov_indices
    alone = {"'", *(c.lower() for c in CLITICS)}
    words = {
        word: index for index, word in enumerate(vocab.tokens(include_specials=True)[first:], start=first)
        if re.fullmatch("[\\x21-\\x7e]+", word) and ("'" not in word or word in alone)
    }
    clean = graph.string_table(words, default=-1)
    separate = f"{BAD_RUN}|{patterns('re2', ascii_only=True)['separate_plain']}"

    def cut(t):
        mark = tf.where(tf.strings.length(t) > CUT_BYTES, "\x00", "")
        return tf.strings.join([tf.strings.substr(t, 0, CUT_BYTES), mark])

    def separated(t):
        return tf.strings.regex_replace(tf.strings.lower(cut(t)), separate, " \\0 ")

    def looked_up(t):
        tokens = tf.strings.split(separated(t))
        ids = clean.lookup(tokens.flat_values)
        missed = tf.where(ids < 0)[:, 0]
        rows = tf.searchsorted(tokens.row_splits, missed, side="right") - 1  # no row id for every token
        kept = missed - tf.gather(tokens.row_starts(), rows) < room
        clean_miss = tf.strings.regex_full_match(tf.gather(tokens.flat_values, missed), CLEAN_TOKEN)
        bad = tf.logical_and(kept, tf.logical_not(clean_miss))
        redo = tf.math.unsorted_segment_max(tf.cast(bad, tf.int32), rows, tokens.nrows()) > 0
        return tokens.with_flat_values(tf.maximum(ids, 1)), redo

    def checked(t):  # the ids and the rows to redo, so that no op of the check is pruned
        ids, redo = looked_up(t)
        return tf.concat([ids.flat_values, tf.cast(redo, tf.int64)], 0)

    def whole(t):
        tokens, redo = looked_up(t)
        rows = tf.where(redo)
        full = tf.strings.split(graph.full_path(tf.gather_nd(t, rows), config))[:, :room]
        full = full.with_flat_values(ours._table.lookup(full.flat_values)).to_tensor(0, shape=[None, width])
        return tf.tensor_scatter_nd_update(tokens.to_tensor(0, shape=[None, width]), rows, full)

    return [
        ("input only", lambda t: t),
        (f"+ cut to {CUT_BYTES} bytes, marked", cut),
        ("+ lowercase + separate, bad runs", separated),
        ("+ whitespace split", lambda t: tf.strings.split(separated(t))),
        ("+ lookup, misses checked", checked),
        ("whole (+ pad, full path for redo)", whole),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv, __doc__.splitlines()[0], rounds=7)

    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    texts, words = corpus(args.words)
    config, vocab, peer = graph_contenders(texts)
    ours = TextPreprocessor(config, vocab)
    data = tf.data.Dataset.from_tensor_slices(texts).batch(args.batch).cache()
    plan = stages(tf, ours, peer)

    # the staged lookups, padded, must be the layers' own ids, or this profiles something else
    # (TextVectorization numbers the vocabulary it was given as our table does, OOV = 1)
    sample = tf.constant(texts[: 4 * args.batch])
    layers = {"TextVectorization": peer, "TextPreprocessor": ours}
    for name, ids in staged_ids(tf, plan, ours, sample):
        print(f"{name}: staged prefixes give the layer's ids: {bool(tf.reduce_all(tf.equal(ids, layers[name](sample))))}")
    design = no_head_pass(tf, ours)
    same = all(bool(tf.reduce_all(tf.equal(design[-1][1](t), ours(t)))) for t in data)
    print(f"the design without a head pass gives the layer's ids on all {len(texts)} texts: {same}")
    plan[NO_HEAD_PASS] = design

    runners = {
        (contender, stage): one_thread_runner(tf, data, fn) for contender, prefixes in plan.items() for stage, fn in prefixes
    }
    median = median_cpu_ms(runners, args.rounds)

    # the tokens each lookup sees: the output of the "+ whitespace split" prefix
    split = {contender: dict(prefixes)["+ whitespace split"] for contender, prefixes in plan.items()}
    tokens = {contender: sum(tokens_looked_up(tf, fn(t)) for t in data) for contender, fn in split.items()}
    print(f"{len(texts)} texts, {words} words, batch {args.batch}, one thread; median CPU ms of {args.rounds} rounds")
    for contender, prefixes in plan.items():
        print(f"\n{contender} ({tokens[contender]} tokens looked up)")
        previous = 0.0
        for stage, _ in prefixes:
            ms = median[contender, stage]
            print(f"  {stage:32s} {ms:8.1f}   stage {ms - previous:+8.1f}")
            previous = ms
    whole = {c: median[c, p[-1][0]] for c, p in plan.items()}
    print(f"\nratio (TextVectorization / TextPreprocessor CPU time): {whole['TextVectorization'] / whole['TextPreprocessor']:.3f}")
    design_ratio = whole["TextPreprocessor"] / whole[NO_HEAD_PASS]
    print(f"ratio (TextPreprocessor / the design without a head pass): {design_ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
