"""`lexivision export RUNDIR EXPORT_BASE/NAME [--version N]`"""

from __future__ import annotations


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name, help="Export a trained run as a TF Serving SavedModel.",
        description="Export a run directory to EXPORT_BASE/NAME/VERSION in TF Serving's layout.",
    )
    parser.add_argument("run_dir", help="a run directory written by `lexivision train`")
    parser.add_argument("model_base", help="EXPORT_BASE/NAME; the version folder goes inside")
    parser.add_argument("--version", type=int, default=None, help="version number (default: next free)")
    parser.set_defaults(run=run)
    return parser


def run(args) -> int:
    from training.export import export_saved_model

    print(export_saved_model(args.run_dir, args.model_base, version=args.version))
    return 0
