"""Counting tokens over corpora with a process pool, and ``build_vocabulary``.

>>> import tempfile, pathlib
>>> corpus = pathlib.Path(tempfile.mkdtemp()) / "c.txt"
>>> _ = corpus.write_text("the cat and the dog play .\\nthe dog\\n")
>>> build_vocabulary([corpus], workers=1, min_freq=2).tokens()
['the', 'dog']
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.corpus.inputs import InputFile, expand_inputs
from pipeline.corpus.parallel import bounded_map, default_workers
from pipeline.corpus.problems import Problems
from pipeline.corpus.readers import read_records
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import END_TOKEN, START_TOKEN, tokenize
from vocab import TokenCounts, Vocabulary

__all__ = ["CHUNK_SIZE", "Scan", "build_vocabulary", "scan_corpus", "specials_for"]

CHUNK_SIZE = 2000  # documents per task sent to a worker


@dataclass
class Scan:
    """What one pass over a corpus found: records, labels, problems and (optionally) token counts."""

    num_records: int = 0
    labels: set = field(default_factory=set)
    problems: Problems = field(default_factory=Problems)
    counts: TokenCounts | None = None


def _count_chunk(task: tuple[TextConfig, list[str]]) -> TokenCounts:
    config, texts = task
    return TokenCounts().update(tokenize(texts, config))


def _progress(enabled: bool, desc: str, total: int | None = None):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=" docs", unit_scale=True, disable=not enabled, mininterval=0.5)


def scan_corpus(
    files: Sequence[InputFile],
    config: TextConfig,
    *,
    count: bool,
    workers: int,
    text_column: str | int = "text",
    label_column: str | int | None = "label",
    progress: bool = False,
) -> Scan:
    """One streaming pass: the reader runs here, tokenising and counting in ``workers`` processes."""
    scan = Scan(counts=TokenCounts() if count else None)
    records = read_records(files, scan.problems, text_column=text_column, label_column=label_column)
    bar = _progress(progress, "counting" if count else "scanning")

    def chunks() -> Iterator[tuple[TextConfig, list[str]]]:
        texts: list[str] = []
        for record in records:
            scan.num_records += 1
            if record.label is not None:
                scan.labels.add(record.label)
            if count:
                texts.append(record.text)
                if len(texts) >= CHUNK_SIZE:
                    yield config, texts
                    texts = []
        if texts:
            yield config, texts

    with bar:
        if not count:
            for _ in chunks():
                pass
            bar.update(scan.num_records)
            return scan
        for partial in bounded_map(_count_chunk, chunks(), workers=workers):
            scan.counts.merge(partial)
            bar.update(partial.num_docs)
    return scan


def specials_for(config: TextConfig) -> tuple[str, ...]:
    """The reserved tokens a config's id sequences use (``<s>``, ``</s>``)."""
    return tuple(t for t, on in ((START_TOKEN, config.start_token), (END_TOKEN, config.end_token)) if on)


def build_vocabulary(
    inputs: Sequence[str | os.PathLike] | str | os.PathLike,
    text_config: TextConfig | None = None,
    *,
    workers: int | None = None,
    min_freq: int = 1,
    max_size: int | None = None,
    min_df: int | float | None = None,
    max_df: int | float | None = None,
    stop_words: str | os.PathLike | Sequence[str] | None = None,
    lemmatize: bool | None = None,
    num_oov_indices: int = 1,
    text_column: str | int = "text",
    label_column: str | int | None = "label",
    problems: Problems | None = None,
    progress: bool = False,
) -> Vocabulary:
    """A :class:`vocab.Vocabulary` of the corpora ``inputs``, counted by ``workers`` processes.

    Each worker tokenises chunks of documents into a :class:`vocab.TokenCounts`;
    the partial counts are merged, so the result does not depend on ``workers``.
    ``lemmatize`` overrides ``text_config.lemmatize``; ``stop_words`` removes
    words from the vocabulary (``"english"``, a list or a file). Skipped input
    (empty lines, unreadable files, ...) is counted in ``problems`` when given.
    """
    config = text_config or TextConfig()
    if lemmatize is not None:
        config = config.replace(lemmatize=lemmatize)
    files = expand_inputs(inputs)
    scan = scan_corpus(
        files,
        config,
        count=True,
        workers=default_workers() if workers is None else workers,
        text_column=text_column,
        label_column=label_column,
        progress=progress,
    )
    if problems is not None:
        problems.merge(scan.problems)
    return Vocabulary.build(
        scan.counts,
        min_freq=min_freq,
        max_size=max_size,
        min_df=min_df,
        max_df=max_df,
        stop_words=stop_words,
        specials=specials_for(config),
        num_oov_indices=num_oov_indices,
    )
