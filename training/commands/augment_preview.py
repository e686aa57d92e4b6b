"""`lexivision augment-preview`: Write a PNG grid of images and their augmented variants."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Write a PNG grid of images and their augmented variants.", description="Write a PNG grid of images and their augmented variants.")
    parser.add_argument("args", nargs="*")
    parser.set_defaults(run=not_implemented(name))
    return parser
