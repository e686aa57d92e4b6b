"""`lexivision augment-preview`: Write a PNG grid of images and their augmented variants."""

from __future__ import annotations

from training.errors import UserError

POLICIES = ("none", "light", "standard", "strong")


def add_parser(subparsers, name):
    description = ("Write a PNG grid of images and their augmented variants: one row per image, "
                   "the original first, so you can see what a policy does.")
    parser = subparsers.add_parser(name, help="Write a PNG grid of images and their augmented variants.",
                                   description=description)
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="JPEG, PNG, GIF or BMP files")
    parser.add_argument("-o", "--output", required=True, metavar="GRID.png", help="the PNG file to write")
    parser.add_argument("--policy", default="standard", choices=POLICIES, help="augmentation policy (default: standard)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--variants", type=int, default=4, help="augmented variants per image (default: 4)")
    parser.add_argument("--size", type=int, default=128, help="cell size in pixels (default: 128)")
    parser.set_defaults(run=run)
    return parser


def run(args) -> int:
    from pathlib import Path

    for path in args.images:
        if not Path(path).is_file():
            raise UserError(f"{path}: no such image file; pass existing JPEG, PNG, GIF or BMP files")
    if args.variants < 1 or args.size < 8:
        raise UserError(f"--variants must be >= 1 and --size >= 8 (got {args.variants} and {args.size})")
    from tqdm import tqdm

    from pipeline.images.preview import write_preview

    with tqdm(total=1, desc="augment-preview", unit="grid", disable=None) as bar:
        try:
            out = write_preview(args.images, args.output, policy=args.policy, seed=args.seed,
                                variants=args.variants, size=args.size)
        except ValueError as err:
            raise UserError(str(err)) from None
        bar.update(1)
    print(f"wrote {out} ({len(args.images)} image(s) x {args.variants} variant(s), policy {args.policy})")
    return 0
