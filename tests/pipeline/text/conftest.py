"""Shared fixtures for the text pipeline: the fortunes records and graph tokenizers, built once."""

from __future__ import annotations

import pytest

from pipeline.text.config import TextConfig

FULL_CONFIG = TextConfig(
    lemmatize=True,
    stop_words="english",
    phrases=("San Francisco", "New York", "New York City", "of course", "do n't know", "United States"),
)


def read_fortunes(fortunes_dir, language: str = "en") -> list[bytes]:
    """Every record of one language's fortunes files (records are separated by lines '%'), as raw bytes."""
    from pipeline.corpus.fortunes import fortune_files

    records = []
    for path in fortune_files(fortunes_dir, language):
        for record in path.read_bytes().split(b"\n%\n"):
            if record.strip(b"%\n"):
                records.append(record)
    return records


@pytest.fixture(scope="session")
def fortunes_records(fortunes_dir) -> list[bytes]:
    records = read_fortunes(fortunes_dir)
    assert len(records) > 10_000
    return records


@pytest.fixture(scope="session")
def multilingual_records(fortunes_dir) -> dict[str, list[bytes]]:
    """Debian's German, Russian, Czech and Chinese fortunes (fortunes-de, -ru, -cs, -zh), raw bytes."""
    try:
        return {language: read_fortunes(fortunes_dir, language) for language in ("de", "ru", "cs", "zh")}
    except FileNotFoundError as err:
        pytest.fail(f"{err}")


@pytest.fixture(scope="session")
def graph_tokens():
    """graph_tokens(config, texts) -> token lists computed by TextPreprocessor.tokens in a tf.function."""
    import tensorflow as tf

    from pipeline.text.preprocessor import TextPreprocessor

    layers = {}

    def run(config: TextConfig, texts, batch_size: int = 512, lemma_table=None):
        key = (config, id(lemma_table))
        if key not in layers:
            layer = TextPreprocessor(config, lemma_table=lemma_table)
            layers[key] = tf.function(layer.tokens, input_signature=[tf.TensorSpec([None], tf.string)])
        fn = layers[key]
        out = []
        for i in range(0, len(texts), batch_size):
            chunk = [t.encode("utf-8", "surrogatepass") if isinstance(t, str) else t for t in texts[i : i + batch_size]]
            out += [[tok.decode("utf-8") for tok in row] for row in fn(tf.constant(chunk, tf.string)).to_list()]
        return out

    return run
