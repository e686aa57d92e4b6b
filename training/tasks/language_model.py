"""Language modelling: predict each token from the ``n - 1`` before it (Bengio et al. 2003).

Every document becomes n - 1 padding ids (0, as in ``nnlm``'s "0 = padding
before the text starts"), its tokens, and ``</s>``; each position after the
padding is one example (context ids -> next id). The vocabulary is built on the
training split with ``</s>`` as a special; unknown words map to the OOV id,
which the model predicts like any word.

Run-directory assets: ``vocabulary.txt`` (+ ``.json``), ``text_config.json``
and ``lm_config.json`` (``{"context_size": n - 1}``); the model maps
``[batch, n - 1]`` context ids to next-word probabilities.

>>> import numpy as np
>>> context_windows([np.array([5, 6])], context_size=2, start_id=0, end_id=2)[0].tolist()
[[0, 0], [0, 5], [5, 6]]
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from training.errors import UserError
from training.tasks.base import Prepared, finish_dataset
from vocab._atomic import write_text_atomic

__all__ = ["prepare", "evaluate", "report", "context_windows", "lm_sequences", "next_word_probabilities", "END", "PAD_ID"]

END = "</s>"
PAD_ID = 0


def _log(message: str) -> None:
    print(f"[lexivision] {message}", flush=True)


def context_windows(docs: list[np.ndarray], context_size: int, start_id: int, end_id: int) -> tuple[np.ndarray, np.ndarray]:
    """``(contexts [N, context_size], targets [N])`` over all documents, ``</s>`` included as a target."""
    contexts, targets = [], []
    for ids in docs:
        seq = np.concatenate([np.full(context_size, start_id, np.int64), np.asarray(ids, np.int64), [end_id]])
        windows = np.lib.stride_tricks.sliding_window_view(seq, context_size + 1)
        contexts.append(windows[:, :-1])
        targets.append(windows[:, -1])
    if not contexts:
        return np.zeros((0, context_size), np.int64), np.zeros((0,), np.int64)
    return np.concatenate(contexts).astype(np.int64), np.concatenate(targets).astype(np.int64)


def _sample_documents(records: list, limit: int) -> list:
    """At most ``limit`` records, evenly spaced so every category is represented."""
    if not limit or len(records) <= limit:
        return records
    step = len(records) / limit
    return [records[int(i * step)] for i in range(limit)]


def lm_sequences(config: dict[str, Any], vocabulary=None):
    """The vocabulary and per-split id sequences (one array per document) of an LM config.

    Shared with ``benchmarks/bench_language_model.py``, so the n-gram baseline sees
    exactly the tokens, vocabulary and split of the neural model.
    """
    from pipeline.corpus.split import split_records
    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import tokenize
    from training.data import load_text_splits
    from training.tasks.text_classification import build_vocabulary

    splits = load_text_splits(config["data"])
    limit = config["language_model"]["max_documents"]
    if limit:
        records = _sample_documents([r for s in splits.values() for r in s], limit)
        splits = split_records(records, fractions=config["data"]["split"], seed=config["data"]["seed"])
    if not splits["train"] or not splits["test"]:
        raise UserError("data: the train or test split is empty; use more data or other data.split fractions")
    text_config = TextConfig.from_dict(config["text"])
    if vocabulary is None:
        vocabulary, _ = build_vocabulary([r.text for r in splits["train"]], text_config, config["vocabulary"], specials=[END])
    sequences = {
        name: [np.array(vocabulary.encode(tokens), np.int64) for tokens in tokenize([r.text for r in records], text_config)]
        for name, records in splits.items()
    }
    return vocabulary, sequences, text_config


def prepare(config: dict[str, Any], run_dir: Path, resuming: bool) -> Prepared:
    import tensorflow as tf

    from vocab import Vocabulary

    vocabulary = None
    if resuming and (run_dir / "vocabulary.txt").is_file():
        vocabulary = Vocabulary.load(run_dir / "vocabulary.txt")
        _log(f"resuming: reusing {run_dir / 'vocabulary.txt'} ({len(vocabulary)} ids)")
    vocabulary, sequences, text_config = lm_sequences(config, vocabulary)
    n1 = config["language_model"]["context_size"]
    if not resuming or not (run_dir / "vocabulary.txt").is_file():
        vocabulary.save(run_dir / "vocabulary.txt")
    write_text_atomic(run_dir / "text_config.json", json.dumps(text_config.to_dict(), indent=1))
    write_text_atomic(run_dir / "lm_config.json", json.dumps({"context_size": n1}))
    end_id = vocabulary.token_id(END)
    arrays = {name: context_windows(docs, n1, PAD_ID, end_id) for name, docs in sequences.items()}
    _log("data: " + ", ".join(f"{k} {len(sequences[k])} documents, {len(v[1])} tokens" for k, v in arrays.items())
         + f"; vocabulary {len(vocabulary)} ids")
    training = config["training"]

    def dataset(name: str, shuffle: bool):
        x, y = arrays[name]
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        return finish_dataset(ds, shuffle=shuffle, size=len(y), batch_size=training["batch_size"],
                              seed=training["seed"], cache=training["cache"])

    return Prepared(
        train=dataset("train", True),
        validation=dataset("validation", False) if len(arrays["validation"][1]) else None,
        test=dataset("test", False),
        y_test=arrays["test"][1],
        data_args={"vocab_size": len(vocabulary), "num_classes": len(vocabulary),
                   "context_size": n1, "sequence_length": n1, "training_contexts": arrays["train"][0]},
        steps_per_epoch=max(1, math.ceil(len(arrays["train"][1]) / training["batch_size"])),
        extra={"vocabulary": vocabulary, "arrays": arrays},
    )


def next_word_probabilities(model, batches) -> tuple[np.ndarray, np.ndarray]:
    """For ``(contexts, targets)`` batches: p(target | context) and whether the top word is the target."""
    picked, hits = [], []
    for x, y in batches:
        probabilities = np.asarray(model(x, training=False), dtype=np.float64)
        y = np.asarray(y)
        picked.append(probabilities[np.arange(len(y)), y])
        hits.append(probabilities.argmax(axis=1) == y)
    if not picked:
        return np.zeros(0), np.zeros(0, bool)
    return np.concatenate(picked), np.concatenate(hits)


def evaluate(model, prepared: Prepared) -> dict[str, Any]:
    """Test cross-entropy per token (nats), perplexity = exp(cross-entropy), next-word accuracy."""
    picked, hits = next_word_probabilities(model, prepared.test)
    loss = float(-np.log(np.maximum(picked, 1e-12)).sum()) / len(picked)
    return {
        "test_loss": loss,
        "test_perplexity": float(math.exp(loss)),
        "test_accuracy": float(hits.mean()),
        "num_test_tokens": len(picked),
        "vocabulary_size": len(prepared.extra["vocabulary"]),
    }


def report(model, prepared: Prepared, run_dir: Path, evaluation: dict[str, Any]) -> dict[str, str]:
    from training import reports

    return reports.embedding_report(model, prepared.extra["vocabulary"], run_dir)
