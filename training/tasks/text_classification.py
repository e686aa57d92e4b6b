"""Text classification: raw texts -> vocabulary -> int ids (in the graph) -> a text model.

Run-directory assets: ``vocabulary.txt`` (+ ``.json``), ``labels.txt`` and
``text_config.json``; the model takes int ids ``[batch, text.max_length]``.
On resume the saved vocabulary and labels are reused, so ids never shift.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from training.errors import UserError
from training.tasks.base import Prepared, class_weights, evaluate_classifier as evaluate, finish_dataset
from vocab._atomic import write_text_atomic

__all__ = ["prepare", "evaluate", "report", "build_vocabulary", "idf_weights"]


def _log(message: str) -> None:
    print(f"[lexivision] {message}", flush=True)


def build_vocabulary(texts: list[str], text_config, v: dict[str, Any], specials: list[str] | None = None):
    """Tokenise ``texts`` in Python and build the ``[vocabulary]`` of the config."""
    from pipeline.text.tokenize import tokenize
    from vocab import TokenCounts, Vocabulary, VocabularyError

    counts = TokenCounts().update(tokenize(texts, text_config))
    if specials is None:
        specials = [t for t, on in (("<s>", text_config.start_token), ("</s>", text_config.end_token)) if on]
    try:
        return Vocabulary.build(
            counts, min_freq=v["min_freq"], max_size=v["max_size"], min_df=v["min_df"],
            max_df=v["max_df"], stop_words=v["stop_words"], specials=specials,
        ), counts
    except VocabularyError as err:
        raise UserError(f"[vocabulary]: {err}") from None


def idf_weights(vocabulary) -> list[float]:
    """Smoothed IDF per id, ``log((1 + N) / (1 + df)) + 1`` (scikit-learn's); padding 0, OOV and specials as unseen.

    >>> from vocab import Vocabulary
    >>> v = Vocabulary.build([["a", "b"], ["a"]])
    >>> [round(x, 3) for x in idf_weights(v)]
    [0.0, 2.099, 1.0, 1.405]
    """
    n = vocabulary.num_docs
    tokens = vocabulary.tokens(include_specials=True)
    first = 1 + vocabulary.num_oov_indices + len(vocabulary.specials)
    out = [0.0]
    for i, token in enumerate(tokens[1:], start=1):
        df = vocabulary.doc_freq.get(token, 0) if i >= first else 0
        out.append(math.log((1 + n) / (1 + df)) + 1)
    return out


def prepare(config: dict[str, Any], run_dir: Path, resuming: bool) -> Prepared:
    import tensorflow as tf

    from pipeline.text import graph
    from pipeline.text.config import ConfigError, TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from training.data import label_names, load_text_splits
    from vocab import Vocabulary

    text_config = TextConfig.from_dict(config["text"])
    try:  # the model's first layer runs the text config in the graph
        graph.check_exportable(text_config)
    except ConfigError as err:
        raise UserError(f"text: a model that takes raw text cannot use this config: {err}") from None
    splits = load_text_splits(config["data"])
    if not splits["train"] or not splits["test"]:
        raise UserError("data: the train or test split is empty; use more data or other data.split fractions")
    _log("data: " + ", ".join(f"{k} {len(v)}" for k, v in splits.items()))
    if resuming and (run_dir / "vocabulary.txt").is_file() and (run_dir / "labels.txt").is_file():
        vocabulary = Vocabulary.load(run_dir / "vocabulary.txt")
        labels = (run_dir / "labels.txt").read_text(encoding="utf-8").splitlines()
        _log(f"resuming: reusing {run_dir / 'vocabulary.txt'} ({len(vocabulary)} ids) and labels.txt")
    else:
        labels = label_names(splits["train"])
        _log("tokenizing the training split and building the vocabulary")
        vocabulary, counts = build_vocabulary([r.text for r in splits["train"]], text_config, config["vocabulary"])
        _log(f"vocabulary: {len(vocabulary)} ids from {len(counts)} distinct tokens")
        vocabulary.save(run_dir / "vocabulary.txt")
        write_text_atomic(run_dir / "labels.txt", "".join(name + "\n" for name in labels))
        write_text_atomic(run_dir / "text_config.json", json.dumps(text_config.to_dict(), indent=1))
    label_index = {name: i for i, name in enumerate(labels)}
    preprocessor = TextPreprocessor(text_config, vocabulary)
    training = config["training"]

    def encode(records):
        kept = [r for r in records if r.label in label_index]
        skipped = len(records) - len(kept)
        if skipped:
            _log(f"skipped {skipped} records whose label is not among the training labels")
        texts = tf.constant([r.text for r in kept])
        ids = tf.concat([preprocessor(texts[i: i + 4096]) for i in range(0, len(kept), 4096)], axis=0) \
            if kept else tf.zeros([0, text_config.max_length], tf.int64)
        return ids.numpy(), np.array([label_index[r.label] for r in kept], dtype=np.int64)

    arrays = {name: encode(records) for name, records in splits.items()}

    def dataset(name: str, shuffle: bool):
        ids, y = arrays[name]
        ds = tf.data.Dataset.from_tensor_slices((ids, y))
        return finish_dataset(ds, shuffle=shuffle, size=len(y), batch_size=training["batch_size"],
                              seed=training["seed"], cache=training["cache"])

    y_train = arrays["train"][1]
    pooling_idf = idf_weights(vocabulary) if config["model"].get("pooling") == "tfidf" else None
    data_args = {"vocab_size": len(vocabulary), "num_classes": len(labels),
                 "sequence_length": text_config.max_length, "idf": pooling_idf}
    wrap = None
    buckets = config["vocabulary"]["bigram_buckets"]
    if buckets:
        from training.ngrams import bigram_idf, with_bigrams

        num_tokens, length = len(vocabulary), text_config.max_length
        data_args.update(vocab_size=num_tokens + buckets, sequence_length=2 * length - 1)
        if pooling_idf is not None:
            data_args["idf"] = bigram_idf(pooling_idf, arrays["train"][0], buckets)

        def wrap(base):
            return with_bigrams(base, length, num_tokens, buckets)
    return Prepared(
        train=dataset("train", True),
        validation=dataset("validation", False) if len(arrays["validation"][1]) else None,
        test=dataset("test", False),
        y_test=arrays["test"][1],
        data_args=data_args,
        wrap_model=wrap,
        steps_per_epoch=max(1, math.ceil(len(y_train) / training["batch_size"])),
        class_weight=class_weights(training["class_weight"], y_train, len(labels)),
        extra={"vocabulary": vocabulary, "labels": labels, "arrays": arrays},
    )


def report(model, prepared: Prepared, run_dir: Path, evaluation: dict[str, Any]) -> dict[str, str]:
    from training import reports

    files = {
        "confusion_matrix": str(reports.plot_confusion_matrix(
            prepared.y_test, evaluation["_predicted"], prepared.extra["labels"], run_dir / "confusion_matrix.png"
        )),
    }
    files.update(reports.embedding_report(model, prepared.extra["vocabulary"], run_dir))
    return files
