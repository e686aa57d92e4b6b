"""Lemmatisation with spaCy's English lookup table (``spacy-lookups-data``, no model download).

The table maps a surface form to its lemma (``"was"`` -> ``"be"``); tokens that
are not in it stay as they are. The same table runs in Python and, as a
``tf.lookup`` table saved as a layer asset, in the graph.

>>> lemmatize(["the", "children", "were", "running"])
['the', 'child', 'be', 'run']
>>> lemmatize([["mice", "ran"], []])
[['mouse', 'run'], []]
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["BakedLemmas", "bake_pos_lemmas", "lemma_table", "lemmatize", "load_lemma_file", "save_lemma_file"]

LEMMA_TABLE = "lemma_lookup"


@functools.lru_cache(maxsize=1)
def _spacy_lookup() -> Mapping[str, str]:
    import spacy_lookups_data

    # The file behind spacy.lookups.load_lookups("en", ["lemma_lookup"]), read with its string keys.
    path = Path(spacy_lookups_data.__file__).parent / "data" / f"en_{LEMMA_TABLE}.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table = json.load(f)
    return {k: v for k, v in table.items() if k != v and k and v}


def lemma_table() -> dict[str, str]:
    """spaCy's English lookup table, surface form -> lemma (entries that change the token).

    >>> lemma_table()["was"]
    'be'
    """
    return dict(_spacy_lookup())


def lemmatize(
    tokens_or_texts: Iterable[str] | Iterable[Iterable[str]] | str,
    table: Mapping[str, str] | None = None,
) -> list[str] | list[list[str]]:
    """Lemmas of a token list, of a list of token lists, or of one text (tokenised with the default config).

    >>> lemmatize("The mice were here")
    ['the', 'mouse', 'be', 'here']
    """
    table = _spacy_lookup() if table is None else table
    get = table.get
    if isinstance(tokens_or_texts, str):
        from pipeline.text.tokenize import tokenize

        return [get(t, t) for t in tokenize(tokens_or_texts)]
    items = list(tokens_or_texts)
    if all(isinstance(t, str) for t in items):
        return [get(t, t) for t in items]
    return [[get(t, t) for t in doc] for doc in items]


def save_lemma_file(table: Mapping[str, str], path: str | os.PathLike) -> Path:
    """Write ``surface<TAB>lemma`` lines (sorted), atomically."""
    from vocab._atomic import write_text_atomic

    for key, value in table.items():
        if not key or not value or any(c in s for s in (key, value) for c in "\t\n\r"):
            raise ValueError(f"lemma table entry {key!r} -> {value!r}: empty or contains a tab/newline")
    write_text_atomic(Path(path), "".join(f"{k}\t{v}\n" for k, v in sorted(table.items())))
    return Path(path)


def load_lemma_file(path: str | os.PathLike) -> dict[str, str]:
    """Read a file written by :func:`save_lemma_file`; bad lines name the line number."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such lemma table file")
    table = {}
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path}:{n}: expected 'surface<TAB>lemma'. Received: {line!r:.60}")
        table[parts[0]] = parts[1]
    return table


class BakedLemmas(dict):
    """A corpus-level surface -> lemma map, with what the graph cannot reproduce.

    ``ambiguous`` maps each surface form that a POS-aware pipeline lemmatised
    in more than one way to its lemma counts; the table keeps the most frequent
    lemma, the graph (a plain lookup) cannot follow the context.
    """

    ambiguous: dict[str, dict[str, int]]
    agreement: float


def bake_pos_lemmas(
    texts: Iterable[str], config=None, nlp=None, *, model: str = "en_core_web_sm", batch_size: int = 256
) -> BakedLemmas:
    """Run a POS-aware spaCy pipeline over a corpus and bake a surface -> lemma table.

    The table can be passed to ``TextPreprocessor(..., lemma_table=...)`` and
    ``tokenize(..., lemma_table=...)``; surface forms are normalised with
    ``config`` (a ``TextConfig``; lowercase by default). Raises ``RuntimeError`` (naming the
    model and the fix) when the pipeline is not installed.
    """
    if nlp is None:
        import spacy

        try:
            nlp = spacy.load(model, disable=["parser", "ner"])
        except OSError:
            raise RuntimeError(
                f"spaCy pipeline {model!r} is not installed; install it (pip install {model}) "
                "or use the lookup lemmatiser (text.lemmatize = true), which needs no model"
            ) from None
    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import normalize

    config = config or TextConfig()
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        for tok in doc:
            if not tok.is_space:
                surface = normalize(tok.text, config)
                counts[surface][normalize(tok.lemma_, config) or surface] += 1
    baked = BakedLemmas()
    baked.ambiguous = {}
    agree = total = 0
    for surface, lemmas in counts.items():
        lemma, n = lemmas.most_common(1)[0]
        total += sum(lemmas.values())
        agree += n
        if lemma != surface and "\t" not in surface + lemma and "\n" not in surface + lemma:
            baked[surface] = lemma
        if len(lemmas) > 1:
            baked.ambiguous[surface] = dict(lemmas)
    baked.agreement = agree / total if total else 1.0
    return baked
