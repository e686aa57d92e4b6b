"""The model builders on a GPU with Keras 3's torch backend: mixed precision and throughput.

The lent GPU machines have PyTorch and JAX but no TensorFlow, and TensorFlow with its CUDA
libraries (about 2 GB of wheels) cannot be carried there. So this check builds the same Keras
models (``training.models`` imports no TensorFlow) and trains them on the torch backend::

    KERAS_BACKEND=torch python -m benchmarks.gpu_keras [--fashion DIR] [--quick]

Each model is trained under the policies float32, mixed_float16 and mixed_bfloat16:

- ``cnn`` and ``resnet`` (depth 8) on Fashion-MNIST: training images/s in the second epoch, and
  test accuracy after two epochs (mixed precision must still learn);
- ``lstm`` on right-padded token ids: sequences/s with its padding mask, and the same layers
  without a mask. Keras' torch and JAX backends run a masked LSTM with their generic loop (only the
  TensorFlow backend passes right-padded masks to cuDNN), so the unmasked run shows what the fused
  kernel gives on this GPU;
- ``nnlm`` (5-word contexts, 6,003 words): training tokens/s.

``--quick`` shrinks everything to check the script on a CPU.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def _epoch_timer():
    """A Keras callback that records the seconds of each epoch (keras is imported once the backend is set)."""
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):  # the logs hold the loss: the epoch's work is done
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


def _fit(model, x, y, batch_size: int, epochs: int = 2) -> tuple[float, float]:
    """(samples/s of the last epoch, last training loss)."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = _epoch_timer()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[timer], shuffle=True)
    return len(x) / timer.seconds[-1], float(history.history["loss"][-1])


def _accuracy(model, x, y) -> float:
    probabilities = model.predict(x, batch_size=1024, verbose=0)
    return float((np.asarray(probabilities).argmax(axis=1) == y).mean())


def _fashion_split(fashion: Path, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    """Images in [0, 1] with a channel axis, and int64 labels, of ``{prefix}-images-idx3-ubyte.gz``."""
    from pipeline.images.idx import labels_path_for, read_idx

    images = fashion / f"{prefix}-images-idx3-ubyte.gz"
    return read_idx(images)[..., None].astype("float32") / 255.0, read_idx(labels_path_for(images)).astype("int64")


def images(fashion: Path, quick: bool, batch_size: int = 256) -> None:
    from training.models import cnn, resnet

    (x, y), (xt, yt) = _fashion_split(fashion, "train"), _fashion_split(fashion, "t10k")
    if quick:
        x, y, xt, yt = x[:2048], y[:2048], xt[:512], yt[:512]
    builders = {"cnn": lambda: cnn((28, 28, 1), 10), "resnet-8": lambda: resnet((28, 28, 1), 10, depth=8)}
    for name, build in builders.items():
        for policy in POLICIES:
            model = _with_policy(policy, build)
            rate, loss = _fit(model, x, y, batch_size=batch_size)
            out = model.outputs[0].dtype
            print(f"RESULT {name:8s} batch {batch_size:5d} {policy:15s} {rate:10,.0f} images/s  loss {loss:.3f}  "
                  f"test accuracy {_accuracy(model, xt, yt):.4f}  output dtype {out}", flush=True)


def _with_policy(policy: str, build):
    import keras

    keras.mixed_precision.set_global_policy(policy)
    try:
        keras.utils.set_random_seed(0)
        return build()
    finally:
        keras.mixed_precision.set_global_policy("float32")


def recurrent(quick: bool) -> None:
    import keras

    from training.models import lstm
    from training.models.recurrent import CUDNN_SETTINGS

    rng = np.random.default_rng(0)
    n, length, vocab = (1024, 32, 2000) if quick else (32768, 64, 20000)
    lengths = rng.integers(5, length + 1, size=n)
    ids = rng.integers(1, vocab, size=(n, length))
    ids[np.arange(length)[None, :] >= lengths[:, None]] = 0  # right-padded, as the text pipeline pads
    labels = rng.integers(0, 40, size=n)

    def unmasked():
        return keras.Sequential([
            keras.Input((length,), dtype="int64"), keras.layers.Embedding(vocab, 64),
            keras.layers.LSTM(64, unit_forget_bias=True, **CUDNN_SETTINGS), keras.layers.Dense(40, activation="softmax"),
        ])

    variants = {"lstm (masked)": lambda: lstm(vocab, 40, sequence_length=length), "lstm, no mask": unmasked}
    for name, build in variants.items():
        for policy in POLICIES:
            try:
                rate, loss = _fit(_with_policy(policy, build), ids, labels, batch_size=256)
            except Exception as err:  # a backend's cuDNN binding may refuse a dtype (JAX: float16)
                print(f"RESULT {name:14s} {policy:15s} failed: {type(err).__name__}: {str(err).splitlines()[0]}")
                continue
            print(f"RESULT {name:14s} {policy:15s} {rate:10,.0f} sequences/s  loss {loss:.3f}", flush=True)


def language_model(quick: bool) -> None:
    from training.models import nnlm

    rng = np.random.default_rng(0)
    n, vocab = (4096, 600) if quick else (262144, 6003)
    contexts = rng.integers(0, vocab, size=(n, 5))
    targets = rng.integers(1, vocab, size=n)
    for policy in POLICIES:
        model = _with_policy(policy, lambda: nnlm(vocab, context_size=5, embedding_dim=128, hidden_units=256,
                                                  dropout=0.2, tie_embeddings=True))
        rate, loss = _fit(model, contexts, targets, batch_size=1024)
        print(f"RESULT nnlm           {policy:15s} {rate:10,.0f} tokens/s  loss {loss:.3f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fashion", type=Path,
                        default=Path(os.environ.get("LEXIVISION_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")))
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check the script on a CPU")
    parser.add_argument("--only", choices=("images", "recurrent", "lm"))
    parser.add_argument("--image-batch", type=int, default=256, help="batch size of the image models")
    args = parser.parse_args(argv)

    import keras

    print(f"keras {keras.__version__}, backend {keras.backend.backend()}", flush=True)
    if keras.backend.backend() == "torch":
        import torch

        print(f"torch {torch.__version__}, cuda available {torch.cuda.is_available()}, cudnn "
              f"{torch.backends.cudnn.is_available() and torch.backends.cudnn.version()}, device "
              f"{torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu'}", flush=True)
    start = time.time()
    if args.only in (None, "images"):
        images(args.fashion, args.quick, args.image_batch)
    if args.only in (None, "recurrent"):
        recurrent(args.quick)
    if args.only in (None, "lm"):
        language_model(args.quick)
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
