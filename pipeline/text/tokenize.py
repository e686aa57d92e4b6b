"""The plain-Python execution of a ``TextConfig`` (no TensorFlow).

>>> tokenize("He's spending 7 days in San Francisco.", TextConfig(phrases=("San Francisco",), lowercase=False))
['He', "'s", 'spending', '7', 'days', 'in', 'San Francisco', '.']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from pipeline.text.config import TextConfig
from pipeline.text.rules import patterns, replacement

START_TOKEN = "<s>"
END_TOKEN = "</s>"

_P = patterns("python")
_SPACE = re.compile(_P["space"])
_CONTROL = re.compile(_P["control"])
_MARK = re.compile(_P["mark"])
_APOSTROPHE = re.compile(_P["apostrophe"])
_CLITIC = re.compile(_P["clitic"])
_TOKEN = re.compile(_P["token"])


def to_text(value: str | bytes) -> str:
    """Decode bytes as UTF-8, replacing invalid sequences with U+FFFD."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        raise TypeError(f"expected text as str or bytes. Received: {type(value).__name__} {value!r:.40}")
    return value


def normalize(text: str, config: TextConfig) -> str:
    """Unicode normalisation, whitespace and control characters, case, accents."""
    if config.normalization == "nfkc":
        text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", _SPACE.sub(" ", text))
    if config.lowercase:
        text = text.lower()
    if config.strip_accents:
        text = unicodedata.normalize("NFC", _MARK.sub("", unicodedata.normalize("NFD", text)))
    return text


def split_tokens(text: str, config: TextConfig) -> list[str]:
    """Tokenise normalised text."""
    if config.tokenizer == "whitespace":
        return text.split()
    if config.tokenizer == "spacy":
        return [t.text for t in _spacy_tokenizer()(text) if not t.is_space]
    text = _APOSTROPHE.sub("'", f" {text} ")
    text = _CLITIC.sub(replacement("clitic", "python"), text)
    return _TOKEN.sub(replacement("token", "python"), text).split()


@functools.lru_cache(maxsize=1)
def _spacy_tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


class TokenPipeline:
    """Everything after splitting: phrases, lemmas, stop words, start/end tokens."""

    def __init__(self, config: TextConfig) -> None:
        from pipeline.text.phrases import PhraseMerger
        from vocab import load_stop_words

        self.config = config
        self._phrases = PhraseMerger.from_config(config)
        self._lemmas = None
        if config.lemmatize:
            from pipeline.text.lemmas import lemma_table

            self._lemmas = lemma_table()
        self._stop = load_stop_words(config.stop_words)

    def __call__(self, text: str | bytes) -> list[str]:
        config = self.config
        tokens = split_tokens(normalize(to_text(text), config), config)
        if self._phrases:
            tokens = self._phrases.merge(tokens)
        if self._lemmas is not None:
            get = self._lemmas.get
            tokens = [get(t, t) for t in tokens]
        if self._stop:
            stop = self._stop
            tokens = [t for t in tokens if t not in stop]
        return tokens


@functools.lru_cache(maxsize=16)
def token_pipeline(config: TextConfig) -> Callable[[str | bytes], list[str]]:
    """A cached callable text -> tokens for ``config``."""
    return TokenPipeline(config)


def tokenize(
    texts: str | bytes | Iterable[str | bytes], config: TextConfig | None = None
) -> list[str] | list[list[str]]:
    """Tokens of one text, or a token list per text.

    Start/end tokens and ``max_length`` are not applied here: they belong to
    the id sequences (see :func:`sequence`).

    >>> tokenize(["Don't panic!", ""])
    [['do', "n't", 'panic', '!'], []]
    """
    pipe = token_pipeline(config or TextConfig())
    if isinstance(texts, (str, bytes)):
        return pipe(texts)
    return [pipe(t) for t in texts]


def sequence(tokens: list[str], config: TextConfig) -> list[str]:
    """Add start/end tokens and truncate to ``max_length`` (the end token is kept)."""
    room = config.max_length - config.start_token - config.end_token
    out = tokens[:room]
    if config.start_token:
        out = [START_TOKEN] + out
    if config.end_token:
        out = out + [END_TOKEN]
    return out
