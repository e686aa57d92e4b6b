import re
import unicodedata

from pipeline.text import _unicode_tables
from pipeline.text.charclasses import CLASS_NAMES, char_class, char_ranges, compute_ranges


def test_charclasses_generated_table_is_current():
    # fails when unicodedata changes: run `python -m pipeline.text.charclasses` to regenerate
    assert _unicode_tables.UNIDATA_VERSION == unicodedata.unidata_version
    assert compute_ranges() == dict(_unicode_tables.RANGES)


def test_charclasses_ascii_clipped_classes_agree_on_ascii():
    for name in ("space", "control", "word", "digit"):
        for negate in (False, True):
            full = re.compile(char_class(name, "python", negate))
            clipped = re.compile(char_class(name, "python", negate, ascii_only=True))
            for cp in range(128):
                assert bool(full.match(chr(cp))) == bool(clipped.match(chr(cp))), (name, negate, cp)


def test_charclasses_classes_hold_expected_characters():
    word = re.compile(char_class("word", "python"))
    assert word.match("ß") and word.match("\u0301") and word.match("٣") and not word.match("中")
    assert re.compile(char_class("space", "python", exclude=" ")).fullmatch("\u00a0")
    assert not re.compile(char_class("space", "python", exclude=" ")).fullmatch(" ")
    assert set(CLASS_NAMES) == set(compute_ranges())
    assert (0x378, 0x379) in char_ranges("unassigned")
