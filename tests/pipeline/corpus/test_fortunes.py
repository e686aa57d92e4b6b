"""pipeline/corpus/fortunes.py: each language's Debian fortunes, and one-line errors when one is missing."""

import pytest

from pipeline.corpus.fortunes import LANGUAGES, fortune_files, read_fortunes


def test_fortunes_languages_are_separate_corpora(fortunes_dir):
    english = fortune_files(fortunes_dir)
    assert {p.name for p in english}.isdisjoint({"chinese", "song100", "tang300"})
    assert [p.name for p in fortune_files(fortunes_dir, "zh")] == ["chinese", "song100", "tang300"]
    assert {p.parent.name for p in fortune_files(fortunes_dir, "de")} == {"de"}
    records = read_fortunes(fortunes_dir, "ru")
    assert len(records) > 20_000 and not any(r.label.endswith((".dat", ".u8")) for r in records)


def test_fortunes_missing_package_or_unknown_language_is_a_one_line_error(tmp_path):
    (tmp_path / "people").write_text("a quotation\n%\n")
    assert [r.text for r in read_fortunes(tmp_path)] == ["a quotation"]
    for language in sorted(set(LANGUAGES) - {"en"}):
        with pytest.raises(FileNotFoundError, match=rf"no {LANGUAGES[language]} files found; install it with "
                                                    rf"`apt-get install {LANGUAGES[language]}` \(or `make data`\)$"):
            fortune_files(tmp_path, language)
    with pytest.raises(FileNotFoundError, match="no fortunes folder; install it with `apt-get install fortunes`"):
        fortune_files(tmp_path / "nope")
    with pytest.raises(ValueError, match="fortunes language 'fr' is not one of cs, de, en, ru, zh"):
        fortune_files(tmp_path, "fr")
