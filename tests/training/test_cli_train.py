from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_cli_train_bad_config_is_one_line_exit_2(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[training]\nepochs = 'many'\n")
    result = subprocess.run([sys.executable, "-m", "training.cli", "train", str(config), "-o", str(tmp_path / "run"),
                             "--set", "training.batch_size=8"],
                            capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "lexivision train: error: training.epochs must be int, got str 'many'"
    assert not (tmp_path / "run").exists()  # nothing written before the config is valid


def test_cli_train_text_settings_the_model_cannot_run_are_one_line_errors(tmp_path, capsys):
    from training.cli import main

    example = str(ROOT / "examples" / "fortunes_average_embedding.toml")
    # the classifier takes raw text, so its text config must run in the graph
    assert main(["train", example, "-o", str(tmp_path / "a"), "--set", 'text.tokenizer="spacy"']) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("lexivision train: error: text: a model that takes raw text cannot use this config: "
                          "text.tokenizer='spacy'"), err
    # a spaCy pipeline that is not there is found when the config is read
    assert main(["train", example, "-o", str(tmp_path / "b"), "--set", "text.lemmatize=true",
                 "--set", f'text.lemmatizer="{tmp_path / "no_such_pipeline"}"']) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("lexivision train: error: text.lemmatizer: spaCy pipeline ") and "no_such_pipeline" in err, err
    assert not (tmp_path / "b").exists()


def test_cli_train_resume_and_fresh_are_exclusive(capsys):
    import pytest

    from training.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "c.toml", "-o", "r", "--resume", "--fresh"])
    assert "not allowed with argument" in capsys.readouterr().err
    args = build_parser().parse_args(["train", "c.toml", "-o", "r", "--fresh"])
    assert args.resume is False
