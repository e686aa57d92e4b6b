"""`lexivision vocab build`: build a frequency-filtered vocabulary from corpora."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from training.commands._corpus_args import add_input_options, check_inputs, count_or_fraction, positive_int, text_config
from training.errors import UserError


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Build vocabularies.", description="Build vocabularies.")
    sub = parser.add_subparsers(dest="vocab_command", metavar="SUBCOMMAND", required=True)
    build = sub.add_parser(
        "build",
        help="Build a vocabulary from corpora.",
        description="Count tokens over corpora with a process pool and write VOCAB.txt (one token per line, "
        "as keras.layers.StringLookup reads it) and VOCAB.txt.json (counts and settings).",
    )
    add_input_options(build)
    build.add_argument("-o", "--output", required=True, metavar="VOCAB.txt", help="vocabulary file to write")
    build.add_argument("--min-freq", type=positive_int, default=1, help="minimum token count (default 1)")
    build.add_argument("--max-size", type=positive_int, default=None, help="keep the N most frequent tokens")
    build.add_argument("--min-df", type=count_or_fraction, default=None, help="minimum document count (int) or fraction (float)")
    build.add_argument("--max-df", type=count_or_fraction, default=None, help="maximum document count (int) or fraction (float)")
    build.add_argument("--stop-words", metavar="english|FILE", default=None, help="drop spaCy's English stop words or those of FILE")
    build.add_argument("--lemmatize", action="store_true", default=None, help="count lemmas (spaCy lookup tables)")
    build.set_defaults(run=run)
    return parser


def _check_output(path: str) -> None:
    out = Path(path)
    if out.is_dir():
        raise UserError(f"-o {path}: is a folder; give the vocabulary file to write, e.g. {out / 'vocab.txt'}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"-o {path}: cannot create the folder {out.parent} ({err.strerror or err}); choose another path") from None
    if not os.access(out.parent, os.W_OK):
        raise UserError(f"-o {path}: the folder {out.parent} is not writable; choose another path")


def run(args) -> int:
    from pipeline.corpus.inputs import CorpusError
    from pipeline.corpus.problems import Problems
    from pipeline.corpus.vocabulary import build_vocabulary
    from vocab import VocabularyError

    check_inputs(args.inputs)
    _check_output(args.output)
    if args.stop_words not in (None, "english") and not os.path.isfile(args.stop_words):
        raise UserError(f"--stop-words {args.stop_words}: no such file; use 'english' or a file with one word per line")
    problems = Problems()
    try:
        vocabulary = build_vocabulary(
            args.inputs,
            text_config(args.config),
            workers=args.workers,
            min_freq=args.min_freq,
            max_size=args.max_size,
            min_df=args.min_df,
            max_df=args.max_df,
            stop_words=args.stop_words,
            lemmatize=args.lemmatize,
            text_column=args.text_column,
            label_column=args.label_column,
            problems=problems,
            progress=sys.stderr.isatty(),
        )
        vocabulary.save(args.output)
    except (CorpusError, VocabularyError) as err:
        raise UserError(str(err)) from None
    except OSError as err:
        raise UserError(f"-o {args.output}: cannot write the vocabulary ({err.strerror or err}); choose another path") from None
    print(
        f"wrote {len(vocabulary.tokens())} tokens from {vocabulary.num_docs} documents to {args.output} "
        f"({problems.summary()})"
    )
    return 0
