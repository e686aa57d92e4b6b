"""Text preprocessing throughput, lexivision beside its peers, on fortunes repeated to >= N words.

    python -m benchmarks.bench_text [--words 4000000] [--batch 256]

1. In-graph: ``TextPreprocessor`` (default config) vs ``keras.layers.TextVectorization``
   (lower_and_strip_punctuation + whitespace split + lookup, same vocabulary), both mapped
   over the same batched ``tf.data`` pipeline.
2. Python: ``pipeline.tokenize(workers=1|2)`` vs spaCy's ``English().tokenizer`` via ``pipe``
   in one process.
Words are whitespace-separated words of the input, the same count for every contender.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

FORTUNES = Path(os.environ.get("LEXIVISION_FORTUNES", "/usr/share/games/fortunes"))


def corpus(min_words: int) -> tuple[list[str], int]:
    records = []
    for path in sorted(FORTUNES.iterdir()):
        if path.suffix == ".dat" or not path.is_file() or path.is_symlink():
            continue
        records += [r for r in path.read_bytes().decode("utf-8", "replace").split("\n%\n") if r.strip("%\n")]
    words = sum(len(r.split()) for r in records)
    reps = -(-min_words // words)
    return records * reps, words * reps


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_graph(texts: list[str], words: int, batch: int) -> dict[str, float]:
    import keras
    import tensorflow as tf

    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from pipeline.text.tokenize import tokenize
    from vocab import Vocabulary

    config = TextConfig()
    vocab = Vocabulary.build(tokenize(texts[:20000], config), max_size=20000)
    ours = TextPreprocessor(config, vocab)
    peer = keras.layers.TextVectorization(vocabulary=vocab.tokens(), output_sequence_length=config.max_length)
    data = tf.data.Dataset.from_tensor_slices(texts).batch(batch)

    def run(layer):
        ds = data.map(layer, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
        for _ in ds:
            pass

    for layer in (ours, peer):  # warm up (tracing)
        for _ in data.take(2).map(layer):
            pass
    t_peer = _timed(lambda: run(peer))
    t_ours = _timed(lambda: run(ours))
    return {"TextVectorization words/s": words / t_peer, "TextPreprocessor words/s": words / t_ours,
            "graph ratio (ours / TextVectorization)": t_peer / t_ours}


def bench_python(texts: list[str], words: int) -> dict[str, float]:
    from spacy.lang.en import English

    from pipeline.text.tokenize import tokenize

    nlp = English()
    t_spacy = _timed(lambda: sum(len(d) for d in nlp.tokenizer.pipe(texts, batch_size=1000)))
    t_one = _timed(lambda: tokenize(texts))
    t_two = _timed(lambda: tokenize(texts, workers=2))
    return {"spaCy tokenizer words/s": words / t_spacy, "tokenize workers=1 words/s": words / t_one,
            "tokenize workers=2 words/s": words / t_two, "python ratio (workers=2 / spaCy)": t_spacy / t_two,
            "python ratio (workers=1 / spaCy)": t_spacy / t_one}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=4_000_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--only", choices=("graph", "python"))
    args = parser.parse_args(argv)
    texts, words = corpus(args.words)
    print(f"{len(texts)} texts, {words} words (fortunes repeated), cpus={os.cpu_count()}")
    results = {}
    if args.only != "graph":  # before TensorFlow is imported, so the pool can fork
        results.update(bench_python(texts, words))
    if args.only != "python":
        results.update(bench_graph(texts, words, args.batch))
    for name, value in results.items():
        print(f"{name:45s} {value:14,.2f}")


if __name__ == "__main__":
    main()
