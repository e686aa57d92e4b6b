"""Batch preprocessing of corpora: lexivision's process pool vs spaCy ``nlp.pipe(n_process=2)``.

    python -m benchmarks.bench_corpus [--repeat 10] [--memory 1,4,16] [--no-preprocess] [--no-peer]

Data: the fortunes folder (/usr/share/games/fortunes, 15k quotations, ~0.9M words)
passed ``--repeat`` times as input, i.e. read from disk that many times (10x = ~4.4M words).
Words are counted once as whitespace-separated pieces of the documents.

- ``build_vocabulary(inputs, workers=N)`` for N = 1, 2: read, tokenise (default
  ``TextConfig``), count term and document frequencies, build the vocabulary.
- ``preprocess_corpus(inputs, out, workers=N)``: the above plus a second pass that
  tokenises again, encodes, and writes TFRecord shards and the manifest.
- peer: spaCy's English tokenizer (``spacy.blank("en")``) via
  ``nlp.pipe(texts, n_process=2, batch_size=1000)``, counting the tokens in a Counter,
  on the same documents (read by lexivision's reader beforehand, not timed).
- memory: ``preprocess_corpus`` with the whitespace tokenizer (memory, not speed, is the
  point) on 1x/4x/16x fortunes, each in a fresh subprocess; peak RSS of the main process
  and of the largest worker (``getrusage``).

Every run is timed once, wall clock; the machine may be shared (see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FORTUNES_DIR = Path(os.environ.get("LEXIVISION_FORTUNES", "/usr/share/games/fortunes"))


def _fortunes() -> list[Path]:
    """The English fortunes files (not the Chinese ones that fortunes-zh adds to the folder)."""
    from pipeline.corpus.fortunes import fortune_files

    return fortune_files(FORTUNES_DIR)


def _texts(repeat: int) -> list[str]:
    from pipeline.corpus.inputs import expand_inputs
    from pipeline.corpus.problems import Problems
    from pipeline.corpus.readers import read_records

    return [r.text for r in read_records(expand_inputs(_fortunes() * repeat), Problems())]


def _spacy(texts: list[str]) -> int:
    import spacy

    nlp = spacy.blank("en")
    counts: Counter[str] = Counter()
    for doc in nlp.pipe(texts, n_process=2, batch_size=1000):
        counts.update(t.text for t in doc)
    return len(counts)


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the worker pools)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _timed(fn):
    cpu0, start = _cpu(), time.perf_counter()
    value = fn()
    seconds, cpu1 = time.perf_counter() - start, _cpu()
    return seconds, value, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]


def _memory_child(repeat: int, out: str) -> None:
    from pipeline.corpus.preprocess import preprocess_corpus
    from pipeline.text.config import TextConfig

    start = time.perf_counter()
    manifest = preprocess_corpus(_fortunes() * repeat, out, text_config=TextConfig(tokenizer="whitespace"), workers=2)
    seconds = time.perf_counter() - start
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{manifest['counts']['written']} {main:.0f} {child:.0f} {seconds:.1f}")


def _memory(repeats: list[int]) -> None:
    print("\npeak RSS of preprocess_corpus (whitespace tokenizer, 2 workers), fresh process each:")
    print(f"{'corpus':>8} {'documents':>10} {'main MiB':>9} {'worker MiB':>11} {'seconds':>8}")
    for repeat in repeats:
        out = tempfile.mkdtemp(prefix="bench_corpus_mem_")
        try:
            line = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_corpus", "--memory-child", str(repeat), out],
                check=True, capture_output=True, text=True,
            ).stdout.split()
        finally:
            shutil.rmtree(out, ignore_errors=True)
        docs, main, child, seconds = line
        print(f"{repeat:>7}x {docs:>10} {main:>9} {child:>11} {seconds:>8}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-peer", action="store_true", help="skip spaCy")
    parser.add_argument("--memory", default="1,4,16", help="corpus sizes (x fortunes) for the memory sweep; '' to skip")
    parser.add_argument("--no-preprocess", action="store_true")
    parser.add_argument("--no-vocab", action="store_true", help="skip build_vocabulary")
    parser.add_argument("--memory-only", action="store_true", help="only the memory sweep")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        return _memory_child(int(args.memory_child[0]), args.memory_child[1])

    from pipeline.corpus.preprocess import preprocess_corpus
    from pipeline.corpus.vocabulary import build_vocabulary

    if args.memory_only:
        return _memory([int(x) for x in args.memory.split(",")])
    texts = _texts(args.repeat)
    docs, words = len(texts), sum(len(t.split()) for t in texts)
    print(f"corpus: fortunes x{args.repeat}: {docs} documents, {words} words; load average {os.getloadavg()[0]:.1f}")
    inputs = _fortunes() * args.repeat
    rows = []
    print(f"\n{'run':<44} {'seconds':>8} {'docs/s':>9} {'words/s':>10} {'CPU s main':>11} {'CPU s workers':>14}", flush=True)

    def run(name, fn):
        row = (name, *_timed(fn))
        rows.append(row)
        seconds, cpu_main, cpu_workers = row[1], row[3], row[4]
        print(f"{name:<44} {seconds:8.1f} {docs / seconds:9.0f} {words / seconds:10.0f} {cpu_main:11.1f} {cpu_workers:14.1f}", flush=True)

    for workers in () if args.no_vocab else (1, 2):
        run(f"build_vocabulary workers={workers}", lambda: build_vocabulary(inputs, workers=workers))
    for workers in () if args.no_preprocess else (1, 2):
        out = tempfile.mkdtemp(prefix="bench_corpus_")
        try:
            run(f"preprocess_corpus workers={workers}", lambda: preprocess_corpus(inputs, out, workers=workers))
        finally:
            shutil.rmtree(out, ignore_errors=True)
    if not args.no_peer:
        run("spaCy nlp.pipe(n_process=2) tokenize+count", lambda: _spacy(texts))
    by = {row[0]: row[1] for row in rows}
    print()
    if not args.no_vocab:
        print(f"build_vocabulary 2 workers vs 1: {by['build_vocabulary workers=1'] / by['build_vocabulary workers=2']:.2f}x")
    if not args.no_preprocess:
        print(f"preprocess_corpus 2 workers vs 1: {by['preprocess_corpus workers=1'] / by['preprocess_corpus workers=2']:.2f}x")
    if not (args.no_peer or args.no_vocab):
        spacy_s = by["spaCy nlp.pipe(n_process=2) tokenize+count"]
        print(f"build_vocabulary 2 workers vs spaCy nlp.pipe(n_process=2): {spacy_s / by['build_vocabulary workers=2']:.2f}x")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.memory:
        _memory([int(x) for x in args.memory.split(",")])


if __name__ == "__main__":
    main()
