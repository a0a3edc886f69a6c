"""`lecturekit present NN`: one lesson on the projector, live.

Two views of the learner's working copy of lesson NN (the copy `lecturekit lab` serves):

- ``--view lab`` (the default): JupyterLab in single-document mode, with text and code sized
  for the back of a room (the settings in ``present_config/labconfig``). Code, text and widgets:
  for teaching from the code, running cells as the room watches.
- ``--view voila``: the same notebook through Voilà, text and widgets only, no code. Voilà runs
  the whole notebook in a fresh kernel for each visitor; ``preheat`` keeps one such kernel
  executed in advance, so the page (and its first widget) arrives without the wait.

Both listen on 127.0.0.1 only and stop (with their kernels) on Ctrl-C.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from . import workspace
from .lab import lab_command, lab_environment

PRESENT_CONFIG = Path(__file__).resolve().parent / "present_config"
SETTINGS_FOLDER = ".lecturekit-present-settings"
VIEWS = ("lab", "voila")


class PresentError(ValueError):
    """A lesson or port that cannot be presented; the message says what to do."""


def lessons(folder: Path) -> list[str]:
    """The numbered lessons of a working copy: '00_welcome.ipynb', ..."""
    return sorted(p.name for p in folder.glob("[0-9][0-9]_*.ipynb"))


def find_lesson(which: str, folder: Path) -> str:
    """The notebook file a number ('3', '03') or a name names, or PresentError listing them."""
    names = lessons(folder)
    if which.isdigit():
        chosen = [n for n in names if workspace.lesson_number(n) == f"{int(which):02d}"]
    else:
        chosen = [n for n in names if which in (n, Path(n).stem)]
    if len(chosen) != 1:
        listing = "\n".join(f"  {workspace.lesson_number(n)}  {Path(n).stem[3:].replace('_', ' ')}" for n in names)
        raise PresentError(f"no lesson {which!r}. The lessons are:\n{listing}\n"
                           f"for example: lecturekit present 04")
    return chosen[0]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(port: int, tries: int = 20) -> int:
    """``port`` if free, else the next free one above it (PresentError if none of ``tries``)."""
    if not 0 < port < 65536:
        raise PresentError(f"port must be between 1 and 65535, not {port}")
    for candidate in range(port, min(port + tries, 65536)):
        if port_is_free(candidate):
            return candidate
    raise PresentError(f"ports {port} to {port + tries - 1} are all in use; pass another with --port")


def projector_settings(folder: Path) -> Path:
    """JupyterLab's settings folder for projecting, inside the working copy (hidden).

    JupyterLab applies font-size overrides from user settings only, so ``present`` runs with
    settings of its own: the projector sizes never reach everyday ``lecturekit lab``, and what
    an instructor changes while projecting (a theme, a size) is kept for the next class.
    """
    settings = folder / SETTINGS_FOLDER
    for source in (PRESENT_CONFIG / "lab-settings").rglob("*.jupyterlab-settings"):
        target = settings / source.relative_to(PRESENT_CONFIG / "lab-settings")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return settings


def present_environment(folder: Path, environment: dict | None = None) -> dict:
    """The lab's environment, with the projector's settings folder and defaults first."""
    environment = lab_environment(environment)
    environment["JUPYTERLAB_SETTINGS_DIR"] = str(projector_settings(folder))
    environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(PRESENT_CONFIG), environment["JUPYTER_CONFIG_PATH"]])
    # Voilà finds its templates under <JUPYTER_PATH>/voila/templates: ours is "projector".
    paths = [str(PRESENT_CONFIG), *filter(None, environment.get("JUPYTER_PATH", "").split(os.pathsep))]
    environment["JUPYTER_PATH"] = os.pathsep.join(paths)
    return environment


# The federated lab extensions the Voila view loads: the widgets (Voila's own managers, one per
# ipywidgets major version, and the one they build on) and code highlighting.
VOILA_EXTENSIONS = ("@voila-dashboards/widgets-manager8", "@voila-dashboards/widgets-manager7",
                    "@jupyter-widgets/jupyterlab-manager", "jupyterlab_pygments")


def present_command(view: str, name: str, port: int, folder: Path, preheat: bool = True) -> list[str]:
    """The server command line for one view of lesson ``name`` in ``folder`` (``preheat``:
    Voilà keeps one kernel that has run the notebook ready for the next visitor)."""
    if view == "lab":
        # /doc/ rather than /lab/: JupyterLab lays out a /doc/ page in single-document mode from
        # the start, with the file browser folded away; from /lab/ it switches after the layout
        # is restored and leaves the file browser taking a quarter of the projector.
        # No port retries: the printed URL names the port, so a port taken meanwhile must be an
        # error, not a server quietly elsewhere.
        return [*lab_command(port, folder), f"--ServerApp.default_url=/doc/tree/{name}",
                "--ServerApp.port_retries=0"]
    if view == "voila":
        return [
            sys.executable, "-m", "voila", str(folder / name),
            "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}", "--Voila.port_retries=0",
            "--template=projector",
            # One kernel per visitor, executed before anyone asks: the first page is instant.
            # Rendering then waits for the whole notebook, so progressive rendering is off.
            f"--preheat_kernel={preheat}", "--pool_size=1",
            "--show_tracebacks=False",  # an error in class shows its message, not a stack
            # Only the lab extensions a lesson page draws with: Voila loads every installed one,
            # and JupyterLab's own add-ons (nbgrader's menus, Notebook 7's buttons) fail to start
            # outside JupyterLab, each with an error in the page's console.
            *(f"--VoilaConfiguration.extension_allowlist={extension}" for extension in VOILA_EXTENSIONS),
        ]
    raise PresentError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")


def present_url(view: str, name: str, port: int, token: str = "") -> str:
    if view == "lab":  # straight into the lesson, logged in (JupyterLab's own URL opens /lab)
        return f"http://127.0.0.1:{port}/doc/tree/{name}" + (f"?token={token}" if token else "")
    return f"http://127.0.0.1:{port}/"


def main(which: str, view: str = "lab", port: int = 8888, folder: str | os.PathLike | None = None) -> int:
    target = Path(folder) if folder else workspace.WORKSPACE
    try:
        report = workspace.sync(workspace=target)
        name = find_lesson(which, target)
        chosen = choose_port(port)
        command = present_command(view, name, chosen, target)
    except (PresentError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report.message())
    if chosen != port:
        print(f"port {port} is in use; using {chosen} instead.")
    environment = present_environment(target)
    token = environment.setdefault("JUPYTER_TOKEN", secrets.token_hex(24)) if view == "lab" else ""
    how = "JupyterLab, single-document" if view == "lab" else "Voilà, text and widgets only"
    print(f"Presenting {name} ({how}); open\n\n    {present_url(view, name, chosen, token)}\n", flush=True)
    if view == "voila":
        print("A kernel runs the whole lesson in advance for the next visitor.", flush=True)
    print("Ctrl-C stops the server and its kernels.", flush=True)
    server = subprocess.Popen(command, env=environment)
    signal.signal(signal.SIGTERM, _interrupt)  # a `kill` stops the server too, as Ctrl-C does
    try:
        return server.wait()
    except KeyboardInterrupt:  # stop the server, which stops its kernels
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.terminate()
            server.wait(timeout=10)
        return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def register(commands) -> None:
    parser = commands.add_parser("present", help="project one lesson: JupyterLab with large text, or Voilà without code")
    parser.add_argument("lesson", help="the lesson's number (e.g. 04) or file name")
    parser.add_argument("--view", choices=VIEWS, default="lab",
                        help="lab: code, text and widgets (default); voila: text and widgets only")
    parser.add_argument("--port", type=int, default=8888, help="the port to serve on (the next free one if taken)")
    parser.add_argument("--folder", default=None, help="the working copy (default: my-notebooks/)")
    parser.set_defaults(run=run)


def run(args) -> int:
    return main(args.lesson, view=args.view, port=args.port, folder=args.folder)
