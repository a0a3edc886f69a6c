"""JupyterHub for a class on one server: every student gets JupyterLab with lecturekit.

Run it from this repository's environment (deploy/jupyterhub/README.md says how):

    .venv/bin/jupyterhub -f deploy/jupyterhub/one_server/jupyterhub_config.py

Two modes, chosen by LECTUREKIT_HUB_MODE:

- ``class`` (the default, for real use): students log in with their system account (PAM), and
  each server runs as that user (LocalProcessSpawner), so students cannot read each other's
  files. The hub must run as root. Students must be in the UNIX group LECTUREKIT_HUB_GROUP.
- ``trial`` (tests, benchmarks, a rehearsal on a laptop): any name logs in with any password
  (DummyAuthenticator) and every server runs as the user who started the hub, in
  <state>/homes/<name> (SimpleLocalProcessSpawner). There is no isolation between students:
  never use it with real students.

Every setting the environment can change is read below, next to the reason for its default.
Option names were checked against the JupyterHub 6.1 source (jupyterhub/app.py, spawner.py,
auth.py, proxy.py).
"""

import os
import pwd
import shutil
import sys
from pathlib import Path

from lecturekit import workspace

c = get_config()  # noqa: F821 (JupyterHub's config loader defines get_config)

HERE = Path(__file__).resolve().parent
MODE = os.environ.get("LECTUREKIT_HUB_MODE", "class")
if MODE not in ("class", "trial"):
    raise ValueError(f"LECTUREKIT_HUB_MODE must be 'class' or 'trial', not {MODE!r}")
STATE = Path(os.environ.get("LECTUREKIT_HUB_STATE", "/srv/lecturekit-hub")).resolve()
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# ---------------------------------------------------------------- network: this machine only
# The hub, the proxy's public side, the proxy's API and every student server listen on
# 127.0.0.1. Put HTTPS in front (nginx, caddy) to open the class to the room; the hub itself
# never serves plain HTTP to the network.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = _port("LECTUREKIT_HUB_PORT", 8000)
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = _port("LECTUREKIT_HUB_INTERNAL_PORT", 8081)
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_port('LECTUREKIT_PROXY_API_PORT', 8001)}"
# The proxy comes from npm: `npm ci --prefix deploy/jupyterhub` installs the pinned one here.
PROXY = HERE.parent / "node_modules" / ".bin" / "configurable-http-proxy"
if PROXY.exists():
    c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")  # a restarted hub finds its proxy

# ---------------------------------------------------------------- the hub's own files
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")  # made 0600 on first run
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# ---------------------------------------------------------------- who logs in, as whom
if MODE == "class":
    c.JupyterHub.authenticator_class = "pam"
    c.JupyterHub.spawner_class = "localprocess"
    c.PAMAuthenticator.allowed_groups = {os.environ.get("LECTUREKIT_HUB_GROUP", "students")}
else:
    c.JupyterHub.authenticator_class = "dummy"
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Authenticator.admin_users = set(filter(None, os.environ.get("LECTUREKIT_HUB_ADMINS", "").split(",")))

# A script that runs the class (or a test) can act through the REST API with this token.
SERVICES, ROLES = [], []
ADMIN_TOKEN = os.environ.get("LECTUREKIT_HUB_ADMIN_TOKEN")
if ADMIN_TOKEN:
    SERVICES.append({"name": "class-admin", "api_token": ADMIN_TOKEN})
    ROLES.append({
        "name": "class-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "list:services", "read:services"],
        "services": ["class-admin"],
    })

# ---------------------------------------------------------------- each student's server
# This environment's single-user server: the same Python, torch and lecturekit as `make lab`.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # a cold start on a busy 2-core machine took up to ~20 s
c.Spawner.args = [
    # A kernel whose tab was closed keeps its models in memory (SmolLM2: ~1 GB) until culled.
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",  # an open tab keeps its kernel
]
if MODE == "trial" and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # trial servers run as the hub's user, root in a container
c.Spawner.environment = {
    # One thread per kernel: with several students per core, torch's default of one thread
    # per core makes every kernel fight for every core, and all clicks get slower.
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # The lab settings `lecturekit lab` uses: no news toast or update check over the widgets.
    "JUPYTER_CONFIG_PATH": str(Path(workspace.REPOSITORY) / "lecturekit" / "lab_config"),
}

