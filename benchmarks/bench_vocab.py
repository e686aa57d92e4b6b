"""Counting + building a vocabulary: lexivision vs Keras and scikit-learn, side by side.

    python -m benchmarks.bench_vocab [--min-words 4000000] [--repeats 3] [--no-memory]

Data: every fortune (records split on ``%`` lines) from /usr/share/games/fortunes, split
on whitespace once (pre-split tokens), the list repeated until it holds at least
``--min-words`` words. Every contender gets the same tokens and builds the full vocabulary
(no frequency cut-off), and the benchmark checks they find the same token set.

- lexivision: ``Vocabulary.build(TokenCounts().update(docs))`` (term *and* document
  frequencies), and ``count_parallel`` over 8 chunks with 1 and 2 worker processes (fork:
  the workers share the pre-split list, only counts travel back) + ``Vocabulary.build``.
- scikit-learn: ``CountVectorizer(analyzer=identity, lowercase=False).fit(docs)``: the
  callable analyzer skips sklearn's own tokenizer, so it counts the very same token lists.
- Keras: ``TextVectorization(standardize=None, split="whitespace").adapt(ds)`` where ds is a
  ``tf.data`` dataset of the tokens re-joined with single spaces, batched (the join and the
  dataset are built before timing; splitting on whitespace gives back exactly the same
  tokens, and is the cheapest split TextVectorization offers on strings). Also
  ``StringLookup().adapt`` on a ``tf.RaggedTensor`` of the pre-split tokens (the layer that
  TextVectorization runs after splitting), batched the same way: no splitting at all.
  Keras counts term frequencies only; lexivision and sklearn also count document frequencies.

Time: best of ``--repeats`` rounds, wall clock; in each round every contender runs once,
in turn, in this one process.
Peak memory: each contender runs once more in a fresh subprocess, which reports the growth
of its peak RSS (``resource.getrusage``; children included for the worker pool) over its
RSS once the data is loaded and the libraries imported.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

FORTUNES_DIR = Path(os.environ.get("LEXIVISION_FORTUNES", "/usr/share/games/fortunes"))
CHUNKS = 8
KERAS_BATCH = 4096

_DOCS: list[list[str]] = []  # shared with forked workers


def load_docs(min_words: int) -> list[list[str]]:
    """Pre-split fortunes, repeated to at least ``min_words`` words."""
    from pipeline.corpus.fortunes import fortune_files

    base = []
    for path in fortune_files(FORTUNES_DIR):
        text = path.read_text(encoding="utf-8", errors="replace")
        for record in text.split("\n%\n"):
            tokens = record.split()
            if tokens:
                base.append(tokens)
    words = sum(map(len, base))
    repeat = -(-min_words // words)
    return base * repeat


def _identity(doc):
    return doc


def _read_slice(bounds: tuple[int, int]) -> list[list[str]]:
    start, stop = bounds
    return _DOCS[start:stop]


# Contenders: each takes the docs (or prepared TF inputs) and returns the vocabulary token set.


def run_lexivision(docs):
    from vocab import TokenCounts, Vocabulary

    return set(Vocabulary.build(TokenCounts().update(docs)).tokens())


def run_parallel(docs, workers):
    from vocab import Vocabulary, count_parallel

    step = -(-len(docs) // CHUNKS)
    bounds = [(i, min(i + step, len(docs))) for i in range(0, len(docs), step)]
    counts = count_parallel(bounds, workers=workers, read=_read_slice, mp_context="fork")
    return set(Vocabulary.build(counts).tokens())


def run_sklearn(docs):
    from sklearn.feature_extraction.text import CountVectorizer

    cv = CountVectorizer(analyzer=_identity, lowercase=False).fit(docs)
    return set(cv.vocabulary_)


def prepare_keras(docs):
    import tensorflow as tf

    joined = tf.data.Dataset.from_tensor_slices([" ".join(d) for d in docs]).batch(KERAS_BATCH)
    ragged = []
    for i in range(0, len(docs), KERAS_BATCH):
        batch = docs[i : i + KERAS_BATCH]
        flat = tf.constant([t for d in batch for t in d])
        ragged.append(tf.RaggedTensor.from_row_lengths(flat, [len(d) for d in batch]))
    return joined, ragged


def run_text_vectorization(joined):
    import keras

    layer = keras.layers.TextVectorization(standardize=None, split="whitespace")
    layer.adapt(joined)
    return set(layer.get_vocabulary(include_special_tokens=False))


def run_string_lookup(ragged):
    import keras

    layer = keras.layers.StringLookup(mask_token="")
    layer.adapt(iter(ragged))
    return set(layer.get_vocabulary(include_special_tokens=False))


def contenders(docs, keras_inputs):
    joined, ragged = keras_inputs
    return {
        "lexivision TokenCounts+build": lambda: run_lexivision(docs),
        "lexivision count_parallel workers=1": lambda: run_parallel(docs, 1),
        "lexivision count_parallel workers=2": lambda: run_parallel(docs, 2),
        "sklearn CountVectorizer.fit": lambda: run_sklearn(docs),
        "keras TextVectorization.adapt": lambda: run_text_vectorization(joined),
        "keras StringLookup.adapt (ragged)": lambda: run_string_lookup(ragged),
    }


def _cpu_seconds() -> float:
    """User + system time of this process (all threads) and its reaped children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best_times(runs: dict, repeats: int) -> tuple[dict[str, float], dict[str, float], dict[str, set]]:
    """Best wall time and best CPU time of each contender, taking turns (round robin)
    so that load from other users of a shared machine hits all of them alike."""
    wall = dict.fromkeys(runs, float("inf"))
    cpu = dict.fromkeys(runs, float("inf"))
    results = {}
    for _ in range(repeats):
        for name, fn in runs.items():
            gc.collect()
            t0, c0 = time.perf_counter(), _cpu_seconds()
            results[name] = fn()
            wall[name] = min(wall[name], time.perf_counter() - t0)
            cpu[name] = min(cpu[name], _cpu_seconds() - c0)
    return wall, cpu, results


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024


