"""Real-text loaders: local files (with bad input), and Hugging Face datasets offline."""

import sys
import time
import types

import pytest

from lecturekit import network
from lecturekit.world import load_hf_dataset, load_text_corpus, loaders

UNROUTABLE = "192.0.2.1"  # TEST-NET-1: reserved, never answers


def test_a_file_becomes_one_document_per_paragraph(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("First paragraph,\r\nstill first.\r\n\r\nSecond: 日本語 and 🙂.\n\n\n  \n".encode())
    corpus = load_text_corpus(path)
    assert [d.text for d in corpus] == ["First paragraph, still first.", "Second: 日本語 and 🙂."]
    assert {d.category for d in corpus} == {"text"}
    card = corpus.data_card()
    assert card.words == 8 and card.words_per_category == {"text": 8}
    assert str(path) in card.source


def test_folders_and_globs_are_read_in_sorted_order(tmp_path):
    (tmp_path / "b.txt").write_text("bee", encoding="utf-8")
    (tmp_path / "a.txt").write_text("ant", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("cat", encoding="utf-8")
    (tmp_path / "skip.md").write_text("not text", encoding="utf-8")
    assert [d.text for d in load_text_corpus(tmp_path)] == ["ant", "bee", "cat"]
    assert [d.text for d in load_text_corpus(str(tmp_path / "*.txt"))] == ["ant", "bee"]


def test_bad_inputs_give_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no text files found"):
        load_text_corpus(tmp_path / "missing.txt")
    with pytest.raises(ValueError, match="give a file"):
        load_text_corpus("   ")
    binary = tmp_path / "model.txt"
    binary.write_bytes(b"\x00\x01\x02safetensors")
    with pytest.raises(ValueError, match="binary"):
        load_text_corpus(binary)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    with pytest.raises(ValueError, match="not valid utf-8 text"):
        load_text_corpus(latin)
    assert [d.text for d in load_text_corpus(latin, encoding="latin-1")] == ["café"]
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n \t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="contain no text"):
        load_text_corpus(empty)


def test_hub_reachability_check_returns_quickly_when_offline(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(network, "HUB_HOST", UNROUTABLE)
    start = time.perf_counter()
    assert network.hub_reachable(timeout=1.0)[0] is False
    assert time.perf_counter() - start < 3


def test_hf_dataset_without_the_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "datasets", None)  # import datasets -> ImportError
    start = time.perf_counter()
    with pytest.raises(ImportError, match=r"lecturekit\[hub\]"):
        load_hf_dataset("wikitext")
    assert time.perf_counter() - start < 1


def test_hf_dataset_offline_fails_fast_and_clearly(monkeypatch):
    fake = types.ModuleType("datasets")

    def load_dataset(*args, **kwargs):  # must never be reached when offline
        raise AssertionError("tried to download while offline")

    fake.load_dataset = load_dataset
    monkeypatch.setitem(sys.modules, "datasets", fake)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(network, "HUB_HOST", UNROUTABLE)
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match="offline.*load_text_corpus"):
        load_hf_dataset("wikitext", timeout_s=1.0)
    assert time.perf_counter() - start < 3


def test_hf_dataset_reads_the_text_field(monkeypatch):
    fake = types.ModuleType("datasets")
    rows = [{"text": "  One   story. "}, {"text": ""}, {"text": "Two"}, {"text": "Three"}]
    fake.load_dataset = lambda name, config, split, streaming: iter(rows)
    monkeypatch.setitem(sys.modules, "datasets", fake)
    monkeypatch.setattr(loaders, "hub_reachable", lambda timeout: (True, "reachable (test)"))
    assert [d.text for d in load_hf_dataset("stories", max_documents=2)] == ["One story.", "Two"]
    with pytest.raises(ValueError, match="no field 'body'"):
        load_hf_dataset("stories", text_field="body")
    with pytest.raises(ValueError, match="dataset name"):
        load_hf_dataset("")