# Memory. LocalProcessSpawner (and SimpleLocalProcessSpawner) do NOT enforce mem_limit: they
# only export it as $MEM_LIMIT, which jupyter-resource-usage displays. Spawners that enforce it:
# SystemdSpawner (a systemd MemoryMax= per server, on one machine), DockerSpawner, KubeSpawner
# (Zero to JupyterHub, ../cluster/values.yaml). Sized from benchmarks/bench_class.py (RSS, 2-core
# CPU): a student's server is ~140 MiB, their kernel ~310 MiB with lecture-bert and ~1030 MiB with
# SmolLM2 as well; converting SmolLM2 on a first load peaks at ~1.2 GiB. 2G leaves room for that.
c.Spawner.mem_limit = os.environ.get("LECTUREKIT_HUB_MEM_LIMIT", "2G")

# Converted bundled models (SmolLM2: a GGUF -> safetensors conversion, ~30 s) are shared when the
# instructor converted them once into this folder before class (README); otherwise each student
# converts into their own ~/.cache/lecturekit on first load, slower and once per student. Not
# inside STATE: that folder is the hub's secrets (0700), which no student may enter.
SHARED_CACHE = Path(os.environ.get("LECTUREKIT_HUB_CACHE", "/srv/lecturekit-models"))


def shared_smollm2() -> bool:
    """Whether a converted SmolLM2 in SHARED_CACHE is there for every student to read.

    In class mode students are other UNIX users: the folder and each folder above it must be
    searchable by all, and each file readable by all (safetensors writes model.safetensors as
    0600, so the README's preparation step runs chmod). An unreadable cache is worse than none:
    the student's kernel would fail instead of converting its own copy.
    """
    converted = [p for p in SHARED_CACHE.glob("smollm2-135m-v*") if (p / "lecturekit.json").is_file()]
    if not converted:
        return False
    if MODE == "trial":  # every server runs as the hub's own user
        return True
    folder = converted[0]
    searchable = all(p.stat().st_mode & 0o001 for p in [folder, *folder.parents])
    return searchable and all(f.stat().st_mode & 0o004 for f in folder.iterdir())


def prepare_student(spawner):
    """Before a server starts: the student's own copy of the lessons, opened as their root dir.

    ``workspace.sync`` is the copy ``lecturekit lab`` makes: untouched lessons follow the
    repository, a student's edited copy is never overwritten.
    """
    if MODE == "class":
        account = pwd.getpwnam(spawner.user.name)
        home, uid, gid = Path(account.pw_dir), account.pw_uid, account.pw_gid
    else:
        home, uid, gid = Path(spawner.home_dir), None, None
    copy = home / "my-notebooks"
    workspace.sync(workspace=copy)
    if uid is not None:  # the hub runs as root: give the copy to its student
        for path in [copy, *copy.rglob("*")]:
            shutil.chown(path, uid, gid)
    spawner.notebook_dir = str(copy)
    if shared_smollm2():
        spawner.environment = {**spawner.environment, "LECTUREKIT_CACHE": str(SHARED_CACHE)}
    elif any(SHARED_CACHE.glob("smollm2-135m-v*")):
        spawner.log.warning("%s is not readable by every student (chmod -R a+rX, README): "
                            "%s converts SmolLM2 on their own", SHARED_CACHE, spawner.user.name)


c.Spawner.pre_spawn_hook = prepare_student

# ---------------------------------------------------------------- idle culling
# jupyterhub-idle-culler (PyPI), run by the hub as a managed service: a server with no activity
# for LECTUREKIT_HUB_IDLE_TIMEOUT seconds is stopped, so students who left free their memory.
IDLE = _port("LECTUREKIT_HUB_IDLE_TIMEOUT", 3600)
SERVICES.append({
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE}",
                f"--cull-every={max(60, IDLE // 6)}"],
})
ROLES.append({
    "name": "idle-culler",
    # The scopes the culler's README lists for culling servers (not users).
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})
c.JupyterHub.services = SERVICES
c.JupyterHub.load_roles = ROLES
