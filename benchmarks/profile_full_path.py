"""The in-graph text layer's full path: which rows take it, and what it costs per batch and per pass.

    PYTHONPATH=. python -m benchmarks.profile_full_path [--language en] [--batch 256] [--times 8]
                                                       [--rounds 9]

The layer's fast path takes the rows whose head is plain ASCII; the others ("redo" rows) take the
full path: the UTF-8 check and repair, NFKC, the space and control passes, Unicode lowercasing,
then the apostrophe, clitic and separation passes, once per batch on the batch's redo rows joined
(``graph.joined_full_path``). This script

1. counts the redo rows of one pass over a Debian fortunes corpus (not repeated), by the first
   reason found: a control character, a character outside ASCII, an apostrophe beside an "_",
   or another (an odd clitic such as "it's's");
2. times the whole full path, and its UTF-8 check and repair, on each batch's own redo rows inside
   ``tf.data`` (one private thread), over one pass of the batches and over ``--times`` passes'
   worth, and splits the median CPU time as ``profile_text_passes`` does into a cost per batch
   and a cost per pass (compiling the RE2 patterns and warming their automata again);
3. times each later step where it stands in the path: all the steps on the joined (repaired) rows
   against all but that one, per batch.
"""

from __future__ import annotations

import argparse
import collections
import functools
import statistics

from benchmarks.bench_text import corpus
from benchmarks.profile_text_passes import _runner, alternated_medians, split_costs
from pipeline.corpus.fortunes import LANGUAGES

_SPLIT = "\t\n\x0b\x0c\r "
STEP_NAMES = ("NFKC", "space", "control", "lowercase (ICU)", "apostrophe", "clitic", "separation")


def path_steps(tf, tf_text, graph, config) -> dict:
    """The full path's steps after the UTF-8 repair and the join, in order, for the default config
    (``graph._normalize_known`` then ``graph._separate``; a test checks they give the same text)."""
    if config.normalization != "nfkc" or not config.lowercase or config.strip_accents or config.tokenizer != "default":
        raise ValueError("path_steps spells out the default config's steps only")
    fns = (functools.partial(tf_text.normalize_utf8, normalization_form="NFKC"),
           functools.partial(graph._sub, step="space"), functools.partial(graph._sub, step="control"),
           functools.partial(tf.strings.lower, encoding="utf-8"), functools.partial(graph._sub, step="apostrophe"),
           functools.partial(graph._sub, step="clitic"), functools.partial(graph._sub, step="separate"))
    return dict(zip(STEP_NAMES, fns, strict=True))


def _chain(fns):
    def chained(value):
        for fn in fns:
            value = fn(value)
        return value

    return chained


def redo_reason(text: str, max_tokens: int) -> str:
    """Why a redo row's head is not plain ASCII: the first of the reasons in the module docstring.

    >>> redo_reason("_\\bw_\\bo", 64), redo_reason("caf\\u00e9", 64), redo_reason("it's's", 64)
    ('control character', 'outside ASCII', 'other')
    """
    head = " ".join(text.split()[:max_tokens])
    for char in head:
        if ord(char) > 0x7E:
            return "outside ASCII"
        if ord(char) < 0x20 and char not in _SPLIT:
            return "control character"
    if "_" in head and "'" in head:
        return "apostrophe beside _"
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=tuple(LANGUAGES), default="en")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--times", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    if args.times < 2 or args.batch < 1:
        parser.error(f"--times must be >= 2 and --batch >= 1. Received: --times {args.times}, --batch {args.batch}")

    import tensorflow as tf
    import tensorflow_text as tf_text

    from pipeline.text import graph
    from pipeline.text.config import TextConfig

    config = TextConfig()
    texts, _ = corpus(1, args.language)
    batches = [tf.constant(texts[start : start + args.batch]) for start in range(0, len(texts), args.batch)]
    redo_rows = [tf.gather_nd(b, tf.where(graph.fast_rows(b, config, config.room)[1])) for b in batches]
    redo_texts = [t.decode("utf-8", "replace") for rows in redo_rows for t in rows.numpy().tolist()]
    reasons = collections.Counter(redo_reason(t, config.room) for t in redo_texts)
    joined = [graph.join_known_rows(r) for r in redo_rows]
    n = len(batches)
    print(f"{len(texts)} {args.language} fortunes in {n} batches of {args.batch}: {len(redo_texts)} rows to redo "
          f"({len(redo_texts) / n:.2f} per batch, {statistics.mean(len(j.numpy()) for j in joined):.0f} bytes joined)")
    for reason, count in reasons.most_common():
        print(f"  {reason:22s} {count:6d}")

    steps = path_steps(tf, tf_text, graph, config)
    once_rows = tf.data.Dataset.from_tensor_slices(tf.ragged.stack(redo_rows)).map(lambda r: r)
    repeated_rows = once_rows.repeat(args.times)
    repeated_joined = tf.data.Dataset.from_tensor_slices(tf.stack(joined)).repeat(args.times)
    runners = {("nothing", 1): _runner(tf, once_rows, tf.identity, 1),
               ("nothing", args.times): _runner(tf, repeated_rows, tf.identity, 1)}
    for times, data in ((1, once_rows), (args.times, repeated_rows)):
        runners["whole full path", times] = _runner(tf, data, lambda r: graph.joined_full_path(r, config), 1)
        runners["UTF-8 check and repair", times] = _runner(tf, data, graph.coerce_known_utf8, 1)
    # a step's cost per batch, where it stands in the path: every step against every step but that one
    runners["all steps", None] = _runner(tf, repeated_joined, _chain(list(steps.values())), 1)
    for name in steps:
        runners[name, None] = _runner(tf, repeated_joined, _chain([f for k, f in steps.items() if k != name]), 1)
    median = alternated_medians(runners, args.rounds)
    print(f"CPU time (one thread, median of {args.rounds} rounds), split as in profile_text_passes: x1 against "
          f"x{args.times} passes' worth, less the same pipeline mapping nothing:")
    for name in ("whole full path", "UTF-8 check and repair"):
        per_batch, per_pass = split_costs(median[name, 1] - median["nothing", 1],
                                          median[name, args.times] - median["nothing", args.times], n, args.times)
        print(f"  {name:26s} per batch {per_batch * 1e3:7.1f} us   per pass {per_pass:6.2f} ms")
    print(f"Each step after the UTF-8 repair, on the joined rows: the steps without it against all of them, "
          f"x{args.times}, per batch:")
    for name in steps:
        print(f"  {name:26s} per batch {(median['all steps', None] - median[name, None]) / (n * args.times) * 1e3:7.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
