import hashlib
from pathlib import Path

import pytest

from pipeline.corpus.inputs import CorpusError, describe_inputs, detect_format, expand_inputs


@pytest.mark.parametrize(
    "name, fmt", [("a.txt", "txt"), ("a.TSV", "tsv"), ("a.csv.gz", "csv"), ("a.jsonl", "jsonl"), ("README", "txt")]
)
def test_inputs_detect_format(name, fmt):
    assert detect_format(name) == fmt


def test_inputs_missing_path_is_a_one_line_error(tmp_path):
    with pytest.raises(CorpusError, match=r"nope\.txt: no such file or folder; check the input path"):
        expand_inputs([tmp_path / "nope.txt"])
    with pytest.raises(CorpusError, match="no files found"):
        expand_inputs([tmp_path])


def test_inputs_fortunes_folder_skips_indexes_and_duplicate_links(fortunes_dir):
    files = expand_inputs([fortunes_dir])
    names = [f.path.rsplit("/", 1)[1] for f in files]
    assert "art" in names and not any(n.endswith((".dat", ".u8")) for n in names)
    top = [f for f in files if Path(f.path).parent == fortunes_dir]
    assert {f.format for f in top} == {"fortunes"} and files[0].label == "art"
    # fortunes-de, -ru and -cs add a folder each: class folders, one document per quotation file
    below = [f for f in files if Path(f.path).parent != fortunes_dir]
    assert {f.label for f in below} == {"cs", "de", "ru"} and {f.format for f in below} == {"doc"}


def test_inputs_describe_gives_size_and_sha256(messy_corpus):
    [entry] = describe_inputs(expand_inputs([messy_corpus / "a.txt"]))
    data = (messy_corpus / "a.txt").read_bytes()
    assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
