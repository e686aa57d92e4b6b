"""`lexivision export`: Export a trained run as a TF Serving SavedModel."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Export a trained run as a TF Serving SavedModel.", description="Export a trained run as a TF Serving SavedModel.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
