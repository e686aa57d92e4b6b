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
    # the design it times beside the layer must give the layer's ids, or it times something else
    assert re.search(r"the design without a head pass gives the layer's ids on all \d+ texts: True", out), out
    for stage in ("+ head pass (RE2, per row)", "+ full path for redo rows", "+ strip punctuation (RE2)",
                  "+ lookup, misses checked"):
        assert re.search(re.escape(stage) + r"\s+\d+\.\d\s+stage\s+[+-]\d+\.\d", out), stage
    looked_up = [int(n) for n in re.findall(r"\((\d+) tokens looked up\)", out)]
    assert len(looked_up) == 3 and all(n > 400_000 for n in looked_up), looked_up  # one pass over the fortunes
    # without the head cut the design looks up every token of a row's first 512 bytes
    assert looked_up[2] > looked_up[1], looked_up
    assert 0.3 < float(re.search(r"CPU time\): (\S+)", out).group(1)) < 3
    assert 0.3 < float(re.search(r"without a head pass\): (\S+)", out).group(1)) < 3


def test_design_without_head_pass_matches_the_layer_on_corner_cases():
    """The design's claim of exactness is tested where it is hardest: random text over clitic letters,
    apostrophes, "_", combining and compatibility characters, control bytes and invalid UTF-8,
    with a vocabulary of every token the Python twin gives (so a wrong token would be found)."""
    import random

    import tensorflow as tf

    from benchmarks import profile_text_stages
    from pipeline.text.config import TextConfig
    from pipeline.text.preprocessor import TextPreprocessor
    from pipeline.text.tokenize import tokenize
    from vocab import Vocabulary

    pieces = [*"aAsSnNtTrReEvVlLdDmM'\u2019_.,1 \t\n-(=", "\u0301", "\u0338", "\u2460", "\ufb01", "\u00e9",
              "\u00c9", "\x08", "\u00a0", "\u00df", "\u0130", "\uff53", "\u4e00", "\udcff"]
    rng = random.Random(7)
    # a random tail after 56-63 one-letter words: the tail's tokens straddle the 64th, the last one
    # kept, so a wrong token just before a bad one is kept while the bad one, which sends its row to
    # the full path, is not
    texts = ["w " * rng.randint(56, 63) + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
             for _ in range(3000)]
    corners = ["He\u2019s", "1,\u2460", "x=\u0338y", "it's's", "'sn't", "'r'll", "x'd'", "_isn't_", "\ufb01ne's",
               "a\udcff's"]
    texts += ["w " * words + corner for corner in corners for words in range(58, 64)]
    texts += ["a" * 600 + " b", "abcdefghij " * 60, "word " * 150 + "it's"]  # cut at 512 bytes, the first two
    # inside a token before the 64th
    raw = [t.encode("utf-8", "surrogateescape") for t in texts]  # "\udcff" -> the invalid byte 0xFF
    config = TextConfig()
    vocab = Vocabulary.build(tokenize([r.decode("utf-8", "replace") for r in raw], config))
    layer = TextPreprocessor(config, vocab)
    design = profile_text_stages.no_head_pass(tf, layer)[-1][1]
    differ = []
    for start in range(0, len(raw), 256):
        batch = tf.constant(raw[start : start + 256])
        rows = tf.where(tf.reduce_any(design(batch) != layer(batch), axis=1))[:, 0]
        differ += [raw[start + int(row)] for row in rows]
    assert differ == [], differ[:5]
    assert sum(b"\xff" in r for r in raw) > 100  # the invalid byte is in the sample


def test_profile_passes_splits_each_contender_into_batch_and_pass_costs(capsys, fortunes_dir, monkeypatch):
    from benchmarks import bench_text, profile_text_passes

    monkeypatch.setattr(bench_text, "FORTUNES", fortunes_dir)
    assert profile_text_passes.main(["--rows", "512", "--times", "2", "--rounds", "1", "--batch", "128"]) == 0
    out = capsys.readouterr().out
    assert "512 texts in 4 batches of 128, x1 and x2" in out, out
    costs = re.findall(r"^(\S+(?: \S+)?)\s+per batch\s+-?\d+\.\d+ ms\s+per pass\s+-?\d+\.\d+ ms$", out, re.M)
    assert costs == ["identity map", "TextVectorization", "TextPreprocessor"], out


