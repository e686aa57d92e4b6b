"""`lexivision tokenize` (training/commands/tokenize.py), run through training.cli.main."""

from training.cli import main


def test_cli_tokenize_prints_tokens_and_ids(tmp_path, capsys):
    from vocab import Vocabulary

    config = tmp_path / "text.toml"
    config.write_text('[text]\nlowercase = false\nphrases = ["San Francisco"]\nmax_length = 10\n')
    vocab = Vocabulary.build([["He", "'s", "in", "San Francisco"]])
    vocab.save(tmp_path / "vocab.txt")
    rc = main(["tokenize", "--config", str(config), "--vocab", str(tmp_path / "vocab.txt"), "He's in San Francisco."])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert lines[0] == "He | 's | in | San Francisco | ."
    assert lines[1] == " ".join(map(str, vocab.encode(["He", "'s", "in", "San Francisco", "."]) + [0] * 5))


def test_cli_tokenize_bad_config_is_one_line_error(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text("[text]\ntokenizer = 'nltk'\n")
    assert main(["tokenize", "--config", str(config), "x"]) == 2
    err = capsys.readouterr().err
    assert "bad.toml: text.tokenizer must be one of" in err and err.count("\n") == 1
    assert main(["tokenize", "--config", str(tmp_path / "missing.toml"), "x"]) == 2
    assert "missing.toml: no such file" in capsys.readouterr().err