def measure_memory(name: str, min_words: int) -> None:
    """Subprocess body: load the data, reset the peak RSS, run ``name`` once, print
    the growth of the peak RSS over the RSS before the run (and, for the pool, the
    largest worker's peak over that same level; forked workers start with the
    parent's pages) as JSON."""
    global _DOCS
    _DOCS = docs = load_docs(min_words)
    keras_inputs = prepare_keras(docs) if "keras" in name else (None, None)
    fn = contenders(docs, keras_inputs)[name]
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:  # resets VmHWM (peak RSS) to the current RSS
        f.write("5")
    before = _status_mib("VmRSS")
    fn()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({
        "name": name,
        "peak_growth_mib": _status_mib("VmHWM") - before,
        "worker_peak_growth_mib": max(0.0, workers - before) if workers else None,
        "before_mib": before,
    }))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-words", type=int, default=4_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-time", action="store_true", help="only measure peak memory")
    parser.add_argument("--memory-of", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_of:
        measure_memory(args.memory_of, args.min_words)
        return

    global _DOCS
    _DOCS = docs = load_docs(args.min_words)
    words = sum(map(len, docs))
    print(f"{len(docs):,} documents, {words:,} words, cpu_count={os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    if not args.no_time:
        report_times(contenders(docs, prepare_keras(docs)), args.repeats, words)
    runs = contenders(docs, (None, None))
    if not args.no_memory:
        print("peak RSS growth while building (fresh subprocess each; data loaded before):")
        for name in runs:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_vocab", "--min-words", str(args.min_words),
                 "--memory-of", name],
                check=True, capture_output=True, text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            extra = ""
            if "count_parallel" in name and result["worker_peak_growth_mib"] is not None:
                extra = f"  (largest worker: {result['worker_peak_growth_mib']:.1f} MiB)"
            print(f"  {name:40s} {result['peak_growth_mib']:7.1f} MiB{extra}", flush=True)


def report_times(runs: dict, repeats: int, words: int) -> None:
    times, cpu, vocabularies = best_times(runs, repeats)
    print(f"best of {repeats} rounds (wall s, CPU s incl. worker processes and TF threads), "
          f"load average now {os.getloadavg()[0]:.2f}:")
    for name in runs:
        print(f"  {name:40s} wall {times[name]:6.2f} s  cpu {cpu[name]:6.2f} s  "
              f"({words / times[name] / 1e6:5.2f} M words/s wall)", flush=True)
    reference = vocabularies["lexivision TokenCounts+build"]
    for name, vocabulary in vocabularies.items():
        assert vocabulary == reference, f"{name} found a different token set ({len(vocabulary)} vs {len(reference)})"
    print(f"all contenders found the same {len(reference):,} distinct tokens")

    print("ratios, peer time / lexivision time (> 1: lexivision is faster):")
    for ours in ("lexivision TokenCounts+build", "lexivision count_parallel workers=2"):
        for peer in ("sklearn CountVectorizer.fit", "keras TextVectorization.adapt", "keras StringLookup.adapt (ragged)"):
            print(f"  {peer:34s} vs {ours:36s} wall {times[peer] / times[ours]:5.2f}x  "
                  f"cpu {cpu[peer] / cpu[ours]:5.2f}x")
    one, two = times["lexivision count_parallel workers=1"], times["lexivision count_parallel workers=2"]
    print(f"  count_parallel wall-time speed-up, 2 workers vs 1: {one / two:5.2f}x")


if __name__ == "__main__":
    main()
