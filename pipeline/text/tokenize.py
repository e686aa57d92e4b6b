"""The plain-Python execution of a ``TextConfig`` (no TensorFlow).

>>> tokenize("He's spending 7 days in San Francisco.", TextConfig(phrases=("San Francisco",), lowercase=False))
['He', "'s", 'spending', '7', 'days', 'in', 'San Francisco', '.']
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

from pipeline.text.config import ConfigError, TextConfig
from pipeline.text.rules import patterns, replacement

__all__ = ["END_TOKEN", "START_TOKEN", "TokenPipeline", "encode", "normalize", "sequence", "split_tokens", "tokenize"]

START_TOKEN = "<s>"
END_TOKEN = "</s>"

_P = patterns("python")
_NO_LOWER = re.compile(_P["no_lower"])
_APOSTROPHE = re.compile(_P["apostrophe"])


class _Regexes(NamedTuple):
    """The compiled Unicode steps."""

    unassigned: re.Pattern
    space: re.Pattern
    control: re.Pattern
    mark: re.Pattern
    clitic: re.Pattern
    separate: re.Pattern


def _compiled(rules: dict[str, str]) -> _Regexes:
    return _Regexes(*(re.compile(_splitting(rules[name]) if name == "separate" else rules[name])
                      for name in _Regexes._fields))


def _splitting(pattern: str) -> str:
    # "separate" surrounds each match with spaces: " ".join(re.split("(P)", text)) is the string that
    # re.sub("P", " \\g<0> ", text) gives, without a call into Python per match (Python 3.11 expands
    # a group reference in a replacement in Python)
    return f"({pattern})"


_ALL_PLANES = _compiled(_P)
# the same matches on text without characters above U+FFFF, where ``re`` is 10-100x faster
_BMP = _compiled(patterns("python", bmp_only=True))


def _regexes(text: str) -> _Regexes:
    return _BMP if not text or max(text) <= "\uffff" else _ALL_PLANES


# What the space and control steps do to each ASCII character that they change (\x1c-\x1f become
# " ", the other controls but \t-\r go), as one str.translate table.
_ASCII_STEPS = {
    cp: after or None
    for cp in range(128)
    if (after := _BMP.control.sub("", _BMP.space.sub(" ", chr(cp)))) != chr(cp)
}
_ASCII_TO_CHANGE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _ASCII_STEPS) + "]")
_PA = patterns("python", ascii_only=True)
_CLITIC_ASCII = re.compile(_PA["clitic"])
_SEPARATE_ASCII = re.compile(_splitting(_PA["separate"]))


def _rewriter(template: str) -> Callable[[re.Match], str]:
    """A replacement template with group references (``\\1``) as a function of the match.

    Python 3.11 expands a template in Python on every match, several times slower.

    >>> _rewriter(r"\\1 \\2!")(re.match("(a)(b)?", "a"))
    'a !'
    """
    pieces = re.split(r"\\(\d)", template)  # literals at even positions, group numbers at odd ones
    literals, groups = pieces[0::2], [int(g) for g in pieces[1::2]]

    def rewrite(match: re.Match) -> str:
        out = [literals[0]]
        for group, literal in zip(groups, literals[1:]):
            out += (match[group] or "", literal)
        return "".join(out)

    return rewrite


_CLITIC_SUB = _rewriter(replacement("clitic", "python"))


def to_text(value: str | bytes) -> str:
    """Decode bytes as UTF-8, replacing invalid sequences with U+FFFD."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        raise TypeError(f"expected text as str or bytes. Received: {type(value).__name__} {value!r:.40}")
    return value


def _lower(text: str) -> str:
    # Python's Unicode 14 lowercases a few letters that TensorFlow's case tables do not know.
    if _NO_LOWER.search(text) is None:
        return text.lower()
    parts = _NO_LOWER.split(text)
    return "".join(part if i % 2 else part.lower() for i, part in enumerate(parts))


def normalize(text: str, config: TextConfig) -> str:
    """Unicode normalisation, whitespace and control characters, case, accents.

    Spaces that only some splits split on (no-break, ideographic, ``\\x1c``...) become ``" "``;
    tabs and newlines, which every split splits on, stay.

    >>> normalize("İSTANBUL\\u00a0ΟΔΟΣ", TextConfig())
    'i̇stanbul οδος'
    """
    if text.isascii():
        # Equivalent for ASCII: NFKC and NFD leave it unchanged, no character is unassigned,
        # and every class intersected with ASCII is what the general patterns match there.
        if _ASCII_TO_CHANGE.search(text):
            text = text.translate(_ASCII_STEPS)
        return text.lower() if config.lowercase else text
    text = _regexes(text).unassigned.sub("\ufffd", text)
    if config.normalization == "nfkc":
        text = unicodedata.normalize("NFKC", text)
    regexes = _regexes(text)  # again: NFKC (and NFD below) map some BMP ideographs above U+FFFF
    text = regexes.control.sub("", regexes.space.sub(" ", text))
    if config.lowercase:
        text = _lower(text)
    if config.strip_accents:
        text = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", _regexes(text).mark.sub("", text))
    return text


