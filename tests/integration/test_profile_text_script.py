"""benchmarks/profile_text_stages.py: its stages are the layers' real work, and it reports every stage."""

from __future__ import annotations

import re

import pytest


@pytest.mark.slow
def test_profile_stages_reproduce_both_layers_and_report_each_stage(capsys, fortunes_dir, monkeypatch):
    from benchmarks import bench_text, profile_text_stages

    monkeypatch.setattr(bench_text, "FORTUNES", fortunes_dir)

    assert profile_text_stages.main(["--words", "1", "--rounds", "1", "--batch", "512"]) == 0
    out = capsys.readouterr().out
    assert out.count("staged prefixes give the layer's ids: True") == 2, out
    for stage in ("+ head pass (RE2, per row)", "+ full path for redo rows", "+ strip punctuation (RE2)"):
        assert re.search(re.escape(stage) + r"\s+\d+\.\d\s+stage\s+[+-]\d+\.\d", out), stage
    looked_up = [int(n) for n in re.findall(r"\((\d+) tokens looked up\)", out)]
    assert len(looked_up) == 2 and all(n > 400_000 for n in looked_up), looked_up  # one pass over the fortunes
    assert 0.3 < float(re.search(r"CPU time\): (\S+)", out).group(1)) < 3
