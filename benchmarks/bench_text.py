"""Text preprocessing throughput, lexivision beside its peers, on fortunes repeated to >= N words.

    python -m benchmarks.bench_text [--words 4000000] [--batch 256] [--repeat 3] [--only graph|python]
                                    [--language en|de|ru|cs|zh] [--retrace] [--rebatch N]

1. In-graph: ``TextPreprocessor`` (default config) vs ``keras.layers.TextVectorization``
   (lower_and_strip_punctuation + whitespace split + lookup, same vocabulary), both mapped
   over the same batched ``tf.data`` pipeline. Each pipeline is built once and drained once per
   repeat, as a training loop drains it once per epoch: every pass builds the map function's
   kernels again, but the function is traced once (``--retrace``: traced in every pass too).
2. Python: ``pipeline.tokenize(workers=1|2)`` vs spaCy's tokenizer for the language
   (``spacy.blank("en")``, ...) via ``pipe`` in one process.
Words are whitespace-separated words of the input, the same count for every contender.
``--language`` picks another Debian fortunes corpus (German, Russian, Czech, Chinese): every
such row takes the layer's full Unicode path.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from pipeline.corpus.fortunes import LANGUAGES, fortune_files

FORTUNES = Path(os.environ.get("LEXIVISION_FORTUNES", "/usr/share/games/fortunes"))


def corpus(min_words: int, language: str = "en") -> tuple[list[str], int]:
    """One language's fortunes records, repeated to at least ``min_words`` words, and their word count."""
    records = []
    for path in fortune_files(FORTUNES, language):
        records += [r for r in path.read_bytes().decode("utf-8", "replace").split("\n%\n") if r.strip("%\n")]
    words = sum(len(r.split()) for r in records)
    reps = -(-min_words // words)
    return records * reps, words * reps


def check_row_counts(parser: argparse.ArgumentParser, args: argparse.Namespace, *options: str) -> None:
    """Exit through ``parser.error`` (one line, status 2) if an option among ``options`` that was given
    is not a positive number of rows."""
    for option in options:
        value = getattr(args, option)
        if value is not None and value < 1:
            parser.error(f"--{option} must be a positive number of rows. Received: {value}")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _timed_both(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of ``fn()``; what it returns is
    released after the clocks stop (``drain``'s iterator)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    times = time.perf_counter() - wall, time.process_time() - cpu
    del result
    return times


def input_pipeline(data, fn, rebatch: int | None = None):
    """``fn`` mapped over the batches of ``data`` as a user's input pipeline maps it (parallel calls,
    prefetch), then cut into batches of ``rebatch`` rows if given. Building it traces ``fn``: a user
    does that once, then iterates it once per epoch."""
    import tensorflow as tf

    mapped = data.map(fn, num_parallel_calls=tf.data.AUTOTUNE)
    return (mapped if rebatch is None else mapped.rebatch(rebatch)).prefetch(tf.data.AUTOTUNE)


def drain(pipeline):
    """One pass over ``pipeline`` (one epoch: a new iterator, so the map function's kernels are built again).

    Returns the exhausted iterator, for the caller to release after timing the pass: with tf.data's
    autotuning on, releasing one sometimes blocks for 0.1-0.6 s without using the CPU (waiting for
    the autotuner's thread), whatever the map function; that is no part of the pass's work.
    """
    iterator = iter(pipeline)
    for _ in iterator:
        pass
    return iterator


def run_pipeline(data, fn, rebatch: int | None = None):
    """Build the pipeline (tracing ``fn``) and drain it once; returns ``drain``'s iterator."""
    return drain(input_pipeline(data, fn, rebatch))


def graph_contenders(texts: list[str]):
    """``(config, vocabulary, peer)`` shared by the in-graph benchmarks: the default config, the tokens
    of the first 20,000 texts (at most 20,000), and ``TextVectorization`` on that vocabulary with the
    same output length."""
    import keras

    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import tokenize
    from vocab import Vocabulary

    config = TextConfig()
    vocab = Vocabulary.build(tokenize(texts[:20000], config), max_size=20000)
    peer = keras.layers.TextVectorization(vocabulary=vocab.tokens(), output_sequence_length=config.max_length)
    return config, vocab, peer


def bench_graph(texts: list[str], words: int, batch: int, repeat: int = 3, retrace: bool = False,
                rebatch: int | None = None) -> dict[str, float]:
    """Each contender's input pipeline is built once and drained ``repeat`` times, as a user's training
    loop drains it once per epoch; with ``retrace`` it is built (its map function traced) again in
    every repeat, inside the timing, as this benchmark did before the twelfth session of 2026-11-26.
    ``rebatch``: both contenders map over batches of ``batch`` rows, then the pipeline cuts them into
    batches of ``rebatch`` (the way to feed small training batches)."""
    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    config, vocab, peer = graph_contenders(texts)
    ours = TextPreprocessor(config, vocab)
    data = tf.data.Dataset.from_tensor_slices(texts).batch(batch)

    for layer in (ours, peer):  # warm up (the layers' first call builds them)
        for _ in data.take(2).map(layer):
            pass
    if retrace:
        runs = {name: lambda layer=layer: run_pipeline(data, layer, rebatch)
                for name, layer in (("peer", peer), ("ours", ours))}
    else:
        pipelines = {"peer": input_pipeline(data, peer, rebatch), "ours": input_pipeline(data, ours, rebatch)}
        runs = {name: lambda pipeline=pipeline: drain(pipeline) for name, pipeline in pipelines.items()}
    # Alternate the contenders; on a shared machine the CPU time this process spends is the
    # steadier measure (other users' load inflates wall time, not the work done per word).
    times = {"peer": [], "ours": []}
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(_timed_both(run))
    wall = {k: min(t[0] for t in v) for k, v in times.items()}
    cpu = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    return {"TextVectorization words/s (best wall)": words / wall["peer"],
            "TextPreprocessor words/s (best wall)": words / wall["ours"],
            "graph ratio, wall (ours / TextVectorization)": wall["peer"] / wall["ours"],
            "TextVectorization words/CPU-s (median)": words / cpu["peer"],
            "TextPreprocessor words/CPU-s (median)": words / cpu["ours"],
            "graph ratio, CPU time (ours / TextVectorization)": cpu["peer"] / cpu["ours"]}


def bench_python(texts: list[str], words: int, language: str = "en") -> dict[str, float]:
    import spacy

    from pipeline.text.tokenize import tokenize

    nlp = spacy.blank(language)  # the language's rule-based tokenizer (Chinese: one token per character)
    t_spacy = _timed(lambda: sum(len(d) for d in nlp.tokenizer.pipe(texts, batch_size=1000)))
    t_one = _timed(lambda: tokenize(texts))
    t_two = _timed(lambda: tokenize(texts, workers=2))
    return {"spaCy tokenizer words/s": words / t_spacy, "tokenize workers=1 words/s": words / t_one,
            "tokenize workers=2 words/s": words / t_two, "python ratio (workers=2 / spaCy)": t_spacy / t_two,
            "python ratio (workers=1 / spaCy)": t_spacy / t_one}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=4_000_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--only", choices=("graph", "python"))
    parser.add_argument("--repeat", type=int, default=3, help="graph runs per contender, alternated")
    parser.add_argument("--language", choices=tuple(LANGUAGES), default="en",
                        help="which Debian fortunes corpus (default: English)")
    parser.add_argument("--rebatch", type=int, help="cut the mapped batches of --batch rows into batches of N rows")
    parser.add_argument("--retrace", action="store_true",
                        help="build (trace) each graph pipeline again in every timed repeat (the method before 2026-11-26, "
                             "twelfth session); by default each is built once and drained once per repeat, like epochs")
    args = parser.parse_args(argv)
    check_row_counts(parser, args, "batch", "rebatch")
    texts, words = corpus(args.words, args.language)
    print(f"{len(texts)} texts, {words} words ({args.language} fortunes repeated), cpus={os.cpu_count()}")
    results = {}
    if args.only != "graph":  # before TensorFlow is imported, so the pool can fork
        results.update(bench_python(texts, words, args.language))
    if args.only != "python":
        results.update(bench_graph(texts, words, args.batch, args.repeat, args.retrace, args.rebatch))
    for name, value in results.items():
        print(f"{name:50s} {value:14,.2f}")


if __name__ == "__main__":
    main()
