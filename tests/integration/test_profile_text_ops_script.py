"""benchmarks/profile_text_ops.py: the op costs it reports are measured on the layer's own inputs."""

from __future__ import annotations

import re

import pytest


@pytest.mark.slow
def test_profile_ops_reports_regex_and_lookup_costs(capsys, fortunes_dir, monkeypatch):
    from benchmarks import bench_text, profile_text_ops

    monkeypatch.setattr(bench_text, "FORTUNES", fortunes_dir)

    assert profile_text_ops.main(["--words", "1", "--rounds", "1", "--batch", "512"]) == 0
    out = capsys.readouterr().out
    assert "hash table and trie give the same ids on 20 batches: True" in out, out
    # the alternatives it times must give the layer's own tokens and ids, or they time something else
    assert "tf.strings.split and WhitespaceTokenizer give the same tokens on 20 batches: True" in out, out
    assert "lowercased lookup and cased-forms lookup give the same ids on 20 batches: True" in out, out
    assert len(re.findall(r"split the separated heads, \S+\s+-?\d+\.\d ms", out)) == 2, out
    assert re.search(r"separate, split, lookup in (\d+) cased forms\s+-?\d+\.\d ms", out), out
    matches = {
        name: int(count)
        for name, count in re.findall(r"regex_replace, (.+?)\s+-?\d+\.\d ms\s+matches\s+(\d+)", out)
    }
    assert set(matches) == set(profile_text_ops.regex_plan()), out
    assert matches["no match (scan only)"] == 0
    # on lowercase ASCII heads Keras' punctuation is every mark the class finds
    assert matches["punctuation class"] == matches["Keras strip"] > 100_000, matches
    # the layer's separation joins numbers and clitics, so it has no more matches than there are marks
    assert 0.9 * matches["punctuation class"] < matches["separate_plain (the layer)"] <= matches["punctuation class"]
    assert len(re.findall(r"ns per token", out)) == 2, out
    per_op = re.findall(r"tf\.roll of a batch's (int32|string)\s+values\s+-?\d+\.\d us per op and batch", out)
    assert per_op == ["int32", "string"], out
    # the layer runs more ops per batch than the peer: the head pass and the full path
    peer, ours = map(int, re.search(r"traced graph: TextVectorization (\d+), TextPreprocessor (\d+)", out).groups())
    assert 15 < peer < ours, out
