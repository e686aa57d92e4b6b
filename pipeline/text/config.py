"""``TextConfig``: one description of text preprocessing for both executions."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOKENIZERS = ("default", "whitespace", "spacy")
NORMALIZATIONS = ("nfkc", "none")


class ConfigError(ValueError):
    """A preprocessing setting is invalid; the message names it."""


@dataclass(frozen=True)
class TextConfig:
    """How raw text becomes tokens and ids.

    Attributes:
        normalization: ``"nfkc"`` (Unicode NFKC) or ``"none"``.
        lowercase: full Unicode lowercasing (``"ΣΑΣ"`` -> ``"σας"``), not ASCII-only.
        strip_accents: remove non-spacing marks after canonical decomposition.
        tokenizer: ``"default"`` (spaces, punctuation, English clitics, numbers),
            ``"whitespace"``, or ``"spacy"`` (spaCy's English tokenizer; Python only).
        phrases: multiword expressions merged into one token (``"San Francisco"``).
        phrases_file: a file with one phrase per line, added to ``phrases``.
        lemmatize: map tokens to lemmas.
        lemmatizer: ``"lookup"`` (spaCy's lookup table; runs in the graph too), or a spaCy
            pipeline with a part-of-speech lemmatiser, by package name or directory (such as
            ``"en_core_web_sm"``): lemmas in context, for batch work in Python only (the graph
            takes a table baked from it, see ``lemmas.bake_pos_lemmas``).
        lemma_file: a ``surface<TAB>lemma`` file (``lemmas.save_lemma_file``, for example of a
            baked table) that replaces spaCy's lookup table, in both executions.
        stop_words: ``None``, ``"english"`` (spaCy's list), a list, or a file path.
        max_length: ids per text in the graph (truncate, then pad with 0).
        start_token / end_token: add ``<s>`` / ``</s>`` around every text.

    >>> TextConfig(max_length=8).to_dict()["max_length"]
    8
    >>> TextConfig.from_dict({"lowercase": False}).lowercase
    False
    """

    normalization: str = "nfkc"
    lowercase: bool = True
    strip_accents: bool = False
    tokenizer: str = "default"
    phrases: tuple[str, ...] = field(default_factory=tuple)
    phrases_file: str | None = None
    lemmatize: bool = False
    lemmatizer: str = "lookup"
    lemma_file: str | None = None
    stop_words: str | tuple[str, ...] | None = None
    max_length: int = 64
    start_token: bool = False
    end_token: bool = False

    def __post_init__(self) -> None:
        if self.normalization not in NORMALIZATIONS:
            raise ConfigError(
                f"text.normalization must be one of {NORMALIZATIONS}. Received: {self.normalization!r}"
            )
        if self.tokenizer not in TOKENIZERS:
            raise ConfigError(f"text.tokenizer must be one of {TOKENIZERS}. Received: {self.tokenizer!r}")
        for name in ("lowercase", "strip_accents", "lemmatize", "start_token", "end_token"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"text.{name} must be true or false. Received: {getattr(self, name)!r}")
        if not isinstance(self.lemmatizer, str) or not self.lemmatizer.strip():
            raise ConfigError(
                f"text.lemmatizer must be 'lookup' or a spaCy pipeline name or path. Received: {self.lemmatizer!r}"
            )
        if self.lemmatizer != "lookup" and not self.lemmatize:
            raise ConfigError(
                f"text.lemmatizer = {self.lemmatizer!r} is set but text.lemmatize is false; set lemmatize = true"
            )
        if self.lemma_file is not None:
            if not isinstance(self.lemma_file, (str, os.PathLike)) or not str(self.lemma_file).strip():
                raise ConfigError(f"text.lemma_file must be a file path. Received: {self.lemma_file!r}")
            if not self.lemmatize or self.lemmatizer != "lookup":
                raise ConfigError(
                    "text.lemma_file replaces the lookup table, so it needs lemmatize = true and "
                    f"lemmatizer = 'lookup'. Received: lemmatize = {self.lemmatize}, lemmatizer = {self.lemmatizer!r}"
                )
            object.__setattr__(self, "lemma_file", str(self.lemma_file))
        if isinstance(self.max_length, bool) or not isinstance(self.max_length, int) or self.max_length < 1:
            raise ConfigError(f"text.max_length must be an int >= 1. Received: {self.max_length!r}")
        if self.start_token + self.end_token >= self.max_length:
            raise ConfigError(
                f"text.max_length={self.max_length} leaves no room for tokens besides the start/end tokens"
            )
        if isinstance(self.phrases, str) or not all(isinstance(p, str) for p in self.phrases):
            raise ConfigError(f"text.phrases must be a list of strings. Received: {self.phrases!r}")
        object.__setattr__(self, "phrases", tuple(self.phrases))
        if isinstance(self.stop_words, (list, tuple)):
            object.__setattr__(self, "stop_words", tuple(self.stop_words))
        elif self.stop_words is not None and not isinstance(self.stop_words, str):
            raise ConfigError(
                f"text.stop_words must be 'english', a list of words or a file path. Received: {self.stop_words!r}"
            )

    # Serialisation ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["phrases"] = list(self.phrases)
        if isinstance(self.stop_words, tuple):
            out["stop_words"] = list(self.stop_words)
        return out

    get_config = to_dict

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown text setting {unknown[0]!r}; known settings: {', '.join(sorted(known))}")
        return cls(**data)

    from_config = from_dict

    def to_toml(self) -> str:
        """The config as a TOML ``[text]`` table body (None values omitted)."""
        lines = []
        for key, value in self.to_dict().items():
            if value is None:
                continue
            lines.append(f"{key} = {_toml_value(value)}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> TextConfig:
        import tomllib

        data = tomllib.loads(text)
        return cls.from_dict(data.get("text", data))

    @property
    def room(self) -> int:
        """Text tokens kept per row: ``max_length`` less the start and end tokens.

        >>> TextConfig(max_length=8, start_token=True, end_token=True).room
        6
        """
        return self.max_length - self.start_token - self.end_token

    def replace(self, **changes: Any) -> TextConfig:
        return dataclasses.replace(self, **changes)

    def all_phrases(self) -> tuple[str, ...]:
        """``phrases`` plus those of ``phrases_file``."""
        phrases = list(self.phrases)
        if self.phrases_file:
            path = Path(self.phrases_file)
            if not path.is_file():
                raise ConfigError(f"text.phrases_file: {path}: no such file")
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    phrases.append(line.strip())
        return tuple(phrases)


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, (str, os.PathLike)):
        return json.dumps(str(value), ensure_ascii=False)
    raise TypeError(f"cannot write {value!r} as TOML")
