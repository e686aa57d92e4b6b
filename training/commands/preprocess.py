"""`lexivision preprocess`: Preprocess corpora into TFRecord shards."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Preprocess corpora into TFRecord shards.", description="Preprocess corpora into TFRecord shards.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
