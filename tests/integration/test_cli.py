"""The `lexivision` command: help, subcommands, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pathlib import Path

from training.cli import COMMANDS, main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_cli_help_lists_every_subcommand():
    result = subprocess.run([sys.executable, "-m", "training.cli", "--help"], capture_output=True, text=True, check=True)
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_cli_every_subcommand_has_help(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert "usage: lexivision" in capsys.readouterr().out


def test_cli_train_missing_config_is_one_line_error(tmp_path, capsys):
    code = main(["train", str(tmp_path / "nope.toml"), "-o", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "nope.toml: no such config file" in err


def test_cli_train_bad_override_names_the_key(tmp_path, capsys):
    code = main(["train", str(EXAMPLES / "fortunes_average_embedding.toml"), "-o", str(tmp_path), "--set", "training.epochz=3"])
    assert code == 2
    assert "training.epochz" in capsys.readouterr().err


def test_cli_export_of_a_non_run_is_one_line_error(tmp_path, capsys):
    code = main(["export", str(tmp_path), str(tmp_path / "exports" / "m")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.endswith("no image_config.json, lm_config.json or text_config.json; is it a finished run of `lexivision train`?\n")
    assert err.startswith("lexivision export: error: ") and err.count("\n") == 1
