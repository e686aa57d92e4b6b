"""`lexivision train`: Train a model from an experiment config."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Train a model from an experiment config.", description="Train a model from an experiment config.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
