"""`lexivision vocab build`: build a frequency-filtered vocabulary from corpora."""

from training.commands import not_implemented


def add_parser(subparsers, name):
    parser = subparsers.add_parser(name, help="Build vocabularies.", description="Build vocabularies.")
    sub = parser.add_subparsers(dest="vocab_command", metavar="SUBCOMMAND", required=True)
    build = sub.add_parser("build", help="Build a vocabulary from corpora.")
    build.add_argument("args", nargs="*")
    build.set_defaults(run=not_implemented("vocab build"))
    return parser
