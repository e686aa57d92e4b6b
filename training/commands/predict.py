"""`lexivision predict`: Run an exported model on raw texts or image files."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Run an exported model on raw texts or image files.", description="Run an exported model on raw texts or image files.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
