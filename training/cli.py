"""The ``lexivision`` command.

Each subcommand lives in ``training/commands/<name>.py`` with ``add_parser``
and ``run``; errors the user can fix end in one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from training.errors import UserError

# subcommand name -> module under training.commands
COMMANDS = {
    "tokenize": "tokenize",
    "vocab": "vocab",
    "preprocess": "preprocess",
    "train": "train",
    "export": "export",
    "predict": "predict",
    "augment-preview": "augment_preview",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lexivision",
        description="Raw text and images to tensors, Keras models and TF Serving exports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        importlib.import_module(f"training.commands.{module}").add_parser(sub, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UserError as err:
        print(f"lexivision {args.command}: error: {err}", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"lexivision {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"lexivision {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
