"""`lexivision tokenize`: print the tokens (and ids with --vocab) of texts.

One line per text: the tokens separated by " | " (a phrase token keeps its
space); with ``--vocab`` a second line holds the ids that ``TextPreprocessor``
computes (start/end tokens, truncation and padding included).
"""

from __future__ import annotations

import sys

from training.commands._corpus_args import text_config
from training.errors import UserError


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name,
        help="Print the tokens (and ids with --vocab) of texts.",
        description="Print the tokens (and ids with --vocab) of texts. Reads stdin (one text per line) when TEXT is '-'.",
    )
    parser.add_argument("texts", nargs="+", metavar="TEXT", help="texts to tokenise, or '-' for stdin")
    parser.add_argument("--config", help="a TOML file with a [text] table (TextConfig settings)")
    parser.add_argument("--vocab", help="a vocabulary file (vocab build output): also print ids")
    parser.set_defaults(run=run)
    return parser


def run(args) -> int:
    from pipeline.text.config import ConfigError
    from pipeline.text.tokenize import encode, tokenize

    config = text_config(args.config)
    texts = [line.rstrip("\n") for line in sys.stdin] if args.texts == ["-"] else args.texts
    vocabulary = None
    if args.vocab:
        from vocab import Vocabulary, VocabularyError

        try:
            vocabulary = Vocabulary.load(args.vocab)
        except (FileNotFoundError, VocabularyError) as err:
            raise UserError(f"--vocab: {err}") from None
    try:
        token_lists = tokenize(texts, config)
    except ConfigError as err:
        raise UserError(f"--config {args.config}: {err}") from None
    ids = encode(texts, config, vocabulary) if vocabulary is not None else None
    for i, tokens in enumerate(token_lists):
        print(" | ".join(tokens))
        if ids is not None:
            print(" ".join(map(str, ids[i])))
    return 0
