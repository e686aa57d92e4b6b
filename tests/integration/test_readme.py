"""Every ```python block of README.md runs as written (the ```pycon blocks run as doctests)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_RUN = "<!-- not run by the tests:"


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of each ```python block not marked NOT_RUN on the line before."""
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"```python\n(.*?)```", text, re.S):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").splitlines()[-1]
        if not before.startswith(NOT_RUN):
            blocks.append((line, match.group(1)))
    return blocks


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 5


@pytest.mark.slow
def test_readme_python_blocks_run_as_written(tmp_path):
    # One interpreter for all blocks (TensorFlow starts once), a fresh namespace and folder per block.
    runner = textwrap.dedent(
        """
        import os, sys, tempfile, traceback
        blocks = eval(sys.stdin.read())
        failed = []
        for line, code in blocks:
            os.chdir(tempfile.mkdtemp())
            try:
                exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "__readme__"})
            except Exception:
                failed.append(line)
                traceback.print_exc()
        print("FAILED BLOCKS", failed)
        sys.exit(1 if failed else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", runner], input=repr(python_blocks()), capture_output=True, text=True,
        cwd=tmp_path, env={**__import__("os").environ, "PYTHONPATH": str(README.parent)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