def test_alternated_medians_take_turns_and_report_milliseconds():
    """The runners run in turn within each round (so drift hits all alike); each one's median, in ms."""
    from benchmarks.profile_text_passes import alternated_medians

    calls = []

    def runner(name, seconds):
        values = iter(seconds)

        def run():
            calls.append(name)
            return next(values)

        return run

    medians = alternated_medians({"a": runner("a", [0.003, 0.001, 0.002]), "b": runner("b", [0.5, 0.1, 0.9])}, 3)
    assert calls == ["a", "b"] * 3
    assert medians == pytest.approx({"a": 2.0, "b": 500.0})


def test_profile_passes_rejects_a_single_pass():
    from benchmarks import profile_text_passes

    with pytest.raises(SystemExit) as exit_info:
        profile_text_passes.main(["--times", "1"])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_profile_full_path_counts_redo_rows_by_reason_and_times_each_step(capsys, fortunes_dir, monkeypatch):
    from benchmarks import bench_text, profile_full_path

    monkeypatch.setattr(bench_text, "FORTUNES", fortunes_dir)
    assert profile_full_path.main(["--times", "2", "--rounds", "1", "--batch", "512"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"(\d+) en fortunes in (\d+) batches of 512: (\d+) rows to redo", out)
    assert found, out
    texts, batches, total = map(int, found.groups())
    assert texts > 10_000 and batches == -(-texts // 512) and 50 < total < texts // 50, found.group()
    reasons = dict(re.findall(r"^  (control character|outside ASCII|apostrophe beside _|other)\s+(\d+)$", out, re.M))
    assert sum(map(int, reasons.values())) == total, reasons
    assert int(reasons["control character"]) > total // 2, reasons  # the fortunes underlined with backspaces
    for name in ("whole full path", "UTF-8 check and repair", *profile_full_path.STEP_NAMES):
        assert re.search(rf"^  {re.escape(name)}\s+per batch\s+-?\d+\.\d us", out, re.M), name


def test_profile_full_path_steps_give_the_full_path_and_reasons_are_named():
    import tensorflow as tf
    import tensorflow_text as tf_text

    from benchmarks.profile_full_path import STEP_NAMES, _chain, path_steps, redo_reason
    from pipeline.text import graph
    from pipeline.text.config import TextConfig

    rows = tf.constant([b"He\xe2\x80\x99s _\x08w_\x08o_\x08r_\x08d", "caf\u00e9 \u00bd ok, \u2163.".encode(), b"x\xc2\xa0y don't.",
                        b"bad \xff byte", b"", b"\x1c\x07it's's"])
    config = TextConfig()
    joined = graph.join_known_rows(rows)
    steps = path_steps(tf, tf_text, graph, config)
    assert tuple(steps) == STEP_NAMES
    assert _chain(list(steps.values()))(joined).numpy() == graph.joined_full_path(rows, config).numpy()
    with pytest.raises(ValueError, match="default config"):
        path_steps(tf, tf_text, graph, TextConfig(lowercase=False))
    assert [redo_reason(t, 64) for t in ("_\bw_\bo", "caf\u00e9", "it's's", "x_y don't", "a " * 70 + "\u00e9")] == [
        "control character", "outside ASCII", "other", "apostrophe beside _", "other"]


def test_profile_full_path_rejects_a_single_pass(capsys):
    from benchmarks import profile_full_path

    with pytest.raises(SystemExit) as exit_info:
        profile_full_path.main(["--times", "1"])
    assert exit_info.value.code == 2
    assert "--times must be >= 2" in capsys.readouterr().err
