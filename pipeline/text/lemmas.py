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
import itertools
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

__all__ = [
    "BakedLemmas", "bake_pos_lemmas", "lemma_table", "lemmatize", "load_lemma_file", "load_pos_pipeline",
    "lookup_table", "pos_lemmas", "save_lemma_file",
]

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


def lookup_table(config, table: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The lookup table a ``TextConfig`` lemmatises with, in both executions; ``None`` without ``lemmatize``.

    ``table`` (for example a baked one) wins, then the config's ``lemma_file``, then spaCy's
    table. Raises ``ConfigError`` for a ``table`` without ``lemmatize``, and for a missing or
    malformed ``lemma_file`` (naming ``text.lemma_file``).
    """
    from pipeline.text.config import ConfigError

    if not config.lemmatize:
        if table is not None:
            raise ConfigError("a lemma_table was given but text.lemmatize is false; set lemmatize = true")
        return None
    if table is not None:
        return dict(table)
    if config.lemma_file is None:
        return lemma_table()
    try:
        return load_lemma_file(config.lemma_file)
    except (FileNotFoundError, ValueError) as err:
        raise ConfigError(f"text.lemma_file: {err}") from None


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


@functools.lru_cache(maxsize=4)
def load_pos_pipeline(name: str):
    """The spaCy pipeline ``name`` (an installed package or a directory), without parser and NER.

    It must hold a ``lemmatizer``; with ``mode = "rule"`` (as in ``en_core_web_sm``) that
    lemmatiser reads the part of speech that an earlier component (tagger, attribute ruler,
    morphologizer) gives each token. Raises ``RuntimeError`` naming the pipeline and the fix.
    """
    import spacy

    try:
        nlp = spacy.load(name, disable=["parser", "ner"])
    except OSError:
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed (no package or directory of that name); install it "
            f"(pip install {name}) or use the lookup lemmatiser (text.lemmatizer = 'lookup'), which needs no model"
        ) from None
    if "lemmatizer" not in nlp.pipe_names:
        raise RuntimeError(
            f"spaCy pipeline {name!r} has no 'lemmatizer' component (it has {nlp.pipe_names}); "
            "use a pipeline with one, such as en_core_web_sm, or text.lemmatizer = 'lookup'"
        )
    return nlp


def pos_lemmas(nlp, token_lists: Iterable[list[str]], config=None, batch_size: int = 256) -> Iterator[list[str]]:
    """The lemma of every token, in context: ``nlp`` runs over docs made of these very tokens.

    So the lemmas line up with lexivision's tokens, whatever spaCy's tokenizer would have
    done. Lemmas are normalised with ``config`` (lowercased by default); a token without one
    keeps its text.
    """
    from spacy.tokens import Doc

    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import normalize

    config = config or TextConfig()
    docs = (Doc(nlp.vocab, words=tokens) for tokens in token_lists)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield [normalize(tok.lemma_, config) or tok.text for tok in doc]


def bake_pos_lemmas(
    texts: Iterable[str | bytes], config=None, nlp=None, *, model: str | None = None, batch_size: int = 256
) -> BakedLemmas:
    """Run a POS-aware spaCy pipeline over a corpus and bake a surface -> lemma table for the graph.

    The pipeline lemmatises lexivision's own tokens of each text (``config``'s normalisation,
    tokenizer and phrases), so the table's keys are the tokens the graph looks up. Each token
    keeps its most frequent lemma; ``ambiguous`` and ``agreement`` say how often context chose
    another, which the graph's lookup cannot follow. Pass the table as ``lemma_table=`` to
    ``TextPreprocessor`` and ``tokenize`` with ``text.lemmatize = true``.

    The pipeline is ``nlp``, else ``model``, else ``config.lemmatizer`` when it names one,
    else ``en_core_web_sm``; see :func:`load_pos_pipeline` for the errors.
    """
    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import TokenPipeline

    config = config or TextConfig()
    if nlp is None:
        default = config.lemmatizer if config.lemmatizer != "lookup" else "en_core_web_sm"
        nlp = load_pos_pipeline(model or default)
    surfaces = TokenPipeline(config.replace(lemmatize=False, lemmatizer="lookup", lemma_file=None, stop_words=None))
    counts: dict[str, Counter] = defaultdict(Counter)
    token_lists, in_order = itertools.tee(surfaces.pipe(texts))  # the tee holds one batch at most
    for tokens, lemmas in zip(in_order, pos_lemmas(nlp, token_lists, config, batch_size)):
        for surface, lemma in zip(tokens, lemmas):
            counts[surface][lemma] += 1
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
