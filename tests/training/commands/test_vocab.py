import re

import pytest

from training.cli import main
from vocab import Vocabulary


def test_vocab_build_writes_a_filtered_vocabulary(tmp_path, capsys):
    (tmp_path / "c.txt").write_text("the cat and the dog play .\nthe and dog .\n\n")
    code = main(["vocab", "build", str(tmp_path / "c.txt"), "-o", str(tmp_path / "v" / "vocab.txt"),
                 "--min-freq", "2", "--stop-words", "english", "--workers", "1"])
    assert code == 0
    assert Vocabulary.load(tmp_path / "v" / "vocab.txt").tokens() == [".", "dog"]
    assert "wrote 2 tokens from 2 documents" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["-o", "{tmp}/file/vocab.txt"], r"cannot create the folder .*file"),
        (["-o", "{tmp}/v.txt", "--stop-words", "{tmp}/none.txt"], r"--stop-words .*none.txt: no such file"),
        (["-o", "{tmp}/v.txt", "--min-df", "5", "--max-df", "1"], r"min_df=5 keeps fewer documents than max_df=1"),
        (["{tmp}/missing.txt", "-o", "{tmp}/v.txt"], r"missing.txt: no such file or folder"),
    ],
)
def test_vocab_build_bad_input_is_one_line_exit_2(tmp_path, capsys, extra, message):
    (tmp_path / "c.txt").write_text("a b\n")
    (tmp_path / "file").write_text("")
    code = main(["vocab", "build", str(tmp_path / "c.txt")] + [a.format(tmp=tmp_path) for a in extra] + ["--workers", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("lexivision vocab: error: ") and "\n" not in err
    assert re.search(message, err), err
