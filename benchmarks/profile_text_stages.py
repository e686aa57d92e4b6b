"""Where the in-graph text layer spends its time, stage by stage, beside ``TextVectorization``'s stages.

    PYTHONPATH=. python -m benchmarks.profile_text_stages [--words 1000000] [--rounds 7] [--batch 256]

Each contender's work is cut into growing prefixes (input only; + lowercase; + punctuation pass;
...; the whole layer). Every prefix is mapped over the same batched fortunes in a ``tf.data``
pipeline with one private thread and reduced in C++ to a number that depends on all of its output,
so no op is pruned and no Python runs per batch. The prefixes are alternated ``--rounds`` times and
the median CPU time of each is printed with its difference from the previous prefix: the cost of
that stage. The script first checks that the last prefixes give the layers' own ids.
"""

from __future__ import annotations

import argparse
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

    def fast(t):
        return graph.fast_path(head(t), config)

    def separated(t):
        return graph._separated(t, config, config.room)

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
            ("+ lowercase + separate (RE2)", fast),
            ("+ full path for redo rows", separated),
            ("+ whitespace split", lambda t: tf.strings.split(separated(t))),
            ("+ vocabulary lookup", lambda t: table.lookup(tf.strings.split(separated(t)))),
            ("whole layer (+ pad/truncate)", ours),
        ],
    }


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
    for name, layer in (("TextVectorization", peer), ("TextPreprocessor", ours)):
        ids = plan[name][-2][1](sample).to_tensor(shape=[None, config.max_length])
        print(f"{name}: staged prefixes give the layer's ids: {bool(tf.reduce_all(tf.equal(ids, layer(sample))))}")

    runners = {
        (contender, stage): one_thread_runner(tf, data, fn) for contender, prefixes in plan.items() for stage, fn in prefixes
    }
    median = median_cpu_ms(runners, args.rounds)

    # the tokens each lookup sees: the output of the "+ whitespace split" prefix
    split = {contender: dict(prefixes)["+ whitespace split"] for contender, prefixes in plan.items()}
    tokens = {contender: sum(int(tf.size(fn(t).flat_values)) for t in data) for contender, fn in split.items()}
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
