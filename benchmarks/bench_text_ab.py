"""A/B of the in-graph text layer: ``preprocessor.py``, ``graph.py`` and ``rules.py`` at a git revision against the working tree.

    PYTHONPATH=. python -m benchmarks.bench_text_ab [--rev HEAD] [--words 4000000] [--repeat 5]
                                                   [--batch 256] [--one-thread] [--language en|de|ru|cs|zh]

Both layers (A: the layer from ``git show REV:pipeline/text/preprocessor.py`` on that revision's
``graph.py`` and ``rules.py``; B: the working tree's) and Keras ``TextVectorization`` run in the same
``tf.data`` pipeline as in ``bench_text`` (default config, batches of ``--batch``; each pipeline
built once and drained once per repeat), alternated ``--repeat`` times in one process, so that the
machine's drift hits all three alike. It first checks that A and B give the same ids on the first
20 batches (a difference is printed, not fatal: switching parts off to see what they cost is one
use of this script).

``--one-thread`` runs each contender as ``profile_text_stages`` runs a stage: over cached batches,
on one private thread, reduced in C++ to one number, timed in CPU seconds. It measures the graph's
work alone, with less noise than the parallel pipeline (differences of 1-2 % show).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_text import _timed_both, check_row_counts, corpus, drain, graph_contenders, input_pipeline
from pipeline.corpus.fortunes import LANGUAGES


def _module_at(rev: str, path: str, name: str):
    """The module in ``path`` as it was at git revision ``rev``."""
    source = subprocess.check_output(["git", "show", f"{rev}:{path}"])
    copy = Path(tempfile.mkdtemp()) / f"{name}.py"
    copy.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, copy)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _layer_class_at(rev: str, graph_a):
    """``TextPreprocessor`` as it was at ``rev``, on ``graph_a`` (that revision's graph module)."""
    package = sys.modules["pipeline.text"]
    saved = package.graph, sys.modules["pipeline.text.graph"]
    package.graph = sys.modules["pipeline.text.graph"] = graph_a  # what its "from pipeline.text import graph" gets
    try:
        return _module_at(rev, "pipeline/text/preprocessor.py", "preprocessor_a").TextPreprocessor
    finally:
        package.graph, sys.modules["pipeline.text.graph"] = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="HEAD", help="git revision of layer A")
    parser.add_argument("--words", type=int, default=4_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--one-thread", action="store_true", help="cached batches, one thread, CPU time only")
    parser.add_argument("--language", choices=tuple(LANGUAGES), default="en",
                        help="which Debian fortunes corpus (default: English)")
    args = parser.parse_args(argv)
    check_row_counts(parser, args, "batch")

    import tensorflow as tf

    import pipeline.text.preprocessor as preprocessor

    rules_b = sys.modules["pipeline.text.rules"]
    sys.modules["pipeline.text.rules"] = _module_at(args.rev, "pipeline/text/rules.py", "rules_a")
    try:  # graph_a imports its names from the revision's rules
        graph_a = _module_at(args.rev, "pipeline/text/graph.py", "graph_a")
    finally:
        sys.modules["pipeline.text.rules"] = rules_b
    if "max_tokens" not in inspect.signature(graph_a.text_to_tokens).parameters:  # revisions before heads
        whole = graph_a.text_to_tokens
        graph_a.text_to_tokens = lambda text, config, max_tokens=None: whole(text, config)
    layer_a = _layer_class_at(args.rev, graph_a)

    texts, words = corpus(args.words, args.language)
    config, vocab, peer = graph_contenders(texts)
    contenders = {}
    for name, layer_class in (("A", layer_a), ("B", preprocessor.TextPreprocessor)):
        layer = layer_class(config, vocab)
        contenders[name] = tf.function(lambda t, layer=layer: layer(t)).get_concrete_function(
            tf.TensorSpec([None], tf.string))
    contenders["TextVectorization"] = peer
    data = tf.data.Dataset.from_tensor_slices(texts).batch(args.batch)

    first = [[x.numpy() for x in data.take(20).map(contenders[k])] for k in ("A", "B")]
    same = all((a == b).all() for a, b in zip(*first))
    print(f"{len(texts)} texts, {words} words; A = {args.rev}, B = working tree; same ids on 20 batches: {same}")

    if args.one_thread:
        from benchmarks.profile_text_stages import one_thread_runner

        cached = data.cache()
        runners = {name: one_thread_runner(tf, cached, fn) for name, fn in contenders.items()}
    else:
        pipelines = {name: input_pipeline(data, fn) for name, fn in contenders.items()}  # built once, drained per repeat
        runners = {name: lambda pipeline=pipeline: drain(pipeline) for name, pipeline in pipelines.items()}

    times = {k: [] for k in ("TextVectorization", "A", "B")}
    for _ in range(args.repeat):
        for name in times:
            times[name].append(_timed_both(runners[name]))
    peer_wall = min(t[0] for t in times["TextVectorization"])
    peer_cpu = statistics.median(t[1] for t in times["TextVectorization"])
    for name, runs in times.items():
        wall, cpu = min(t[0] for t in runs), statistics.median(t[1] for t in runs)
        print(f"{name:18s} {words / wall / 1e6:5.2f}M words/s (best wall), {words / cpu / 1e6:5.2f}M words/CPU-s "
              f"(median); ratio to TextVectorization: wall {peer_wall / wall:.3f}, CPU {peer_cpu / cpu:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
