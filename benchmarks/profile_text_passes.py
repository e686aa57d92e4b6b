"""Cost per batch and cost per pass of the in-graph text layer and ``TextVectorization``.

    PYTHONPATH=. python -m benchmarks.profile_text_passes [--rows 2560] [--times 8] [--rounds 15]
                                                         [--batch 256] [--threads 1]

Each contender is mapped over the first ``--rows`` fortunes (in batches) and over the same rows
``--times`` times, on a private thread pool (``--threads``; one call at a time per thread), and its
median CPU time over ``--rounds`` alternated rounds is split in two::

    per batch = (T(times x rows) - T(rows)) / ((times - 1) x batches)
    per pass  = T(rows) - batches x per batch

"Per pass" is what a new iterator costs whatever its length: building the map function's kernels
(for the layer, compiling its RE2 patterns), and the automata RE2 builds on the first rows. An
identity map is timed too: its per-pass cost is the pipeline's own.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.bench_text import corpus, graph_contenders
from benchmarks.profile_text_stages import _scalar


def _runner(tf, data, fn, threads: int):
    """A callable that maps ``fn`` over ``data`` (``threads`` calls at a time, on a private pool of
    that size), reduces in C++, and returns the CPU seconds it took; called once here to trace."""
    options = tf.data.Options()
    options.threading.private_threadpool_size = threads
    reduced = data.map(lambda t: _scalar(tf, fn(t)), num_parallel_calls=threads).with_options(options)

    def run() -> float:
        start = time.process_time()
        reduced.reduce(tf.constant(0, tf.int64), lambda a, b: a + b).numpy()
        return time.process_time() - start

    run()
    return run


def alternated_medians(runners: dict, rounds: int) -> dict:
    """Each runner's median result over ``rounds`` rounds, times 1000 (seconds -> ms); the runners
    take turns in every round, so that the machine's drift hits all alike."""
    results = {key: [] for key in runners}
    for _ in range(rounds):
        for key, run in runners.items():
            results[key].append(run())
    return {key: statistics.median(values) * 1e3 for key, values in results.items()}


def split_costs(once_ms: float, repeated_ms: float, batches: int, times: int) -> tuple[float, float]:
    """``(per batch, per pass)`` in ms from the times of one pass and of ``times`` passes' worth.

    >>> split_costs(100.0, 800.0, 10, 8)
    (10.0, 0.0)
    """
    per_batch = (repeated_ms - once_ms) / ((times - 1) * batches)
    return per_batch, once_ms - batches * per_batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2560)
    parser.add_argument("--times", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    if args.times < 2 or args.rows < 1:
        parser.error(f"--times must be >= 2 and --rows >= 1. Received: --times {args.times}, --rows {args.rows}")

    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    texts, _ = corpus(args.rows)
    texts = texts[: args.rows]
    config, vocab, peer = graph_contenders(texts)
    contenders = {"identity map": tf.identity, "TextVectorization": peer, "TextPreprocessor": TextPreprocessor(config, vocab)}
    once = tf.data.Dataset.from_tensor_slices(texts).batch(args.batch).cache()
    repeated = tf.data.Dataset.from_tensor_slices(texts * args.times).batch(args.batch).cache()
    batches = -(-len(texts) // args.batch)
    runners = {(name, n): _runner(tf, data, fn, args.threads)
               for name, fn in contenders.items() for n, data in ((1, once), (args.times, repeated))}
    median = alternated_medians(runners, args.rounds)

    print(f"{len(texts)} texts in {batches} batches of {args.batch}, x1 and x{args.times}, {args.threads} thread(s); "
          f"median CPU of {args.rounds} rounds")
    for name in contenders:
        per_batch, per_pass = split_costs(median[name, 1], median[name, args.times], batches, args.times)
        print(f"{name:18s} per batch {per_batch:7.3f} ms   per pass {per_pass:7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
