import os
import stat

import pytest

from vocab._atomic import write_text_atomic


def test_atomic_write_gives_ordinary_permissions_and_leaves_no_temp_file(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "sub" / "vocab.txt", "a\nb\n")
    finally:
        os.umask(old)
    path = tmp_path / "sub" / "vocab.txt"
    assert path.read_text() == "a\nb\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by TF Serving running as another user
    assert [p.name for p in path.parent.iterdir()] == ["vocab.txt"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("old\n")
    with pytest.raises(TypeError):
        write_text_atomic(path, None)  # type: ignore[arg-type]
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["vocab.txt"]