def split_tokens(text: str, config: TextConfig) -> list[str]:
    """Tokenise normalised text."""
    if config.tokenizer == "whitespace":
        return text.split()
    if config.tokenizer == "spacy":
        return [t.text for t in _spacy_tokenizer()(text) if not t.is_space]
    if text.isascii():  # same result, faster: ASCII-clipped classes, and ASCII has no typographic apostrophe
        if "'" in text:
            text = _CLITIC_ASCII.sub(_CLITIC_SUB, text)
        return " ".join(_SEPARATE_ASCII.split(text)).split()
    regexes = _regexes(text)
    if "'" in text or "\u2019" in text:
        text = regexes.clitic.sub(_CLITIC_SUB, _APOSTROPHE.sub("'", text))
    return " ".join(regexes.separate.split(text)).split()


@functools.lru_cache(maxsize=1)
def _spacy_tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


class TokenPipeline:
    """text -> tokens for one config: normalise, split, phrases, lemmas, stop words.

    ``lemma_table`` replaces spaCy's lookup table (for example a table baked
    from a POS-aware pipeline, see :func:`pipeline.text.lemmas.bake_pos_lemmas`).
    With ``config.lemmatizer`` naming a spaCy pipeline, that pipeline lemmatises
    the tokens in context instead (Python only).
    """

    def __init__(self, config: TextConfig, lemma_table: Mapping[str, str] | None = None) -> None:
        from pipeline.text.phrases import PhraseMerger
        from vocab import load_stop_words

        self.config = config
        self._phrases = PhraseMerger.from_config(config)
        self._lemmas = None
        self._nlp = None
        if config.lemmatizer != "lookup":  # TextConfig allows that only with lemmatize
            if lemma_table is not None:
                raise ConfigError(
                    f"a lemma_table was given but text.lemmatizer = {config.lemmatizer!r} lemmatises in context; "
                    "pass one or the other"
                )
            from pipeline.text.lemmas import load_pos_pipeline

            try:
                self._nlp = load_pos_pipeline(config.lemmatizer)
            except RuntimeError as err:
                raise ConfigError(f"text.lemmatizer: {err}") from None
        else:
            from pipeline.text.lemmas import lookup_table

            self._lemmas = lookup_table(config, lemma_table)
        try:
            self._stop = load_stop_words(config.stop_words)
        except FileNotFoundError as err:
            raise ConfigError(f"text.{err}") from None

    def _split(self, texts: Iterable[str | bytes], batch_size: int) -> Iterator[list[str]]:
        """The tokens of each text, normalised and split."""
        config = self.config
        if config.tokenizer != "spacy":
            return (split_tokens(normalize(to_text(t), config), config) for t in texts)
        normalized = (normalize(to_text(t), config) for t in texts)
        return ([t.text for t in doc if not t.is_space] for doc in _spacy_tokenizer().pipe(normalized, batch_size=batch_size))

    def _merge(self, tokens: list[str]) -> list[str]:
        return self._phrases.merge(tokens) if self._phrases else tokens

    def _finish(self, tokens: list[str]) -> list[str]:
        """Lemmas from the lookup table (``_nlp`` gives its own before), then stop words dropped."""
        if self._lemmas is not None:
            get = self._lemmas.get
            tokens = [get(t, t) for t in tokens]
        if self._stop:
            stop = self._stop
            tokens = [t for t in tokens if t not in stop]
        return tokens

    def __call__(self, text: str | bytes) -> list[str]:
        if self._nlp is not None:
            return next(self.pipe([text]))
        config = self.config
        return self._finish(self._merge(split_tokens(normalize(to_text(text), config), config)))

    def pipe(self, texts: Iterable[str | bytes], batch_size: int = 1000) -> Iterator[list[str]]:
        """Token lists of many texts, lazily (``nlp.pipe`` batching for spaCy's tokenizer and lemmatiser)."""
        token_lists = map(self._merge, self._split(texts, batch_size))
        if self._nlp is not None:
            from pipeline.text.lemmas import pos_lemmas

            token_lists = pos_lemmas(self._nlp, token_lists, self.config, batch_size)
        return map(self._finish, token_lists)


@functools.lru_cache(maxsize=16)
def token_pipeline(config: TextConfig) -> Callable[[str | bytes], list[str]]:
    """A cached callable text -> tokens for ``config``."""
    return TokenPipeline(config)


