"""`lexivision tokenize`: Print the tokens (and ids with --vocab) of texts."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Print the tokens (and ids with --vocab) of texts.", description="Print the tokens (and ids with --vocab) of texts.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
