"""Training results on real data, and the overhead of lexivision's input pipeline.

    python -m benchmarks.bench_training fashion [--config examples/fashion_mnist_cnn.toml] [--set k=v]...
    python -m benchmarks.bench_training fortunes [--config A.toml --config B.toml ...]
    python -m benchmarks.bench_training pipeline [--epochs 5]

``fashion``: train an example config, print test accuracy and time.
``fortunes``: train neural configs and scikit-learn's TF-IDF (1-2 grams) +
logistic regression on the same split (C tuned on validation), print both.
``pipeline``: the same model fitted for whole epochs through lexivision's
tf.data pipeline and with plain Keras on in-memory NumPy arrays, alternating;
minimum and median wall time per epoch and median CPU time (the machine is shared,
so the minimum is the least disturbed measurement), and the ratios.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _train(config_path: str, overrides: list[str], run: Path, reuse: bool = False) -> dict:
    """Train ``config_path`` into ``run`` (or, with ``reuse``, read a finished run of the same resolved config)."""
    import json

    from training.config import load_config
    from training.train import train

    config = load_config(config_path, overrides)
    start = time.time()
    if reuse and (run / "metrics.json").is_file() and load_config(run / "config.toml") == config:
        metrics = json.loads((run / "metrics.json").read_text())
        print(f"reusing the finished run {run}")
    else:
        metrics = train(config, run, verbose=2, resume=False)
    print(f"RESULT {Path(config_path).stem} {' '.join(overrides)}: test accuracy {metrics['test_accuracy']:.4f}, "
          f"macro-F1 {metrics.get('test_macro_f1', float('nan')):.4f}, fit {metrics['fit_seconds']:.0f} s, "
          f"total {time.time() - start:.0f} s, epochs {_epochs_run(run)}", flush=True)
    return metrics


def _epochs_run(run: Path) -> int:
    history = run / "history.csv"
    return max(0, len(history.read_text().splitlines()) - 1) if history.is_file() else 0


def sklearn_baseline(config_path: str, overrides: list[str], tokenizations=("sklearn tokens",), grid=(10.0, 30.0),
                     class_weights=("none",)) -> dict:
    """TF-IDF (1-2 grams, sublinear tf) + LogisticRegression on the config's split; C and class weights tuned on validation.

    Tokenisations: scikit-learn's own, and/or lexivision's tokens (the neural model's).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from pipeline.text.config import TextConfig
    from pipeline.text.tokenize import tokenize
    from training.config import load_config
    from training.data import load_text_splits

    config = load_config(config_path, overrides)
    splits = load_text_splits(config["data"])
    labels = {k: [r.label for r in v] for k, v in splits.items()}
    text_config = TextConfig.from_dict(config["text"])
    best = {}
    for name in tokenizations:
        if name == "sklearn tokens":
            vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
            docs = {k: [r.text for r in v] for k, v in splits.items()}
        else:
            vectorizer = TfidfVectorizer(analyzer=lambda t: t + [f"{a} {b}" for a, b in zip(t, t[1:])],
                                         sublinear_tf=True, min_df=2)
            docs = {k: tokenize([r.text for r in v], text_config) for k, v in splits.items()}
        x_train = vectorizer.fit_transform(docs["train"])
        x_val, x_test = vectorizer.transform(docs["validation"]), vectorizer.transform(docs["test"])
        for c, weights in [(c, w) for w in class_weights for c in grid]:
            start = time.time()
            clf = LogisticRegression(C=c, max_iter=300, class_weight=None if weights == "none" else weights)
            clf.fit(x_train, labels["train"])
            val = accuracy_score(labels["validation"], clf.predict(x_val))
            predicted = clf.predict(x_test)
            result = {"tokens": name, "C": c, "class_weight": weights, "validation_accuracy": val,
                      "test_accuracy": accuracy_score(labels["test"], predicted),
                      "test_macro_f1": f1_score(labels["test"], predicted, average="macro"),
                      "seconds": time.time() - start}
            print(f"  TF-IDF+LR {name} C={c} class_weight={weights}: validation {val:.4f}, "
                  f"test {result['test_accuracy']:.4f}, test macro-F1 {result['test_macro_f1']:.4f} "
                  f"({result['seconds']:.0f} s)", flush=True)
            if not best or val > best["validation_accuracy"]:
                best = result
    print(f"RESULT TF-IDF(1-2 grams)+LogisticRegression ({best['tokens']}, C={best['C']}, class_weight={best['class_weight']} chosen on validation): "
          f"test accuracy {best['test_accuracy']:.4f}, macro-F1 {best['test_macro_f1']:.4f}", flush=True)
    return best


def pipeline_overhead(epochs: int) -> None:
    """Median epoch time: lexivision's prepared tf.data datasets vs ``model.fit`` on NumPy arrays."""
    import keras
    import numpy as np

    from training.config import load_config
    from training.model_kinds import build_model
    from training.tasks import task_module
    from training.train import _compile

    cases = [
        ("fortunes average_embedding", "fortunes_average_embedding.toml", ["training.tensorboard=false"], "text"),
        ("fashion-mnist cnn", "fashion_mnist_cnn.toml",
         ["model.filters=[16, 32]", "model.dense_units=[64]", "data.max_per_class=1000"], "image"),
    ]
    for name, example, overrides, modality in cases:
        config = load_config(ROOT / "examples" / example, overrides)
        run = ROOT / "runs" / "bench_pipeline"
        run.mkdir(parents=True, exist_ok=True)
        task = task_module(modality, "classification")
        prepared = task.prepare(config, run, resuming=False)
        x, y = prepared.extra["arrays"]["train"]
        if modality == "image":
            x = x.astype(np.float32) / 255.0  # plain Keras gets the ready float pixels in memory
        keras.utils.set_random_seed(0)
        model = build_model(config["model"], **prepared.data_args)
        _compile(model, config["training"], prepared.steps_per_epoch)
        batch = config["training"]["batch_size"]
        model.fit(prepared.train, epochs=1, verbose=0, shuffle=False)  # trace both paths once
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=True)
        times = {"lexivision": ([], []), "numpy": ([], [])}  # wall, CPU (all threads of the process)
        for _ in range(epochs):
            for side in ("lexivision", "numpy"):
                wall, cpu = time.perf_counter(), time.process_time()
                if side == "lexivision":
                    model.fit(prepared.train, epochs=1, verbose=0, shuffle=False)
                else:
                    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=True)
                times[side][0].append(time.perf_counter() - wall)
                times[side][1].append(time.process_time() - cpu)
        (ours, ours_cpu), (plain, plain_cpu) = times["lexivision"], times["numpy"]
        print(f"RESULT pipeline {name} ({len(y)} examples, batch {batch}, {epochs} alternating epochs per side): "
              f"wall s/epoch min {min(ours):.2f} vs {min(plain):.2f} (ratio {min(ours) / min(plain):.3f}), "
              f"median {np.median(ours):.2f} vs {np.median(plain):.2f} (ratio {np.median(ours) / np.median(plain):.3f}); "
              f"CPU s/epoch median {np.median(ours_cpu):.2f} vs {np.median(plain_cpu):.2f} "
              f"(ratio {np.median(ours_cpu) / np.median(plain_cpu):.3f}); wall all {[round(t, 2) for t in ours]} vs "
              f"{[round(t, 2) for t in plain]}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("fashion", "fortunes", "pipeline"))
    parser.add_argument("--config", action="append", default=[])
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per side (pipeline)")
    parser.add_argument("--skip-sklearn", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="read finished runs of the same config instead of training")
    parser.add_argument("--both-tokenizations", action="store_true", help="also fit TF-IDF+LR on lexivision's tokens")
    parser.add_argument("--c", type=float, action="append", default=None, help="LogisticRegression C grid (10, 30)")
    parser.add_argument("--lr-class-weight", action="append", choices=("none", "balanced"), default=None,
                        help="LogisticRegression class_weight grid (none)")
    args = parser.parse_args(argv)
    args.c = args.c or [10.0, 30.0]
    args.lr_class_weight = args.lr_class_weight or ["none"]
    start = time.time()
    if args.what == "fashion":
        for config in args.config or [str(ROOT / "examples" / "fashion_mnist_cnn.toml")]:
            _train(config, args.overrides, ROOT / "runs" / f"bench_{Path(config).stem}")
    elif args.what == "fortunes":
        configs = args.config or [str(ROOT / "examples" / "fortunes_tfidf.toml")]
        neural = {c: _train(c, args.overrides, ROOT / "runs" / f"bench_{Path(c).stem}", reuse=args.reuse) for c in configs}
        if not args.skip_sklearn:
            tokenizations = ("sklearn tokens", "lexivision tokens") if args.both_tokenizations else ("sklearn tokens",)
            baseline = sklearn_baseline(configs[0], args.overrides, tokenizations, tuple(args.c), tuple(args.lr_class_weight))
            best = max(neural, key=lambda c: neural[c]["test_accuracy"])
            acc = neural[best]["test_accuracy"]
            print(f"RESULT best neural {Path(best).stem} {acc:.4f} vs TF-IDF+LR {baseline['test_accuracy']:.4f}: "
                  f"{'neural better' if acc > baseline['test_accuracy'] else 'TF-IDF+LR better'} "
                  f"by {abs(acc - baseline['test_accuracy']):.4f}; macro-F1 {neural[best]['test_macro_f1']:.4f} vs "
                  f"{baseline['test_macro_f1']:.4f}")
    else:
        pipeline_overhead(args.epochs)
    print(f"benchmark time {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
