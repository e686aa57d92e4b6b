"""`lexivision export RUNDIR EXPORT_BASE/NAME [--version N]` and `lexivision export --verify EXPORT_DIR`"""

from __future__ import annotations

from pathlib import Path

from training.errors import UserError


def add_parser(subparsers, name):
    parser = subparsers.add_parser(
        name, help="Export a trained run as a TF Serving SavedModel, or verify an export.",
        description=(
            "Export a run directory to EXPORT_BASE/NAME/VERSION in TF Serving's layout, with warmup requests, "
            "and prove it servable in a fresh process; or, with --verify, re-run those checks on an export."
        ),
    )
    parser.add_argument("run_dir", nargs="?", help="a run directory written by `lexivision train`")
    parser.add_argument("model_base", nargs="?", help="EXPORT_BASE/NAME; the version folder goes inside")
    parser.add_argument("--version", type=int, default=None, help="version number (default: next free)")
    parser.add_argument(
        "--sample", action="append", default=[], metavar="INPUT",
        help="an extra warmup input: a text, or an image file for image models (repeatable)",
    )
    parser.add_argument(
        "--serving-root", default=None, metavar="DIR",
        help="where TF Serving sees EXPORT_BASE, for models.config (e.g. /models; default: its absolute path)",
    )
    parser.add_argument("--verify", metavar="EXPORT_DIR", default=None,
                        help="only verify an existing export (a version folder, or NAME for its latest version)")
    parser.set_defaults(run=run)
    return parser


def _summary(report: dict) -> str:
    ops = report["ops"]
    text_ops = f" ({', '.join(ops['tf_text'])})" if ops["tf_text"] else ""
    corrupt = "; a corrupt image fails its request only" if report.get("corrupt_image") else ""
    return (
        f"verified in a fresh process: signatures {', '.join(report['signatures'])}; "
        f"{len(ops['core'])} core TensorFlow ops, {len(ops['tf_text'])} tf-text ops{text_ops}; "
        f"{report['warmup_records']} warmup requests replayed, max abs diff from the in-memory model "
        f"{report['max_abs_diff']:.2g}{corrupt}"
    )


def _samples(run_dir: Path, inputs: list[str]) -> list:
    if not (run_dir / "image_config.json").is_file():
        return list(inputs)
    samples = []
    for name in inputs:
        path = Path(name)
        if not path.is_file():
            raise UserError(f"--sample {name}: no such image file; image models take image files as samples")
        samples.append(path.read_bytes())
    return samples


def run(args) -> int:
    import json
    import sys

    from tqdm import tqdm

    from training.export import export_saved_model, verify_export
    from training.export.verify import REPORT_FILE

    if args.verify:
        if args.run_dir or args.model_base:
            raise UserError("--verify takes only EXPORT_DIR; drop RUNDIR and EXPORT_BASE/NAME")
        with tqdm(total=1, desc="verifying in a fresh process", leave=False, disable=not sys.stderr.isatty()) as bar:
            report = verify_export(args.verify)
            bar.update()
        print(report["export_dir"])
        print(_summary(report))
        return 0
    if not args.run_dir or not args.model_base:
        raise UserError("give RUNDIR and EXPORT_BASE/NAME, or --verify EXPORT_DIR")
    samples = _samples(Path(args.run_dir), args.sample)
    with tqdm(total=1, desc="exporting and verifying", leave=False, disable=not sys.stderr.isatty()) as bar:
        target = export_saved_model(
            args.run_dir, args.model_base, version=args.version, samples=samples, serving_root=args.serving_root
        )
        bar.update()
    print(target)
    print(_summary(json.loads((target / REPORT_FILE).read_text(encoding="utf-8"))))
    return 0
