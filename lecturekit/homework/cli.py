"""``lecturekit homework release SOURCE OUT`` and ``lecturekit homework grade ...``."""

from __future__ import annotations

import json
import re
from pathlib import Path

INSTRUCTOR_DIR = Path(__file__).resolve().parents[2] / "notebooks" / "homework"


def register(commands) -> None:
    homework = commands.add_parser("homework", help="release homework notebooks and grade submissions")
    steps = homework.add_subparsers(dest="step", required=True)
    release = steps.add_parser("release", help="write the student version of an instructor notebook")
    release.add_argument("source", help="an instructor notebook, or a folder of them")
    release.add_argument("out", help="the folder for the student notebooks")
    release.set_defaults(run=run_release)
    grade = steps.add_parser("grade", help="grade submissions: each in a fresh kernel, hidden tests after")
    grade.add_argument("submissions", nargs="+", help="student notebooks, or folders of them")
    grade.add_argument("--source", default=str(INSTRUCTOR_DIR),
                       help="the instructor notebooks (default: notebooks/homework of this repository)")
    grade.add_argument("--out", default="graded", help="folder for feedback and gradebook.csv (default: graded)")
    grade.add_argument("--json", action="store_true", help="print each grade as JSON, one line per submission")
    grade.add_argument("--workers", type=int, default=1, help="submissions graded at once (default 1)")
    grade.add_argument("--cell-timeout", type=float, default=300, help="seconds per cell and per hidden test")
    grade.add_argument("--notebook-timeout", type=float, default=900, help="seconds for all the student's cells")
    grade.add_argument("--memory-mb", type=int, default=6144, help="address-space limit per submission")
    grade.set_defaults(run=run_grade)


def run_release(args) -> int:
    from .release import release

    source = Path(args.source)
    notebooks = sorted(source.glob("*.ipynb")) if source.is_dir() else [source]
    for notebook in notebooks:
        print(f"released {notebook} -> {release(notebook, args.out)}")
    return 0


def _file_name(student: str) -> str:
    return re.sub(r"[^\w.-]+", "_", student)


def run_grade(args) -> int:
    from .feedback import feedback_markdown
    from .gradebook import write_gradebook
    from .runner import Limits, grade_many

    out = Path(args.out)
    for path in map(Path, args.submissions):
        inside = path.resolve()
        if path.is_dir() and (out.resolve() == inside or inside in out.resolve().parents):
            raise SystemExit("--out must not be inside the submissions: grading never writes into them")
    limits = Limits(args.cell_timeout, args.notebook_timeout, args.memory_mb)
    graded = grade_many(args.submissions, args.source, limits, workers=args.workers)
    out.mkdir(parents=True, exist_ok=True)
    for item in graded:
        text = feedback_markdown(item.student, item.assignment, item.result, item.notes)
        (out / f"{_file_name(item.student)}.feedback.md").write_text(text, encoding="utf-8")
        if args.json:
            print(json.dumps(item.result, ensure_ascii=False))
        else:
            print(f"{item.student}: {item.result['total']}/{item.result['max']} ({item.seconds:.0f} s)")
    gradebook = write_gradebook(graded, out / "gradebook.csv")
    if not args.json:
        print(f"feedback and gradebook: {gradebook.parent}")
    return 0
