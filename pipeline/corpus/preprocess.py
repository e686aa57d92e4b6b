"""``preprocess_corpus``: corpora -> TFRecord shards, vocabularies and a manifest.

Output folder::

    data-00000-of-00003.tfrecord ...  tf.train.Example: token_ids, label (if any), text (optional)
    vocab.txt, vocab.txt.json         the token vocabulary (vocab.Vocabulary.save)
    labels.txt                        label names, one per line; label id = line number - 1
    manifest.json                     inputs (size, sha256), config, counts, skipped records, shards
    .progress/                        the job plan and per-shard statistics, for resuming

Records go to shards by their index in the input order (shard ``k`` holds
records ``k*shard_size .. (k+1)*shard_size-1``), so the output does not depend
on the number of workers. Every file appears under its final name only when
complete; a job started again after a crash skips complete shards and ends with
byte-identical output.

>>> import tempfile, pathlib, json
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "reviews.tsv").write_text("pos\\tA good film.\\nneg\\tA bad film.\\n\\n")
>>> manifest = preprocess_corpus([folder / "reviews.tsv"], folder / "out", workers=1)
>>> manifest["counts"]["read"], manifest["counts"]["written"], manifest["skipped"]["empty"]
(2, 2, ['...reviews.tsv:3'])
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.corpus.inputs import CorpusError, describe_inputs, expand_inputs
from pipeline.corpus.parallel import bounded_map, default_workers
from pipeline.corpus.problems import KINDS, MAX_LISTED, Problems
from pipeline.corpus.readers import read_records
from pipeline.corpus.records import Record
from pipeline.corpus.tfrecord import example_bytes, write_tfrecord
from pipeline.corpus.vocabulary import _progress, scan_corpus, specials_for
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import sequence, tokenize
from vocab import Vocabulary

__all__ = ["FORMAT", "RUNNERS", "preprocess_corpus", "shard_name"]

FORMAT = "lexivision.corpus/1"
RUNNERS = ("local", "beam")
MANIFEST = "manifest.json"
VOCAB = "vocab.txt"
LABELS = "labels.txt"
PROGRESS = ".progress"


def shard_name(index: int, num_shards: int) -> str:
    """``data-00003-of-00010.tfrecord``."""
    return f"data-{index:05d}-of-{num_shards:05d}.tfrecord"


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _write_lines(path: Path, lines: Sequence[str]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / PROGRESS).mkdir(exist_ok=True)
        probe = out / PROGRESS / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        for folder in (out, out / PROGRESS):
            for stale in folder.glob(".*.tmp-*"):  # left by a killed run
                stale.unlink()
    except OSError as err:
        raise CorpusError(
            f"{out}: cannot write the output folder ({err.strerror or err}); choose another output folder"
        ) from None


# Shards -------------------------------------------------------------------------

_VOCABS: dict[tuple[str, int], Vocabulary] = {}


def _vocabulary(path: str) -> Vocabulary:
    key = (path, os.stat(path).st_mtime_ns)
    if key not in _VOCABS:
        _VOCABS.clear()
        _VOCABS[key] = Vocabulary.load(path)
    return _VOCABS[key]


def encode_shard(
    records: Sequence[Record], config: TextConfig, vocabulary: Vocabulary, labels: dict[str, int], include_text: bool
) -> tuple[list[bytes], list[str]]:
    """Serialised Examples of ``records`` and the ``file:line`` of those truncated to ``max_length``."""
    examples, too_long = [], []
    for record, tokens in zip(records, tokenize([r.text for r in records], config)):
        if len(tokens) > config.room:
            too_long.append(f"{record.source}:{record.line}")
        features = {"token_ids": vocabulary.encode(sequence(tokens, config))}
        if record.label is not None:
            features["label"] = [labels[record.label]]
        if include_text:
            features["text"] = [record.text.encode("utf-8")]
        examples.append(example_bytes(features))
    return examples, too_long


def write_shard(out: Path, index: int, num_shards: int, examples: Sequence[bytes], too_long: Sequence[str]) -> dict:
    """Statistics first, then the shard (atomically): a shard with both files is complete."""
    name = shard_name(index, num_shards)
    stats = {"file": name, "records": len(examples), "too_long": len(too_long), "too_long_at": list(too_long[:MAX_LISTED])}
    _write_json(out / PROGRESS / f"{name}.json", stats)
    write_tfrecord(out / name, examples)
    return stats


def completed_shard(out: Path, index: int, num_shards: int) -> dict | None:
    """The statistics of shard ``index`` if it was written completely, else None."""
    name = shard_name(index, num_shards)
    stats_path = out / PROGRESS / f"{name}.json"
    if not ((out / name).is_file() and stats_path.is_file()):
        return None
    try:
        return json.loads(stats_path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _shard_task(task) -> dict:
    out, index, num_shards, config, vocab_path, labels, include_text, records = task
    if records is None:
        return completed_shard(Path(out), index, num_shards)
    examples, too_long = encode_shard(records, config, _vocabulary(vocab_path), labels, include_text)
    return write_shard(Path(out), index, num_shards, examples, too_long)


# Plan and manifest ------------------------------------------------------------------


def _job(files, described, config, vocabulary, options) -> dict:
    job = {"inputs": described, "text": config.to_dict(), **options}
    if vocabulary is not None:
        tokens = "\n".join(vocabulary.tokens(include_specials=True))
        job["vocabulary"] = {"sha256": hashlib.sha256(tokens.encode("utf-8")).hexdigest(), "size": len(vocabulary)}
    return job


def make_plan(out: Path, job: dict, num_records: int, labels: set, vocabulary: Vocabulary, shard_size: int) -> dict:
    """Write vocab.txt, labels.txt and the plan (the last: its presence means this stage is done)."""
    if num_records == 0:
        raise CorpusError("no documents to write: every input line was empty or skipped; see the inputs")
    vocabulary.save(out / VOCAB)
    label_list = sorted(labels)
    _write_lines(out / LABELS, label_list)
    plan = {
        "job": job,
        "num_records": num_records,
        "num_shards": max(1, math.ceil(num_records / shard_size)),
        "labels": label_list,
    }
    _write_json(out / PROGRESS / "plan.json", plan)
    return plan


def load_plan(out: Path, job: dict) -> dict | None:
    """The plan of an interrupted run of the same job; an error if ``out`` holds another job."""
    path = out / PROGRESS / "plan.json"
    if not path.is_file():
        if (out / MANIFEST).is_file():
            raise CorpusError(f"{out}: holds the output of another job; choose a new output folder or delete it")
        return None
    plan = json.loads(path.read_text(encoding="utf-8"))
    if plan.get("job") != job:
        raise CorpusError(
            f"{out}: holds the output of another job (different inputs or settings); "
            "choose a new output folder or delete it"
        )
    if not (out / VOCAB).is_file():
        return None
    return plan


def finish(out: Path, plan: dict, reading: Problems, shard_stats: Sequence[dict]) -> dict:
    """Check the shards against the plan and write manifest.json (atomically)."""
    if len(shard_stats) != plan["num_shards"] or any(s is None for s in shard_stats):
        raise CorpusError(f"{out}: some shards were not written; run the same command again to finish them")
    written = sum(s["records"] for s in shard_stats)
    if written != plan["num_records"]:
        raise CorpusError(
            f"{out}: wrote {written} records but planned {plan['num_records']}: an input changed during the job; "
            "delete the output folder and run again"
        )
    problems = Problems().merge(reading)
    for s in shard_stats:
        for where in s["too_long_at"]:
            problems.add("too_long", where)
        problems.counts["too_long"] += s["too_long"] - len(s["too_long_at"])
    detail = problems.to_dict()
    job = plan["job"]
    manifest = {
        "format": FORMAT,
        "inputs": job["inputs"],
        "config": {k: v for k, v in job.items() if k != "inputs"},
        "counts": {"read": plan["num_records"], "written": written, **detail["counts"]},
        "skipped": detail["where"],
        "problem_kinds": KINDS,
        "vocabulary": VOCAB,
        "labels": LABELS,
        "num_labels": len(plan["labels"]),
        "shards": [{"file": s["file"], "records": s["records"], "sha256": _sha256(out / s["file"])} for s in shard_stats],
    }
    _write_json(out / MANIFEST, manifest)
    return manifest


# Local runner -------------------------------------------------------------------------


def _shard_tasks(records: Iterator[Record], out: Path, plan: dict, config, include_text: bool):
    """One task per shard, in order; complete shards are skipped (their records still read)."""
    num_shards, shard_size = plan["num_shards"], plan["job"]["shard_size"]
    labels = {label: i for i, label in enumerate(plan["labels"])}
    vocab_path = str(out / VOCAB)
    for index in range(num_shards):
        batch = []
        for record in records:
            batch.append(record)
            if len(batch) == shard_size:
                break
        done = completed_shard(out, index, num_shards) is not None
        yield (str(out), index, num_shards, config, vocab_path, labels, include_text, None if done else batch)
    if next(records, None) is not None:
        raise CorpusError(f"{out}: the inputs hold more records than planned: an input changed during the job")


def preprocess_corpus(
    inputs: Sequence[str | os.PathLike] | str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    text_config: TextConfig | None = None,
    vocabulary: Vocabulary | str | os.PathLike | None = None,
    workers: int | None = None,
    runner: str = "local",
    shard_size: int = 10000,
    include_text: bool = False,
    min_freq: int = 1,
    max_size: int | None = None,
    text_column: str | int = "text",
    label_column: str | int | None = "label",
    progress: bool = False,
    beam_options: Sequence[str] = (),
) -> dict:
    """Write TFRecord shards, ``vocab.txt``, ``labels.txt`` and ``manifest.json`` to ``out_dir``.

    ``vocabulary`` (a :class:`vocab.Vocabulary` or a saved one) maps tokens to
    ids; without it one is built from the inputs (``min_freq``, ``max_size``).
    ``workers`` processes (default: the number of cores) tokenise and encode;
    ``runner="beam"`` runs the same steps as an Apache Beam pipeline
    (``beam_options`` are its command-line pipeline options). Returns the manifest.
    """
    config = text_config or TextConfig()
    if runner not in RUNNERS:
        raise CorpusError(f"runner must be one of {RUNNERS}. Received: runner={runner!r}")
    if isinstance(shard_size, bool) or not isinstance(shard_size, int) or shard_size < 1:
        raise CorpusError(f"shard_size must be an int >= 1. Received: shard_size={shard_size!r}")
    workers = default_workers() if workers is None else workers
    files = expand_inputs(inputs)
    out = Path(out_dir)
    _check_output(out)
    if vocabulary is not None and not isinstance(vocabulary, Vocabulary):
        vocabulary = Vocabulary.load(vocabulary)
    options = {
        "shard_size": shard_size,
        "include_text": include_text,
        "text_column": text_column,
        "label_column": label_column,
        "min_freq": min_freq,
        "max_size": max_size,
    }
    job = _job(files, describe_inputs(files), config, vocabulary, options)
    if runner == "beam":
        from pipeline.corpus.beam import run_beam

        return run_beam(files, out, job, config, vocabulary, beam_options=list(beam_options))
    plan = load_plan(out, job)
    if plan is None:
        scan = scan_corpus(
            files,
            config,
            count=vocabulary is None,
            workers=workers,
            text_column=text_column,
            label_column=label_column,
            progress=progress,
        )
        if vocabulary is None and scan.num_records:
            vocabulary = Vocabulary.build(
                scan.counts, min_freq=min_freq, max_size=max_size, specials=specials_for(config)
            )
        plan = make_plan(out, job, scan.num_records, scan.labels, vocabulary, shard_size)
    reading = Problems()
    records = read_records(files, reading, text_column=text_column, label_column=label_column)
    stats = []
    with _progress(progress, "writing shards", total=plan["num_records"]) as bar:
        tasks = _shard_tasks(records, out, plan, config, include_text)
        for result in bounded_map(_shard_task, tasks, workers=workers):
            stats.append(result)
            bar.update(result["records"] if result else 0)
    return finish(out, plan, reading, stats)
