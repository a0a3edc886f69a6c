"""Real text beside the generated world: local files now, Hugging Face datasets when online.

Both return a `Corpus`, so anything that trains on the lecture world also trains
on real text. Documents are the paragraphs of the files (split at blank lines).
"""

from __future__ import annotations

import glob
from pathlib import Path

from ..network import HUB_HOST, hub_reachable
from .corpus import Corpus, Document

TEXT_CATEGORY = "text"  # the category label of documents read from real text


def load_text_corpus(path_or_glob, encoding: str = "utf-8") -> Corpus:
    """Read .txt files (a file, a folder searched recursively, or a glob) into a Corpus."""
    paths = _find_files(str(path_or_glob))
    documents = []
    for path in paths:
        data = path.read_bytes()
        if b"\x00" in data:
            raise ValueError(f"{path} looks like a binary file (it contains NUL bytes), not text")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{path} is not valid {encoding} text (bad byte at position {error.start}); "
                f"pass encoding=... if the file uses another encoding"
            ) from None
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        for paragraph in text.split("\n\n"):
            paragraph = " ".join(paragraph.split())
            if paragraph:
                documents.append(Document(TEXT_CATEGORY, paragraph))
    if not documents:
        raise ValueError(f"the files matching {str(path_or_glob)!r} contain no text")
    return Corpus(documents, source=f"text files: {path_or_glob}")


def _find_files(pattern: str) -> list[Path]:
    if not pattern.strip():
        raise ValueError("give a file, a folder or a glob pattern such as 'texts/*.txt'")
    path = Path(pattern).expanduser()
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.txt") if p.is_file())
    elif path.is_file():
        found = [path]
    else:
        found = sorted(Path(p) for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
    if not found:
        raise FileNotFoundError(f"no text files found at {pattern!r} (looked for a file, a folder of .txt files, or a glob)")
    return found


def load_hf_dataset(name: str, split: str = "train", text_field: str = "text",
                    max_documents: int = 10_000, timeout_s: float = 5.0, config: str | None = None) -> Corpus:
    """Stream up to max_documents texts of a Hugging Face dataset into a Corpus.

    Needs the optional package `datasets` and a network connection. Offline it
    fails within about timeout_s seconds with a message saying what to use instead.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("give a dataset name such as 'wikitext' or 'roneneldan/TinyStories'")
    try:
        import datasets
    except ImportError:
        raise ImportError(
            "loading Hugging Face datasets needs the optional package `datasets`: "
            "pip install 'lecturekit[hub]'. Without it (or offline) use "
            "lecturekit.world.load_text_corpus(path) or build_corpus(n_words)."
        ) from None
    reachable, _ = hub_reachable(timeout_s)
    if not reachable:
        raise ConnectionError(
            f"cannot reach {HUB_HOST} within {timeout_s:g} s, so dataset {name!r} cannot be "
            "downloaded (offline?). Use lecturekit.world.load_text_corpus(path) for local files "
            "or build_corpus(n_words) for the lecture world."
        )
    stream = datasets.load_dataset(name, config, split=split, streaming=True)
    documents = []
    for row in stream:
        if text_field not in row:
            raise ValueError(f"dataset {name!r} has no field {text_field!r}; its fields are {sorted(row)}")
        text = " ".join(str(row[text_field]).split())
        if text:
            documents.append(Document(TEXT_CATEGORY, text))
        if len(documents) >= max_documents:
            break
    if not documents:
        raise ValueError(f"dataset {name!r} ({split}) gave no text in field {text_field!r}")
    return Corpus(documents, source=f"Hugging Face dataset {name} ({split})")
