import subprocess
import sys
from pathlib import Path

import vocab


def test_init_import_does_not_import_tensorflow():
    root = Path(vocab.__file__).resolve().parents[1]
    code = (
        "import sys, vocab; v = vocab.Vocabulary.build([['a', 'b', 'a']], num_oov_indices=3); "
        "v.encode(['zz']); bad = {'tensorflow', 'keras', 'sklearn'} & set(sys.modules); "
        "assert not bad, bad; print(vocab.__file__)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()).resolve() == Path(vocab.__file__).resolve()


def test_init_public_api():
    assert {"TokenCounts", "Vocabulary", "VocabularyError", "count_parallel", "load_stop_words"} <= set(vocab.__all__)
    assert all(hasattr(vocab, name) for name in vocab.__all__)
