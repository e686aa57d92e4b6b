"""`lexivision preprocess`: corpora -> TFRecord shards, vocabularies and manifest.json."""

from __future__ import annotations

import sys

from training.commands._corpus_args import add_input_options, check_inputs, positive_int, text_config
from training.errors import UserError


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name,
        help="Preprocess corpora into TFRecord shards.",
        description="Tokenise and encode corpora into TFRecord shards of tf.train.Example with a vocabulary, "
        "labels and manifest.json. Rerun the same command to resume an interrupted job.",
    )
    add_input_options(parser)
    parser.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    parser.add_argument("--vocab", metavar="VOCAB.txt", help="use this vocabulary (default: build one from the inputs)")
    parser.add_argument("--runner", choices=("local", "beam"), default="local", help="process pool or Apache Beam")
    parser.add_argument("--shard-size", type=positive_int, default=10000, help="records per shard (default 10000)")
    parser.add_argument("--include-text", action="store_true", help="also store the raw text in every Example")
    parser.add_argument("--min-freq", type=positive_int, default=1, help="for the built vocabulary (default 1)")
    parser.add_argument("--max-size", type=positive_int, default=None, help="for the built vocabulary")
    parser.add_argument("--beam-option", action="append", default=[], metavar="--FLAG=VALUE",
                        help="Beam pipeline option, repeatable (e.g. --beam-option=--runner=FlinkRunner)")
    parser.set_defaults(run=run)
    return parser


def run(args) -> int:
    from pipeline.corpus.inputs import CorpusError
    from pipeline.corpus.preprocess import preprocess_corpus
    from vocab import VocabularyError

    check_inputs(args.inputs)
    config = text_config(args.config)
    try:
        manifest = preprocess_corpus(
            args.inputs,
            args.output,
            text_config=config,
            vocabulary=args.vocab,
            workers=args.workers,
            runner=args.runner,
            shard_size=args.shard_size,
            include_text=args.include_text,
            min_freq=args.min_freq,
            max_size=args.max_size,
            text_column=args.text_column,
            label_column=args.label_column,
            progress=sys.stderr.isatty(),
            beam_options=args.beam_option,
        )
    except (CorpusError, VocabularyError) as err:
        raise UserError(str(err)) from None
    except ImportError as err:
        raise UserError(f"--runner beam needs Apache Beam: pip install 'lexivision[beam]' ({err})") from None
    counts = manifest["counts"]
    problems = ", ".join(f"{n} {k}" for k, n in counts.items() if k not in ("read", "written") and n) or "no problems"
    print(
        f"wrote {counts['written']} of {counts['read']} documents to {len(manifest['shards'])} shards in {args.output} "
        f"({problems}; details in {args.output}/manifest.json)"
    )
    return 0
