import json
import re

from training.cli import main


def test_preprocess_command_writes_shards_and_manifest(tmp_path, capsys):
    (tmp_path / "r.tsv").write_text("label\ttext\npos\tGood.\nneg\tBad.\n\n")
    code = main(["preprocess", str(tmp_path / "r.tsv"), "-o", str(tmp_path / "out"), "--workers", "1", "--shard-size", "1"])
    assert code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [s["file"] for s in manifest["shards"]] == ["data-00000-of-00002.tfrecord", "data-00001-of-00002.tfrecord"]
    assert manifest["skipped"]["empty"] == [f"{tmp_path / 'r.tsv'}:4"]
    assert "wrote 2 of 2 documents to 2 shards" in capsys.readouterr().out


def test_preprocess_command_missing_input_and_unwritable_output_exit_2(tmp_path, capsys):
    (tmp_path / "r.txt").write_text("hello\n")
    (tmp_path / "file").write_text("")
    cases = [
        (["preprocess", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")], r"nope\.txt: no such file or folder"),
        (["preprocess", str(tmp_path / "r.txt"), "-o", str(tmp_path / "file" / "o")], r"cannot write the output folder"),
        (["preprocess", str(tmp_path / "r.txt"), "-o", str(tmp_path / "o"), "--vocab", str(tmp_path / "v.txt")], r"v\.txt: no such vocabulary file"),
    ]
    for argv, message in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("lexivision preprocess: error: ") and "\n" not in err and re.search(message, err), err