def tokenize(
    texts: str | bytes | Iterable[str | bytes],
    config: TextConfig | None = None,
    *,
    lemma_table: Mapping[str, str] | None = None,
    workers: int = 1,
    chunk_size: int = 2000,
) -> list[str] | list[list[str]]:
    """Tokens of one text, or a token list per text (in order).

    ``workers > 1`` tokenises chunks of ``chunk_size`` texts in that many
    processes; meanwhile this process pauses Python's cyclic garbage collector
    (``gc``) while it collects their token lists. Start/end tokens and
    ``max_length`` are not applied here: they belong to the id sequences (see
    :func:`sequence` and :func:`encode`).

    >>> tokenize(["Don't panic!", ""])
    [['do', "n't", 'panic', '!'], []]
    """
    config = config or TextConfig()
    pipe = token_pipeline(config) if lemma_table is None else TokenPipeline(config, lemma_table)
    if isinstance(texts, (str, bytes)):
        return pipe(texts)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"`workers` must be an int >= 1. Received: workers={workers!r}")
    if workers == 1:
        return list(pipe.pipe(texts))
    return _tokenize_parallel(texts, config, lemma_table, workers, chunk_size)


def _chunks(texts: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for text in texts:
        chunk.append(text)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER_PIPE: TokenPipeline | None = None


def _init_worker(config_dict: dict, lemma_table: Mapping[str, str] | None) -> None:
    global _WORKER_PIPE
    _WORKER_PIPE = TokenPipeline(TextConfig.from_dict(config_dict), lemma_table)


# A chunk's token lists travel back from a worker as one string, tokens joined by NUL and texts by
# SOH: pickling lists of short strings cost the parent more than splitting that string does
# (BENCHMARKS.md, "Python path, two workers").
_TOKEN_SEP, _TEXT_SEP = "\x00", "\x01"


def _tokenize_chunk(chunk: list) -> str | list[list[str]]:
    docs = list(_WORKER_PIPE.pipe(chunk))
    joined = _TEXT_SEP.join(_TOKEN_SEP.join(tokens) for tokens in docs)
    separators = sum(map(len, docs)) - sum(1 for tokens in docs if tokens) + len(docs) - 1
    # a token holding a separator (say, from a user's lemma table) or an empty token would not
    # come back intact: such a chunk travels as lists
    if joined.count(_TOKEN_SEP) + joined.count(_TEXT_SEP) != separators or any("" in tokens for tokens in docs):
        return docs
    return joined


def _unpack(result: str | list[list[str]]) -> list[list[str]]:
    if not isinstance(result, str):
        return result
    return [text.split(_TOKEN_SEP) if text else [] for text in result.split(_TEXT_SEP)]


def _tokenize_parallel(texts, config, lemma_table, workers, chunk_size) -> list[list[str]]:
    # fork is cheap and safe before TensorFlow (which starts threads) is loaded
    method = "fork" if sys.platform == "linux" and "tensorflow" not in sys.modules else "spawn"
    ctx = multiprocessing.get_context(method)
    out: list[list[str]] = []
    with ctx.Pool(workers, initializer=_init_worker, initargs=(config.to_dict(), lemma_table)) as pool, _no_gc():
        for result in pool.imap(_tokenize_chunk, _chunks(texts, chunk_size)):
            out.extend(_unpack(result))
    return out


@contextlib.contextmanager
def _no_gc():
    """The cyclic garbage collector paused while the parent builds the token lists.

    Lists of strings hold no cycles, but every list counts towards the collector's thresholds, and
    its passes over the growing output took about as long as building it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sequence(tokens: list[str], config: TextConfig) -> list[str]:
    """Truncate to ``max_length`` and add start/end tokens (the end token is kept).

    >>> sequence(["a", "b", "c"], TextConfig(max_length=3, start_token=True, end_token=True))
    ['<s>', 'a', '</s>']
    """
    out = tokens[: config.room]
    if config.start_token:
        out = [START_TOKEN] + out
    if config.end_token:
        out = out + [END_TOKEN]
    return out


def encode(texts: Iterable[str | bytes], config: TextConfig, vocabulary, *, lemma_table=None) -> list[list[int]]:
    """The ids ``TextPreprocessor`` computes, in Python: ``[len(texts), max_length]``, 0-padded.

    >>> from vocab import Vocabulary
    >>> encode(["He's there."], TextConfig(max_length=5), Vocabulary.build([["he", "'s", "here", "."]]))
    [[4, 2, 1, 3, 0]]
    """
    rows = []
    for tokens in tokenize(list(texts), config, lemma_table=lemma_table):
        ids = vocabulary.encode(sequence(tokens, config))
        rows.append(ids + [0] * (config.max_length - len(ids)))
    return rows
