"""`lecturekit world ...` through its own register(), on a fresh argparse parser."""

import argparse
import json

import pytest

from lecturekit.world import CATEGORIES, build_corpus
from lecturekit.world.cli import register, word_count


def run(argv):
    parser = argparse.ArgumentParser(prog="lecturekit")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_build_writes_the_same_bytes_as_the_library(tmp_path, capsys):
    assert run(["world", "build", "--tokens", "20k", "--seed", "3", "--out", str(tmp_path / "cli")]) == 0
    build_corpus(20_000, seed=3).save(tmp_path / "lib")
    for name in ("corpus.txt", "data_card.json"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes()
    assert "20,0" in capsys.readouterr().out  # the data card is printed


def test_build_with_bias_and_bad_values(tmp_path, capsys):
    assert run(["world", "build", "--tokens", "5000", "--out", str(tmp_path), "--bias", "0.5"]) == 0
    assert json.loads((tmp_path / "data_card.json").read_text())["bias"] == 0.5
    assert run(["world", "build", "--tokens", "5000", "--out", str(tmp_path), "--bias", "3"]) == 2
    assert "between -1 and 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["world", "build", "--tokens", "lots", "--out", str(tmp_path)])
    with pytest.raises(SystemExit):
        run(["world", "build", "--tokens", "100"])  # --out is required


def test_sample_and_probes(tmp_path, capsys):
    assert run(["world", "sample"]) == 0
    shown = capsys.readouterr().out
    assert all(f"[{category}]" in shown for category in CATEGORIES)
    out = tmp_path / "probes.jsonl"
    assert run(["world", "probes", "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 7 * 240
    assert all(r["answer"] in r["acceptable"] and r["text"].count("___") == 1 for r in records)


@pytest.mark.parametrize(("text", "words"), [("100", 100), ("100k", 100_000), ("5M", 5_000_000),
                                             ("5_000_000", 5_000_000), ("1.5k", 1500)])
def test_word_count_parser(text, words):
    assert word_count(text) == words


@pytest.mark.parametrize("text", ["", "k", "-5", "0", "1.5", "five"])
def test_word_count_parser_rejects_nonsense(text):
    with pytest.raises(argparse.ArgumentTypeError):
        word_count(text)


def test_the_lecturekit_command_knows_world(tmp_path, capsys):
    from lecturekit.cli import main

    assert main(["world", "build", "--tokens", "2k", "--seed", "4", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "corpus.txt").read_text(encoding="utf-8") == build_corpus(2000, seed=4).text() + "\n"
