"""``preprocess_corpus(..., runner="beam")``: the same steps as an Apache Beam pipeline.

Two pipelines, like an analyse/transform split:

1. scan: ``ReadRecords`` (DoFn) -> ``Tokenize`` (DoFn) -> ``CountTokens`` (CombineFn,
   merging :class:`vocab.TokenCounts`), plus records per file and the label set;
2. write: ``ReadRecords`` -> shard key from the record's index -> ``GroupByKey`` ->
   ``WriteShard`` (DoFn, the local runner's encoder and atomic shard writer).

The driver builds the vocabulary and the plan between them and writes the
manifest at the end, with the local runner's code, so both runners give the
same bytes. ``out_dir`` must be a folder every worker can write (a shared or
FUSE-mounted file system); complete shards are skipped when a job is rerun.
Needs the ``[beam]`` extra (``pip install 'lexivision[beam]'``).
"""

from __future__ import annotations

import json
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.corpus.inputs import CorpusError, InputFile
from pipeline.corpus.preprocess import (
    PROGRESS,
    VOCAB,
    _write_json,
    completed_shard,
    encode_shard,
    finish,
    load_plan,
    make_plan,
    write_shard,
)
from pipeline.corpus.problems import Problems
from pipeline.corpus.readers import read_file
from pipeline.corpus.vocabulary import specials_for
from pipeline.text.config import TextConfig
from pipeline.text.tokenize import tokenize
from vocab import TokenCounts, Vocabulary

__all__ = ["CountTokens", "ReadRecords", "Tokenize", "WriteShard", "run_beam"]


class ReadRecords(beam.DoFn):
    """``(file index, InputFile)`` -> ``(file index, index in file, Record)``.

    With ``problems_dir`` the file's counted problems are written there as JSON.
    """

    def __init__(self, text_column, label_column, problems_dir: str | None = None) -> None:
        self.text_column, self.label_column, self.problems_dir = text_column, label_column, problems_dir

    def process(self, element: tuple[int, InputFile]):
        file_index, file = element
        problems = Problems()
        records = read_file(file, problems, text_column=self.text_column, label_column=self.label_column)
        for index, record in enumerate(records):
            yield file_index, index, record
        if self.problems_dir:
            _write_json(Path(self.problems_dir) / f"problems-{file_index:05d}.json", problems.to_dict())


class Tokenize(beam.DoFn):
    """Record -> its token list (``pipeline.tokenize`` with the job's ``TextConfig``)."""

    def __init__(self, config: TextConfig) -> None:
        self.config = config

    def process(self, element):
        yield tokenize(element[2].text, self.config)


class CountTokens(beam.CombineFn):
    """Token lists -> :class:`vocab.TokenCounts` (term and document frequencies), mergeable."""

    def create_accumulator(self) -> TokenCounts:
        return TokenCounts()

    def add_input(self, counts: TokenCounts, tokens) -> TokenCounts:
        return counts.update([tokens])

    def merge_accumulators(self, accumulators) -> TokenCounts:
        merged = TokenCounts()
        for counts in accumulators:
            merged.merge(counts)
        return merged

    def extract_output(self, counts: TokenCounts) -> TokenCounts:
        return counts


class WriteShard(beam.DoFn):
    """``(shard index, [(record index, Record)])`` -> the shard file and its statistics."""

    def __init__(self, out: str, num_shards: int, config: TextConfig, labels: list[str], include_text: bool) -> None:
        self.out, self.num_shards, self.config = out, num_shards, config
        self.labels, self.include_text = {label: i for i, label in enumerate(labels)}, include_text

    def setup(self) -> None:
        self.vocabulary = Vocabulary.load(Path(self.out) / VOCAB)

    def process(self, element):
        index, indexed = element
        records = [record for _, record in sorted(indexed, key=lambda pair: pair[0])]
        examples, too_long = encode_shard(records, self.config, self.vocabulary, self.labels, self.include_text)
        yield write_shard(Path(self.out), index, self.num_shards, examples, too_long)


