"""``training.train``: run an experiment config end to end and fill a run directory.

A run directory holds ``config.toml`` (resolved), ``vocabulary.txt`` (+ ``.json``),
``labels.txt``, ``text_config.json``, ``model.keras``, ``history.csv`` and
``metrics.json``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from training.config import dump_config, load_config
from training.errors import UserError
from vocab._atomic import write_text_atomic


def _log(message: str) -> None:
    print(f"[lexivision] {message}", flush=True)


def train(config: dict[str, Any] | str | os.PathLike, run_dir: str | os.PathLike, *, verbose: int | None = None) -> dict[str, Any]:
    """Train the experiment ``config`` (a dict from :func:`load_config` or a TOML path) into ``run_dir``.

    Returns the test metrics.
    """
    if not isinstance(config, dict):
        config = load_config(config)
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(run_dir / "config.toml", dump_config(config))

    import keras
    import numpy as np
    import tensorflow as tf
    from sklearn.metrics import f1_score

    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from pipeline.text.tokenize import tokenize
    from training.data import label_names, load_text_splits
    from training.models import average_embedding
    from vocab import TokenCounts, Vocabulary

    keras.utils.set_random_seed(config["training"]["seed"])
    splits = load_text_splits(config["data"])
    if not splits["train"] or not splits["test"]:
        raise UserError("data: the train or test split is empty; use more data or other data.split fractions")
    _log("data: " + ", ".join(f"{k} {len(v)}" for k, v in splits.items()))

    text_config = TextConfig.from_dict(config["text"])
    labels = label_names(splits["train"])
    label_index = {name: i for i, name in enumerate(labels)}

    _log("tokenizing the training split and building the vocabulary")
    counts = TokenCounts().update(tokenize([r.text for r in splits["train"]], text_config))
    v = config["vocabulary"]
    specials = [t for t, on in (("<s>", text_config.start_token), ("</s>", text_config.end_token)) if on]
    vocabulary = Vocabulary.build(
        counts, min_freq=v["min_freq"], max_size=v["max_size"], min_df=v["min_df"],
        max_df=v["max_df"], stop_words=v["stop_words"], specials=specials,
    )
    _log(f"vocabulary: {len(vocabulary)} ids from {len(counts)} distinct tokens")
    vocabulary.save(run_dir / "vocabulary.txt")
    write_text_atomic(run_dir / "labels.txt", "".join(name + "\n" for name in labels))
    write_text_atomic(run_dir / "text_config.json", json.dumps(text_config.to_dict(), indent=1))

    preprocessor = TextPreprocessor(text_config, vocabulary)
    batch_size = config["training"]["batch_size"]

    def dataset(records, shuffle: bool):
        records = [r for r in records if r.label in label_index]
        ids = preprocessor(tf.constant([r.text for r in records]))
        y = np.array([label_index[r.label] for r in records], dtype=np.int64)
        ds = tf.data.Dataset.from_tensor_slices((ids, y))
        if shuffle:
            ds = ds.shuffle(len(records), seed=config["training"]["seed"], reshuffle_each_iteration=True)
        return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE), y

    train_ds, _ = dataset(splits["train"], shuffle=True)
    val_ds, _ = dataset(splits["validation"], shuffle=False)
    test_ds, y_test = dataset(splits["test"], shuffle=False)

    m = config["model"]
    model = average_embedding(
        len(vocabulary), len(labels), sequence_length=text_config.max_length,
        embedding_dim=m["embedding_dim"], pooling=m["pooling"],
        hidden_units=m["hidden_units"], dropout=m["dropout"],
    )
    model.compile(
        optimizer=keras.optimizers.Adam(config["training"]["learning_rate"]),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    _log(f"training {model.name} for {config['training']['epochs']} epochs")
    model.fit(
        train_ds, validation_data=val_ds, epochs=config["training"]["epochs"], verbose=verbose, shuffle=False,
        callbacks=[
            keras.callbacks.CSVLogger(str(run_dir / "history.csv")),
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
        ],
    )
    probabilities = model.predict(test_ds, verbose=0)
    predicted = probabilities.argmax(axis=1)
    metrics = {
        "test_accuracy": float((predicted == y_test).mean()),
        "test_macro_f1": float(f1_score(y_test, predicted, average="macro")),
        "test_loss": float(keras.losses.sparse_categorical_crossentropy(y_test, probabilities).numpy().mean()),
        "majority_class_accuracy": float(np.bincount(y_test).max() / len(y_test)),
        "num_classes": len(labels),
        "num_test": len(y_test),
    }
    tmp = run_dir / ".model.keras.tmp.keras"
    model.save(tmp)
    os.replace(tmp, run_dir / "model.keras")
    write_text_atomic(run_dir / "metrics.json", json.dumps(metrics, indent=1))
    _log(f"test accuracy {metrics['test_accuracy']:.4f} (majority class {metrics['majority_class_accuracy']:.4f}), macro-F1 {metrics['test_macro_f1']:.4f}")
    return metrics
