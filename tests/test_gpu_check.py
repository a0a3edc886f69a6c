"""tools/gpu_check.py: the one script a GPU machine runs. Its dry run runs here, so it cannot rot."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gpu_check  # noqa: E402  (tools/gpu_check.py)


def test_cells_that_tie_a_lesson_to_the_cpu_are_found(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('Run it with device="cpu" if you like.'),  # text, not code
        nbformat.v4.new_code_cell('train(model, batches, config, device="cpu")'),
        nbformat.v4.new_code_cell("generate(run.model.cpu(), prompt)"),
        nbformat.v4.new_code_cell("train(model, batches, config, device=lecturekit.device())\nx = cpu_count()"),
    ])
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    assert gpu_check.cpu_pinned_cells(path) == ['cell 1: train(model, batches, config, device="cpu")',
                                                "cell 2: generate(run.model.cpu(), prompt)"]


# The lessons that train or run experiments live: each has the visible switch.
TRAINING_LESSONS = {"03_pretraining_objectives.ipynb", "05_fine_tuning.ipynb", "06_encoder_decoders.ipynb",
                    "07_decoders_and_prompting.ipynb", "08_scaling.ipynb"}


def test_the_lessons_pick_their_scale_from_the_device_not_a_fixed_cpu():
    switched = set()
    for path in gpu_check.NOTEBOOKS:
        source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
        for line in re.findall(r"^SCALE\s*=.*$", source, re.MULTILINE):
            assert "lecturekit.device()" in line and '"gpu"' in line, f"{path.name}: {line}"
            switched.add(path.name)
    assert TRAINING_LESSONS <= switched


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_the_full_check_without_a_gpu_says_so_and_points_to_the_dry_run(capsys):
    assert gpu_check.main(["--out", "unused"]) == 2
    assert "--dry-run" in capsys.readouterr().err


def test_an_unknown_notebook_is_named_with_the_ones_there_are(capsys, tmp_path):
    assert gpu_check.main(["--dry-run", "--notebooks", "99_nothing.ipynb", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "99_nothing.ipynb" in error and "00_welcome.ipynb" in error


@pytest.mark.slow
def test_the_dry_run_runs_every_stage_and_writes_one_report(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "gpu_check.py"), "--dry-run", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert [row["notebook"] for row in report["notebooks"]] == ["00_welcome.ipynb"]
    assert report["notebooks"][0]["error"] is None and report["notebooks"][0]["device"] == str(
        torch.device("cuda" if torch.cuda.is_available() else "cpu"))
    assert [b["benchmark"] for b in report["benchmarks"]] == ["bench_widgets.py", "bench_finetune.py", "bench_pretrain.py"]
    assert all(b["error"] is None and b["output"] for b in report["benchmarks"])
    pretrain = report["benchmarks"][2]["output"]
    speeds = {m: float(re.search(rf"^{m}\s+\d+\s+([\d.]+)", pretrain, re.MULTILINE).group(1))
              for m in ("lecture-bert", "lecture-gpt", "lecture-t5")}
    assert all(speed > 0 for speed in speeds.values()), speeds
    markdown = (tmp_path / "report.md").read_text()
    assert markdown.startswith("# GPU check (dry run)") and "| 00_welcome.ipynb |" in markdown
    assert "## bench_pretrain.py --steps 2" in markdown
