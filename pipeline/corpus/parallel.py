"""An ordered ``map`` over a process pool that never queues more than a few tasks.

``multiprocessing.Pool.imap`` drains its input eagerly, so a corpus generator
would end up in memory; here at most ``window`` tasks are in flight.

>>> list(bounded_map(abs, [-1, 2, -3], workers=1))
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["bounded_map", "default_workers"]

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _context():
    # fork: workers start in milliseconds and scripts need no ``if __name__ == "__main__"``.
    # The workers run only pure Python (tokenizer, counting, protobuf bytes), never
    # TensorFlow, so forking a parent that has TensorFlow's threads running is safe here.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def bounded_map(
    fn: Callable[[T], R], items: Iterable[T], *, workers: int, window: int | None = None
) -> Iterator[R]:
    """``fn`` over ``items`` in order; ``workers == 1`` runs in this process.

    ``fn`` must be a picklable module-level function when ``workers > 1``.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"`workers` must be an int >= 1. Received: workers={workers!r}")
    if workers == 1:
        yield from map(fn, items)
        return
    window = window or 2 * workers
    with warnings.catch_warnings(), ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        # Python >= 3.12 warns about fork() in a multi-threaded parent (see _context)
        warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to deadlocks", category=DeprecationWarning)
        pending: deque = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
