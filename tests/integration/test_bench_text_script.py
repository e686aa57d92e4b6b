"""benchmarks/bench_text.py: the in-graph comparison runs both ways and reports every figure."""

from __future__ import annotations

import re
import weakref

import pytest


@pytest.mark.slow
@pytest.mark.parametrize("options", [[], ["--retrace"], ["--rebatch", "32"]])
def test_graph_benchmark_reports_both_contenders_and_their_ratios(capsys, fortunes_dir, monkeypatch, options):
    from benchmarks import bench_text

    monkeypatch.setattr(bench_text, "FORTUNES", fortunes_dir)

    bench_text.main(["--only", "graph", "--words", "1", "--repeat", "1", *options])
    out = capsys.readouterr().out
    figures = dict(re.findall(r"^(.+?)\s{2,}([\d,]+\.\d\d)$", out, re.MULTILINE))
    for contender in ("TextVectorization", "TextPreprocessor"):
        assert float(figures[f"{contender} words/s (best wall)"].replace(",", "")) > 10_000, out
        assert float(figures[f"{contender} words/CPU-s (median)"].replace(",", "")) > 10_000, out
    for ratio in ("graph ratio, wall (ours / TextVectorization)", "graph ratio, CPU time (ours / TextVectorization)"):
        assert 0.2 < float(figures[ratio]) < 5, out


@pytest.mark.parametrize(("script", "option"), [("bench_text", "--batch"), ("bench_text", "--rebatch"),
                                                 ("bench_text_ab", "--batch")])
def test_a_batch_size_below_one_is_refused_with_the_option_named(capsys, script, option):
    import importlib

    main = importlib.import_module(f"benchmarks.{script}").main
    with pytest.raises(SystemExit) as exit_info:
        main([option, "0"])
    assert exit_info.value.code == 2
    assert f"{option} must be a positive number of rows. Received: 0" in capsys.readouterr().err


def test_rebatch_cuts_the_mapped_batches():
    import tensorflow as tf

    from benchmarks.bench_text import input_pipeline

    pipeline = input_pipeline(tf.data.Dataset.range(10).batch(4), lambda x: x * 2, rebatch=3)
    assert [b.numpy().tolist() for b in pipeline] == [[0, 2, 4], [6, 8, 10], [12, 14, 16], [18]]


def test_drain_passes_over_every_batch_and_the_timer_releases_its_iterator():
    import tensorflow as tf

    from benchmarks.bench_text import _timed_both, drain, input_pipeline

    seen = []
    pipeline = input_pipeline(tf.data.Dataset.range(10).batch(3), lambda x: tf.py_function(
        lambda v: seen.append(v.numpy().tolist()) or v, [x], tf.int64))
    iterator = drain(pipeline)
    assert sorted(seen) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    with pytest.raises(StopIteration):
        next(iterator)

    class Held:
        pass

    refs = []

    def run():
        held = Held()
        refs.append(weakref.ref(held))
        return held

    wall, cpu = _timed_both(run)
    assert wall >= 0 and cpu >= 0
    assert refs[0]() is None  # released once timed, not kept alive by the timer
