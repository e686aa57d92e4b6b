"""Next-word prediction and sampling with a language model such as :func:`nnlm`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vocab import Vocabulary

__all__ = ["next_word_probabilities", "next_words", "sample"]


def next_word_probabilities(model, vocabulary: Vocabulary, context_tokens: Sequence[str]) -> np.ndarray:
    """``p(next id | context)`` as a ``[len(vocabulary)]`` array; padding (id 0) gets 0.

    Models that take ids get the last ``context_size`` tokens encoded with
    ``vocabulary`` (left-padded with 0); models built with a preprocessor get
    the tokens joined by spaces.
    """
    model_input = model.inputs[0]
    if model_input.dtype == "string":
        x = np.array([" ".join(context_tokens)], dtype=object)
    else:
        n = model_input.shape[1]
        ids = ([0] * n + vocabulary.encode(context_tokens))[-n:]
        x = np.array([ids], dtype=np.int64)
    p = np.asarray(model(x, training=False), dtype=np.float64)[0]
    if p.shape[0] != len(vocabulary):
        raise ValueError(f"the model predicts {p.shape[0]} ids but the vocabulary has {len(vocabulary)}; pass the model's vocabulary")
    p[0] = 0.0
    return p / p.sum()


def next_words(model, vocabulary: Vocabulary, context_tokens: Sequence[str], k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most probable next tokens and their probabilities, best first."""
    p = next_word_probabilities(model, vocabulary, context_tokens)
    table = vocabulary.tokens(include_specials=True)
    best = np.argsort(-p, kind="stable")[:k]
    return [(table[i], float(p[i])) for i in best]


def sample(
    model,
    vocabulary: Vocabulary,
    context_tokens: Sequence[str],
    num_words: int,
    *,
    seed: int = 0,
    temperature: float = 1.0,
    stop_token: str | None = None,
) -> list[str]:
    """Draw up to ``num_words`` tokens one by one, each from ``p(next | context so far)``.

    ``temperature`` < 1 sharpens the distribution, > 1 flattens it; the same
    ``seed`` gives the same words. Stops after ``stop_token`` (e.g. ``</s>``).
    """
    if temperature <= 0:
        raise ValueError(f"`temperature` must be > 0. Received: temperature={temperature!r}")
    rng = np.random.default_rng(seed)
    table = vocabulary.tokens(include_specials=True)
    context = list(context_tokens)
    words: list[str] = []
    for _ in range(num_words):
        p = next_word_probabilities(model, vocabulary, context) ** (1.0 / temperature)
        word = table[rng.choice(len(p), p=p / p.sum())]
        words.append(word)
        context.append(word)
        if word == stop_token:
            break
    return words