def _save_scan(_, per_file, labels, counts, *, path: str, count: bool) -> None:
    data = {"per_file": sorted(per_file), "labels": sorted(labels)}
    _write_json(Path(path), data)
    if count:
        counts.save(Path(path).with_suffix(".counts.json"))


def _scan(files, out: Path, job: dict, config: TextConfig, count: bool, options: PipelineOptions) -> tuple[list, set, TokenCounts | None]:
    path = out / PROGRESS / "beam-scan.json"
    with beam.Pipeline(options=options) as p:
        records = (
            p
            | "Files" >> beam.Create(list(enumerate(files)))
            | "Read" >> beam.ParDo(ReadRecords(job["text_column"], job["label_column"]))
        )
        per_file = records | "PerFile" >> beam.Map(lambda r: (r[0], 1)) | "CountPerFile" >> beam.CombinePerKey(sum)
        labels = (
            records
            | "Labels" >> beam.Map(lambda r: r[2].label)
            | "Labelled" >> beam.Filter(lambda label: label is not None)
            | "DistinctLabels" >> beam.Distinct()
        )
        if count:
            counts = records | "Tokenize" >> beam.ParDo(Tokenize(config)) | "CountTokens" >> beam.CombineGlobally(CountTokens())
        else:
            counts = p | "NoCounts" >> beam.Create([None])
        (
            p
            | "One" >> beam.Create([None])
            | "SaveScan"
            >> beam.Map(
                _save_scan,
                beam.pvalue.AsList(per_file),
                beam.pvalue.AsList(labels),
                beam.pvalue.AsSingleton(counts),
                path=str(path),
                count=count,
            )
        )
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = TokenCounts.load(path.with_suffix(".counts.json")) if count else None
    return data["per_file"], set(data["labels"]), counts


def run_beam(files: list[InputFile], out: Path, job: dict, config: TextConfig, vocabulary, *, beam_options: list[str]) -> dict:
    """Run both pipelines (``beam_options``: e.g. ``["--runner=DirectRunner"]``) and write the manifest."""
    options = PipelineOptions(beam_options or ["--runner=DirectRunner"])
    plan = load_plan(out, job)
    if plan is None:
        per_file, labels, counts = _scan(files, out, job, config, vocabulary is None, options)
        num_records = sum(n for _, n in per_file)
        if vocabulary is None and num_records:
            vocabulary = Vocabulary.build(
                counts, min_freq=job["min_freq"], max_size=job["max_size"], specials=specials_for(config)
            )
        plan = make_plan(out, job, num_records, labels, vocabulary, job["shard_size"])
        plan["per_file"] = per_file
        _write_json(out / PROGRESS / "plan.json", plan)
    if "per_file" not in plan:
        raise CorpusError(f"{out}: was started with --runner local; finish it with the same runner")
    offsets, total = {}, 0
    for file_index, n in sorted(plan["per_file"]):
        offsets[file_index] = total
        total += n
    shard_size, num_shards = job["shard_size"], plan["num_shards"]
    todo = {k for k in range(num_shards) if completed_shard(out, k, num_shards) is None}
    problems_dir = out / PROGRESS
    with beam.Pipeline(options=options) as p:
        (
            p
            | "Files" >> beam.Create(list(enumerate(files)))
            | "Read" >> beam.ParDo(ReadRecords(job["text_column"], job["label_column"], str(problems_dir)))
            | "Index" >> beam.Map(lambda r: (offsets[r[0]] + r[1], r[2]))
            | "ShardKey" >> beam.Map(lambda ir: (ir[0] // shard_size, ir))
            | "Todo" >> beam.Filter(lambda kv: kv[0] in todo)
            | "GroupShards" >> beam.GroupByKey()
            | "WriteShard" >> beam.ParDo(WriteShard(str(out), num_shards, config, plan["labels"], job["include_text"]))
        )
    reading = Problems()
    for file_index in range(len(files)):
        path = problems_dir / f"problems-{file_index:05d}.json"
        reading.merge(Problems.from_dict(json.loads(path.read_text(encoding="utf-8"))))
    stats = [completed_shard(out, k, num_shards) for k in range(num_shards)]
    return finish(out, plan, reading, stats)
