"""How often Python and TensorFlow disagree on multilingual text, step by naive step, and with lexivision.

    PYTHONPATH=. python -m benchmarks.multilingual_agreement [--languages en,de,ru,cs,zh] [--fortunes DIR]

Corpora: Debian's fortunes in English, German, Russian, Czech and Chinese (``make data`` installs
them). For each record, each naive pair below runs the same-looking step in Python and in a
TensorFlow graph and counts the records whose results differ:

- ``\\w`` tokens: ``re.findall(r"\\w+|[^\\w\\s]")`` against the same pattern in RE2 (``\\w`` is ASCII
  there) through ``tf_text.regex_split_with_offsets``;
- lowercase: ``str.lower`` against ``tf.strings.lower(encoding="utf-8")`` (ICU);
- ASCII lowercase, as Keras ``TextVectorization``'s standardisation does it (``tf.strings.lower``
  without an encoding), against ``str.lower``;
- NFKC: ``unicodedata.normalize`` against ``tf_text.normalize_utf8`` (ICU);
- whitespace split: ``str.split`` against ``tf.strings.split``.

Then lexivision: ``pipeline.tokenize`` against ``TextPreprocessor.tokens``, default config.
"""

from __future__ import annotations

import argparse
import os
import re
import unicodedata

from benchmarks.bench_text import FORTUNES
from pipeline.corpus.fortunes import LANGUAGES

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

WORD_PATTERN = r"\w+|[^\w\s]"
BATCH = 512


def _graph_rows(tf, fn, texts: list[str]) -> list:
    """``fn`` (one tf.function over a [batch] of strings) on every record, as Python lists."""
    out = []
    for i in range(0, len(texts), BATCH):
        result = fn(tf.constant([t.encode("utf-8") for t in texts[i : i + BATCH]]))
        out += result.to_list() if hasattr(result, "to_list") else result.numpy().tolist()
    return out


def _decoded(rows: list) -> list:
    return [[x.decode("utf-8") for x in row] if isinstance(row, list) else row.decode("utf-8") for row in rows]


def naive_steps(tf, tf_text) -> dict[str, tuple]:
    """``{name: (python function of a text, graph function of a [batch])}``."""
    word = re.compile(WORD_PATTERN)

    def re2_words(batch):
        # the pieces between the delimiters are the words, the delimiters kept are the marks
        tokens, _, _ = tf_text.regex_split_with_offsets(batch, r"\s+|[^\w\s]", r"[^\w\s]")
        return tokens

    return {
        "\\w tokens (re vs RE2)": (word.findall, re2_words),
        "lowercase (str.lower vs ICU)": (str.lower, lambda b: tf.strings.lower(b, encoding="utf-8")),
        "ASCII lowercase (TextVectorization) vs str.lower": (str.lower, tf.strings.lower),
        "NFKC (unicodedata vs ICU)": (lambda t: unicodedata.normalize("NFKC", t),
                                      lambda b: tf_text.normalize_utf8(b, "NFKC")),
        "whitespace split (str.split vs tf.strings.split)": (str.split, tf.strings.split),
    }


def disagreements(texts: list[str], python_fn, graph_rows: list) -> int:
    return sum(python_fn(t) != g for t, g in zip(texts, graph_rows, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--fortunes", default=FORTUNES,
                        help="the fortunes folder (its language sub-folders, and fortunes-zh's files)")
    args = parser.parse_args(argv)

    import tensorflow as tf
    import tensorflow_text as tf_text

    from pipeline.corpus.fortunes import read_fortunes
    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from pipeline.text.tokenize import tokenize

    steps = naive_steps(tf, tf_text)
    graphs = {name: tf.function(g, input_signature=[tf.TensorSpec([None], tf.string)]) for name, (_, g) in steps.items()}
    config = TextConfig()
    ours = tf.function(TextPreprocessor(config).tokens, input_signature=[tf.TensorSpec([None], tf.string)])
    print(f"{'records that differ':52s}" + "".join(f"{lang:>10s}" for lang in args.languages.split(",")))
    table: dict[str, list[str]] = {name: [] for name in [*steps, "lexivision tokens (tokenize vs TextPreprocessor)"]}
    counts = []
    for language in args.languages.split(","):
        texts = [r.text for r in read_fortunes(args.fortunes, language)]
        counts.append(len(texts))
        for name, (python_fn, _) in steps.items():
            rows = _decoded(_graph_rows(tf, graphs[name], texts))
            table[name].append(f"{100 * disagreements(texts, python_fn, rows) / len(texts):.2f}%")
        python = tokenize(texts, config)
        graph = _decoded(_graph_rows(tf, ours, texts))
        table["lexivision tokens (tokenize vs TextPreprocessor)"].append(
            f"{100 * sum(p != g for p, g in zip(python, graph, strict=True)) / len(texts):.2f}%")
    print(f"{'records':52s}" + "".join(f"{n:>10,d}" for n in counts))
    for name, cells in table.items():
        print(f"{name:52s}" + "".join(f"{c:>10s}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
