"""Crash corpus: `kb build` killed (SIGKILL, nothing runs after it) at any point leaves site/
as the complete old site or the complete new one, never a mix and never nothing; the next
build removes what the killed one left beside it.

The kill points are profiling events (every Python call and return, and builtin calls) counted
while core/outdir.py runs, found by a first run that counts them: from the start of the swap to
the end of the atomic exchange every 4th event and every event around the exchange itself; a
random sample of the events of cleaning, staging and removing the old site; and kills at random
moments of the whole build, MkDocs included. Slow (a build per kill), part of `make test`.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.core import outdir
from tests.conftest import FIXTURES, NOTICE, REPO, edit, run_kb, tree_digest

#: Runs `kb ARGS...` in a child; with KB_KILL_AT=N it SIGKILLs itself at the Nth profiling event
#: inside core/outdir.py's functions; KB_COUNT_TO=file receives how many events there were,
#: then `number:call|return:function` for the calls and returns of outdir.py's own functions.
CHILD = r"""
import os, signal, sys
from generator.core import outdir

kill_at = int(os.environ.get("KB_KILL_AT", "0"))
events = 0
own = []  # calls and returns of outdir.py's own functions, to locate the swap and the exchange

def hook(frame, event, arg):
    global events
    events += 1
    if events == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    if frame.f_code.co_filename == outdir.__file__ and event in ("call", "return"):
        own.append(f"{events}:{event}:{frame.f_code.co_name}")

def traced(function):
    def wrapper(*args, **kwargs):
        sys.setprofile(hook)
        try:
            return function(*args, **kwargs)
        finally:
            sys.setprofile(None)
    return wrapper

for name in ("clean_stale", "staging", "swap_in"):
    setattr(outdir, name, traced(getattr(outdir, name)))
sys.argv = ["kb", *sys.argv[1:]]
from generator.cli.app import cli  # not main(), which leaves through os._exit, skipping the finally
try:
    cli(prog_name="kb")
finally:
    if os.environ.get("KB_COUNT_TO"):
        with open(os.environ["KB_COUNT_TO"], "w") as handle:
            handle.write(" ".join(map(str, [events, *own])))
"""


def kb_child(root: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, "--root", str(root), "build"],
        cwd=REPO, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def finish(child: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str]:
    """Wait for child (killing it after timeout); its exit code and stderr."""
    try:
        _, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        _, stderr = child.communicate()
    return child.returncode, stderr


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


def test_a_killed_build_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "sample", root)
    assert run_kb("build", root=root).exit_code == 0
    old = tree_digest(root / "site")
    saved = tmp_path / "old-site"
    shutil.copytree(root / "site", saved)
    edit(root / "content/site.yaml", "title: Sample Knowledge Base", "title: Sample Knowledge Base, revised")
    assert run_kb("build", "--out", tmp_path / "new-site", root=root).exit_code == 0
    new = tree_digest(tmp_path / "new-site")
    assert new != old

    counted = tmp_path / "events"
    assert finish(kb_child(root, KB_COUNT_TO=str(counted))) == (0, NOTICE)
    total, *own = counted.read_text().split()
    events = int(total)
    marks = {(event, name): int(n) for n, event, name in (e.split(":") for e in own)}
    swap, exchange, exchanged = marks[("call", "swap_in")], marks[("call", "_exchange")], marks[("return", "_exchange")]
    assert tree_digest(root / "site") == new
    started = time.monotonic()
    assert finish(kb_child(root)) == (0, NOTICE)  # how long a build takes, for the random kills
    duration = time.monotonic() - started

    seed = int(os.environ.get("KB_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    # The swap up to the exchange: every 4th step, and every step around the exchange itself.
    critical = set(range(swap, exchanged + 1, 4)) | set(range(exchange - 5, exchange + 6))
    critical |= set(range(exchanged - 5, exchanged + 6))
    kills = [("event", n) for n in sorted(critical)]
    kills += [("event", n) for n in sorted(rng.sample(range(exchanged + 1, events + 1), 6))]  # removing the old site
    kills += [("event", n) for n in sorted(rng.sample(range(1, swap), 6))]  # cleaning, staging
    kills += [("time", rng.uniform(0.05, duration)) for _ in range(6)]  # anywhere, MkDocs included
    outcomes = {"old": 0, "new": 0}
    for how, when in kills:
        if tree_digest(root / "site") != old:  # every kill starts from the old site
            shutil.rmtree(root / "site")
            shutil.copytree(saved, root / "site")
        if how == "event":
            code, _ = finish(kb_child(root, KB_KILL_AT=str(when)))
        else:
            code, _ = finish(kb_child(root), timeout=float(when))
        assert code in (0, -signal.SIGKILL)
        assert (root / "site").is_dir(), f"no site/ after a kill at {how} {when} (seed {seed})"
        found = tree_digest(root / "site")
        assert found in (old, new), f"a mixed site/ after a kill at {how} {when} (seed {seed})"
        outcomes["old" if found == old else "new"] += 1
    assert outcomes["old"] and outcomes["new"], outcomes  # the kills fell on both sides of the swap

    assert run_kb("build", root=root).exit_code == 0
    assert tree_digest(root / "site") == new
    assert leftovers(root) == []


def test_stale_staging_is_removed_and_a_moved_aside_site_put_back(sample: Path) -> None:
    """What a two-rename swap (systems without an atomic exchange) leaves when killed between
    its renames: no site/, the old one in a hidden folder. The next build restores it first."""
    assert run_kb("build", root=sample).exit_code == 0
    old = tree_digest(sample / "site")
    (sample / ".site-building-x1y2/docs").mkdir(parents=True)
    (sample / ".site-old-a1b2").mkdir()
    (sample / "site").rename(sample / ".site-old-a1b2/site")
    outdir.clean_stale(sample / "site")
    assert tree_digest(sample / "site") == old
    assert leftovers(sample) == []


def test_the_two_rename_fallback_swaps_too(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    assert run_kb("build", root=sample).exit_code == 0
    edit(sample / "content/site.yaml", "title: Sample Knowledge Base", "title: Changed")
    assert run_kb("build", root=sample).exit_code == 0
    assert "Changed" in (sample / "site/index.html").read_text()
    assert leftovers(sample) == []


def test_a_second_build_of_the_same_folder_waits_for_the_first(sample: Path) -> None:
    """Two builds at once of one output folder: the second says it waits, both succeed, and
    the site is whole."""
    first = kb_child(sample)
    deadline = time.monotonic() + 60
    while not leftovers(sample) and time.monotonic() < deadline:  # its staging folder: it holds the lock
        time.sleep(0.01)
    second = kb_child(sample)
    assert finish(first) == (0, NOTICE)
    code, stderr = finish(second)
    assert code == 0
    assert f"waiting for another build of {sample / 'site'} (process {first.pid}) to finish" in stderr
    assert (sample / "site" / outdir.MARKER).is_file()
    assert leftovers(sample) == []


def test_lock_says_who_holds_it_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    out = tmp_path / "site"
    said: list[str] = []
    with outdir.lock(out):
        with pytest.raises(outdir.OutputBusy, match=rf"another build of {out} \(process {os.getpid()}\) is still "
                                                    r"running after 0 s; try again when it ends"):
            with outdir.lock(out, timeout=0.2, notify=said.append):
                pass
    assert said == [f"waiting for another build of {out} (process {os.getpid()}) to finish"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the lock file goes with its holder
