"""PNG and text reports of a run: learning curves, confusion matrix, misclassified images,
first-layer filters, nearest neighbours in an embedding space and a 2-D map of it.

Plots use matplotlib's Agg backend (no display needed). Each function writes
one file and returns its path.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "plot_learning_curves", "plot_confusion_matrix", "plot_misclassified", "plot_conv_filters",
    "nearest_neighbours", "write_neighbours", "plot_embedding_map", "first_layer_of",
]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=100, bbox_inches="tight")
    _pyplot().close(fig)
    tmp.replace(path)
    return path


def plot_learning_curves(history_csv: Path, path: Path) -> Path:
    """Loss and every other metric per epoch, training and validation, from ``history.csv``."""
    plt = _pyplot()
    with open(history_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    metrics = [k for k in rows[0] if k != "epoch" and not k.startswith("val_") and k != "learning_rate"] if rows else []
    fig, axes = plt.subplots(1, max(1, len(metrics)), figsize=(5 * max(1, len(metrics)), 3.5), squeeze=False)
    epochs = [int(r["epoch"]) + 1 for r in rows]
    for ax, name in zip(axes[0], metrics):
        ax.plot(epochs, [float(r[name]) for r in rows], "o-", label=f"train {name}")
        if f"val_{name}" in rows[0]:
            ax.plot(epochs, [float(r[f"val_{name}"]) for r in rows], "s--", label=f"validation {name}")
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.legend()
        ax.grid(alpha=0.3)
    return _save(fig, path)


def plot_confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str], path: Path) -> Path:
    """Row-normalised confusion matrix (rows: true class)."""
    from sklearn.metrics import confusion_matrix

    plt = _pyplot()
    matrix = confusion_matrix(y_true, y_pred, labels=list(range(len(labels)))).astype(float)
    matrix /= np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(5, 0.25 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    fig.colorbar(image, ax=ax, fraction=0.046)
    return _save(fig, path)


def plot_misclassified(images: np.ndarray, y_true: np.ndarray, y_pred: np.ndarray, labels: list[str],
                       path: Path, limit: int = 36) -> Path:
    """A grid of test images the model got wrong, titled ``true -> predicted``."""
    plt = _pyplot()
    wrong = np.flatnonzero(y_true != y_pred)[:limit]
    cols = 6
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.6, rows * 1.8), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, wrong):
        image = images[i]
        ax.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray" if image.shape[-1] == 1 else None)
        ax.set_title(f"{labels[y_true[i]]}\n-> {labels[y_pred[i]]}", fontsize=7)
    if not len(wrong):
        axes.flat[0].set_title("no misclassified test images")
    return _save(fig, path)


def first_layer_of(model, layer_type: str):
    """The first layer of a Keras class name (searching nested models), or None."""
    for layer in model.layers:
        if type(layer).__name__ == layer_type:
            return layer
        if hasattr(layer, "layers"):
            found = first_layer_of(layer, layer_type)
            if found is not None:
                return found
    return None


def plot_conv_filters(model, path: Path) -> Path | None:
    """The kernels of the model's first Conv2D layer, one tile per filter (input channels averaged)."""
    layer = first_layer_of(model, "Conv2D")
    if layer is None:
        return None
    plt = _pyplot()
    kernel = np.asarray(layer.kernel.numpy() if hasattr(layer.kernel, "numpy") else layer.kernel, dtype=np.float32)
    kernel = kernel.mean(axis=2)  # [kh, kw, filters]
    n = kernel.shape[-1]
    cols = min(8, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.1, rows * 1.1), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, ax in zip(range(n), axes.flat):
        ax.imshow(kernel[..., i], cmap="gray")
    fig.suptitle(f"{layer.name}: {n} filters {kernel.shape[0]}x{kernel.shape[1]}")
    return _save(fig, path)


def nearest_neighbours(vectors: np.ndarray, tokens: list[str], queries: list[int], k: int = 8) -> dict[str, list[tuple[str, float]]]:
    """For each query row index, the ``k`` most cosine-similar other rows.

    >>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> nearest_neighbours(vectors, ["a", "b", "c"], [0], k=1)
    {'a': [('b', 0.9939)]}
    """
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.maximum(norms, 1e-12)
    out = {}
    for q in queries:
        similarity = unit @ unit[q]
        similarity[q] = -np.inf
        best = np.argsort(-similarity)[:k]
        out[tokens[q]] = [(tokens[j], round(float(similarity[j]), 4)) for j in best]
    return out


def write_neighbours(neighbours: dict[str, list[tuple[str, float]]], path: Path) -> Path:
    """``word: neighbour (cosine), ...`` lines, and the same as JSON beside it."""
    lines = [f"{word}: " + ", ".join(f"{n} ({s:.2f})" for n, s in near) for word, near in neighbours.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps(neighbours, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def plot_embedding_map(vectors: np.ndarray, tokens: list[str], path: Path, method: str = "pca", seed: int = 0) -> Path:
    """A 2-D projection (scikit-learn PCA or t-SNE) of word vectors, each point labelled with its word."""
    plt = _pyplot()
    if method == "tsne":
        from sklearn.manifold import TSNE

        points = TSNE(2, random_state=seed, perplexity=min(30, len(vectors) - 1), init="pca").fit_transform(vectors)
    else:
        from sklearn.decomposition import PCA

        points = PCA(2, random_state=seed).fit_transform(vectors)
    fig, ax = plt.subplots(figsize=(11, 9))
    ax.scatter(points[:, 0], points[:, 1], s=4, alpha=0.4)
    for (x, y), token in zip(points, tokens):
        ax.annotate(token, (x, y), fontsize=7)
    ax.set_title(f"word embeddings, {method.upper()} projection of the {len(tokens)} most frequent words")
    return _save(fig, path)


def embedding_report(model, vocabulary, run_dir: Path, *, queries: int = 20, words: int = 200) -> dict[str, Any]:
    """Nearest neighbours of frequent content words and a PCA word map from the model's first Embedding layer."""
    layer = first_layer_of(model, "Embedding")
    if layer is None:
        return {}
    table = np.asarray(layer.embeddings.numpy(), dtype=np.float32)
    tokens = vocabulary.tokens(include_specials=True)
    first = 1 + vocabulary.num_oov_indices + len(vocabulary.specials)
    # frequent content words: ids are sorted by frequency; keep alphabetic tokens that are not English stop words
    from vocab.stop_words import english_stop_words

    stop = english_stop_words()
    frequent = [i for i in range(first, min(len(tokens), table.shape[0]))
                if tokens[i].isalpha() and tokens[i] not in stop]
    files = {}
    near = nearest_neighbours(table[: len(tokens)], tokens, frequent[:queries])
    files["neighbours"] = str(write_neighbours(near, run_dir / "neighbours.txt"))
    chosen = frequent[:words]
    if len(chosen) >= 3:
        files["embedding_map"] = str(plot_embedding_map(table[chosen], [tokens[i] for i in chosen], run_dir / "embedding_map.png"))
    return files
