import gzip

from pipeline.corpus.fortunes import read_fortune_file
from pipeline.corpus.inputs import InputFile, expand_inputs
from pipeline.corpus.problems import Problems
from pipeline.corpus.readers import read_file, read_records


def _read(path, fmt=None, **kwargs):
    problems = Problems()
    file = expand_inputs([path])[0] if fmt is None else InputFile(str(path), fmt)
    return list(read_file(file, problems, **kwargs)), problems


def test_readers_txt_keeps_source_line_and_counts_empty_and_invalid_utf8(messy_corpus):
    records, problems = _read(messy_corpus / "a.txt")
    assert [(r.text, r.line) for r in records] == [
        ("The cat and the dog play.", 1),
        ("A caf\ufffd in Paris.", 3),
        ("Last line without newline", 5),
    ]
    assert {r.source for r in records} == {str(messy_corpus / "a.txt")}
    assert problems.where["empty"] == [f"{messy_corpus / 'a.txt'}:2", f"{messy_corpus / 'a.txt'}:4"]
    assert problems.where["invalid_utf8"] == [f"{messy_corpus / 'a.txt'}:3"]


def test_readers_tsv_with_header_and_short_row(messy_corpus):
    records, problems = _read(messy_corpus / "b.tsv")
    assert [(r.label, r.text, r.line) for r in records] == [("pos", "A good film.", 2), ("neg", "A bad, bad film.", 3)]
    assert problems.where["missing_column"] == [f"{messy_corpus / 'b.tsv'}:4"]


def test_readers_csv_without_header_is_label_then_text(messy_corpus):
    records, problems = _read(messy_corpus / "c.csv")
    assert [(r.label, r.text) for r in records] == [("pos", "Quoted, with a comma"), ("neg", "Plain text")]
    assert len(problems) == 0


def test_readers_csv_custom_columns_and_missing_header_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,body,stars\n1,\"multi\nline\",5\n2,short,1\n")
    records, problems = _read(path, text_column="body", label_column="stars")
    assert [(r.text, r.label, r.line) for r in records] == [("multi\nline", "5", 2), ("short", "1", 4)]
    records, problems = _read(path, text_column="review", label_column="stars")
    assert records == [] and problems.where["missing_column"] == [f"{path}:1"]


def test_readers_jsonl_counts_bad_json_missing_field_and_empty(messy_corpus):
    records, problems = _read(messy_corpus / "d.jsonl")
    assert [(r.text, r.label, r.line) for r in records] == [("json one", "pos", 1), ("json two", None, 5)]
    src = messy_corpus / "d.jsonl"
    assert problems.where["bad_json"] == [f"{src}:2"]
    assert problems.where["missing_column"] == [f"{src}:3"]
    assert problems.where["empty"] == [f"{src}:4"]


def test_readers_gzip_reads_like_plain_and_truncated_gzip_is_unreadable(messy_corpus, tmp_path):
    records, problems = _read(messy_corpus / "e.txt.gz")
    assert [r.text for r in records] == ["gzipped one", "gzipped two"] and len(problems) == 0
    data = gzip.compress(b"".join(b"line %d\n" % i for i in range(5000)))
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    records, problems = _read(tmp_path / "cut.txt.gz")
    assert problems.counts["unreadable"] == 1
    assert problems.where["unreadable"][0] == f"{tmp_path / 'cut.txt.gz'}:{len(records) + 1}"


def test_readers_binary_file_and_broken_link_among_text_files_are_counted(messy_corpus, tmp_path):
    (tmp_path / "ok.txt").write_text("fine\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "image.txt").write_bytes((messy_corpus / "f.bin").read_bytes())
    problems = Problems()
    records = list(read_records(expand_inputs([tmp_path]), problems))
    assert [r.text for r in records] == ["fine"]
    assert problems.where["binary"] == [str(tmp_path / "image.txt")]
    assert problems.where["unreadable"] == [str(tmp_path / "gone.txt")]


def test_readers_class_folders_label_by_folder_and_count_empty_and_binary(class_folders):
    problems = Problems()
    records = list(read_records(expand_inputs([class_folders]), problems))
    assert [(r.label, r.text) for r in records] == [
        ("neg", "Awful."), ("neg", "Dull and long."), ("pos", "Great fun!"), ("pos", "Loved it."),
    ]
    assert problems.counts["empty"] == 1 and problems.counts["binary"] == 1


def test_readers_fortunes_match_the_fortunes_reader(small_fortunes):
    problems = Problems()
    ours = list(read_records(expand_inputs(small_fortunes), problems))
    theirs = [r for path in small_fortunes for r in read_fortune_file(path)]
    assert ours == theirs and len(ours) > 1000
