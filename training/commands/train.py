"""`lexivision train CONFIG.toml -o RUNDIR [--set section.key=value]... [--resume | --fresh]`"""

from __future__ import annotations


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name, help="Train a model from an experiment config.",
        description="Train a model from a TOML experiment config into a run directory. A run directory "
                    "that already has checkpoints resumes from the newest one.",
    )
    parser.add_argument("config", help="experiment config (TOML), e.g. examples/fortunes_average_embedding.toml")
    parser.add_argument("-o", "--output", required=True, help="run directory to create or fill")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override a config value, e.g. --set training.epochs=3 (repeatable)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--resume", dest="resume", action="store_const", const=True, default=None,
                       help="continue from the newest checkpoint in RUNDIR (an error if there is none)")
    group.add_argument("--fresh", dest="resume", action="store_const", const=False,
                       help="ignore and delete RUNDIR's checkpoints and history, and start over")
    parser.set_defaults(run=run)
    return parser


def run(args) -> int:
    from training.config import load_config
    from training.train import train

    config = load_config(args.config, args.overrides)
    train(config, args.output, resume=args.resume)
    return 0
