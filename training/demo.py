"""``make demo``: the main job end to end on the fortunes corpus.

Split fortunes deterministically (category = label), tokenise, build a
vocabulary, train an averaged-embedding classifier, evaluate on test, export
to ``exports/fortunes/VERSION/``, then call the export from a fresh Python
process that imports only tensorflow and tensorflow_text.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from training.config import load_config
from training.export import export_saved_model
from training.train import train

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "The kernel panicked after I upgraded the hard disk driver.",
    "I love you more than words can say, my darling.",
    "The senator promised to cut taxes and raise spending before the election.",
]


def main() -> int:
    start = time.time()
    config = load_config(ROOT / "examples" / "fortunes_average_embedding.toml")
    metrics = train(config, ROOT / "runs" / "fortunes", resume=False)
    target = export_saved_model(ROOT / "runs" / "fortunes", ROOT / "exports" / "fortunes")
    print(f"[lexivision] exported {target}")
    print("[lexivision] predictions from the export, loaded in a fresh `python -I` process:")
    serve_check = Path(__file__).with_name("serve_check.py")
    subprocess.run([sys.executable, "-I", str(serve_check), str(target), *SENTENCES], check=True, cwd="/")
    print(
        f"[lexivision] demo done in {time.time() - start:.0f} s: test accuracy "
        f"{metrics['test_accuracy']:.3f} vs majority class {metrics['majority_class_accuracy']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
