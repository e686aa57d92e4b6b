"""Counting tokens in a process pool: each worker counts a chunk, the parent merges.

A chunk is either a list of token lists, or a small picklable description of
one (a file path, a shard number) that a top-level ``read`` function turns into
token lists *inside the worker*, so that reading and tokenizing run in
parallel too and only the counts travel back (``TokenCounts`` pickles each
token once, then its counts as two int lists). The parent keeps at most
``2 * workers`` chunks in flight and merges partial counts as they arrive, so
memory stays bounded by the number of distinct tokens.

This is how ``lexivision vocab build --workers N`` counts a corpus::

    counts = count_parallel(
        input_shards,                      # e.g. (path, start, stop) per shard
        workers=args.workers,
        read=read_and_tokenize,            # module-level: shard -> token lists
        on_chunk=bar.update,               # called with each chunk's number of documents
    )
    vocabulary = Vocabulary.build(counts, min_freq=args.min_freq, ...)

>>> chunks = [[["a", "b"], ["a"]], [["b", "c"]]]
>>> counts = count_parallel(chunks, workers=1)
>>> counts.term_freq["a"], counts.doc_freq["b"], counts.num_docs
(2, 2, 3)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from vocab.counts import TokenCounts

__all__ = ["count_parallel", "count_chunk"]

TokenDocs = Iterable[Iterable[str]]


def count_chunk(chunk: Any, read: Callable[[Any], TokenDocs] | None = None) -> TokenCounts:
    """Count one chunk: ``read(chunk)`` if ``read`` is given, else ``chunk`` itself.

    >>> count_chunk("x y x", read=lambda text: [text.split()]).term_freq["x"]
    2
    """
    return TokenCounts().update(read(chunk) if read is not None else chunk)


def _resolve_workers(workers: int | None) -> int:
    if workers is None:
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"`workers` must be None (all cores) or an int >= 1. Received: workers={workers!r}")
    return workers


def count_parallel(
    chunks: Iterable[Any],
    *,
    workers: int | None = 1,
    read: Callable[[Any], TokenDocs] | None = None,
    on_chunk: Callable[[int], None] | None = None,
    mp_context: str | None = None,
) -> TokenCounts:
    """Count ``chunks`` with ``workers`` processes and return the merged counts.

    ``workers=1`` counts every chunk straight into one ``TokenCounts`` in this
    process (no pickling, no merging); ``None`` uses every core. With
    ``workers > 1`` each chunk is counted from scratch in a worker and merged
    here, so chunks should be large (thousands of documents: a file, a shard),
    and ``read`` must be picklable (a module-level function or a
    ``functools.partial`` of one). ``on_chunk`` is called in this process with
    the number of documents of each chunk, in completion order (pass a tqdm
    bar's ``update``). ``mp_context`` is a ``multiprocessing`` start method
    ("fork", "spawn", "forkserver"); the default is the platform's. The result
    does not depend on ``workers``: merging is addition.
    """
    workers = _resolve_workers(workers)
    total = TokenCounts()
    if workers == 1:
        for chunk in chunks:
            before = total.num_docs
            total.update(read(chunk) if read is not None else chunk)
            if on_chunk is not None:
                on_chunk(total.num_docs - before)
        return total

    import multiprocessing

    context = multiprocessing.get_context(mp_context)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: set[Future] = set()

        def collect(done: set[Future]) -> None:
            for future in done:
                part = future.result()
                if on_chunk is not None:
                    on_chunk(part.num_docs)
                total.merge(part)

        for chunk in chunks:
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                collect(done)
            pending.add(pool.submit(count_chunk, chunk, read))
        collect(wait(pending).done)
    return total
