"""benchmarks/multilingual_agreement.py: naive steps disagree on real Czech text, lexivision does not."""

from __future__ import annotations

import re

import pytest


@pytest.mark.slow
def test_multilingual_agreement_reports_naive_steps_and_lexivision(capsys, fortunes_dir):
    from benchmarks import multilingual_agreement

    assert multilingual_agreement.main(["--languages", "cs", "--fortunes", str(fortunes_dir)]) == 0
    out = capsys.readouterr().out
    rows = dict(re.findall(r"^(.+?)\s+(\d+\.\d\d)%$", out, flags=re.M))
    assert int(re.search(r"^records\s+([\d,]+)$", out, flags=re.M).group(1).replace(",", "")) > 7000, out
    assert float(rows["\\w tokens (re vs RE2)"]) > 90, rows  # RE2's \w is ASCII; Czech is not
    assert float(rows["ASCII lowercase (TextVectorization) vs str.lower"]) > 5, rows
    assert float(rows["lexivision tokens (tokenize vs TextPreprocessor)"]) == 0, rows
