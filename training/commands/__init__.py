"""One module per ``lexivision`` subcommand: ``add_parser(subparsers, name)`` and ``run(args)``."""


def not_implemented(name: str):
    """``run`` for a subcommand that is not built yet."""
    from training.errors import UserError

    def run(args):
        raise UserError(f"'{name}' is not implemented yet")

    return run
