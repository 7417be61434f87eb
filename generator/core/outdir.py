"""The output folder of a build: what may be replaced, one build at a time, no gap when it is.

- `guard(out, root)`: a build may only replace a missing folder, an empty one, or a site this
  tool built (it holds MARKER). Never the knowledge base, its sources, or a parent of them.
- `lock(out)`: one build per output folder; a second one waits for the first (and says so).
- `staging(out)`: a private folder beside out for one build (its Markdown and its site), so
  builds never share files; folders left by a killed build are removed first.
- `swap_in(site, out)`: the new site replaces out in one step. On Linux, renameat2 with
  RENAME_EXCHANGE swaps the two directory entries atomically: at every instant `out` is the
  complete old site or the complete new one. Where the exchange is unavailable (another OS, a
  filesystem without it) two renames are used; a build killed between them leaves the old site
  in a hidden folder, and the next build puts it back before it does anything else.

Standard library only: this is the core.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

#: Written into every site this tool builds: its presence is what lets a build replace a folder.
MARKER = ".kb-site"
MARKER_TEXT = "Built by kb (the knowledge base generator); `kb build` may replace this folder.\n"
SOURCES = ("content", "frameworks")


class OutputRefused(Exception):
    """The output folder is not one a build may replace; the message says why and what to do."""


class OutputBusy(Exception):
    """Another build of the same output folder did not finish in time."""


def guard(out: Path, root: Path) -> None:
    """Refuse an output folder whose replacement would lose anything but an earlier site."""
    out, root = out.resolve(), root.resolve()
    advice = "choose a new or empty folder, or one `kb build` made before"
    for name in SOURCES:
        if out.is_relative_to(root / name):
            raise OutputRefused(f"refusing to build into {out}: it is inside the knowledge base's {name}/; {advice}")
    if root.is_relative_to(out):
        what = "the knowledge base folder" if out == root else "a parent of the knowledge base folder"
        raise OutputRefused(f"refusing to build into {out}: it is {what} (its content/ and frameworks/ "
                            f"would be replaced by the site); {advice}, such as {root / 'site'}")
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"refusing to build into {out}: it is a file, not a folder; {advice}")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputRefused(f"refusing to build into {out}: it is not empty and was not built by kb "
                            f"(it has no {MARKER} file), so its files would be deleted; {advice}")


def _building_prefix(out: Path) -> str:
    return f".{out.name}-building-"


def _retired_prefix(out: Path) -> str:
    return f".{out.name}-old-"


def clean_stale(out: Path) -> None:
    """Remove what killed builds of out left beside it; call with the lock held. A site that a
    two-rename swap had moved aside and not yet replaced is put back first."""
    parent = out.parent
    if not parent.is_dir():
        return
    for entry in sorted(parent.iterdir()):
        if entry.name.startswith(_retired_prefix(out)):
            kept = entry / out.name
            if not out.exists() and kept.is_dir():
                os.rename(kept, out)
            shutil.rmtree(entry, ignore_errors=True)
    for entry in sorted(parent.iterdir()):
        if entry.name.startswith(_building_prefix(out)):
            shutil.rmtree(entry, ignore_errors=True)


def staging(out: Path) -> Path:
    """A new private folder beside out (same filesystem, so the swap is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=_building_prefix(out), dir=out.parent))


@functools.cache
def private_docs() -> Path:
    """The Markdown folder of this process, for builds that `build_site` did not start
    (`kb serve`, a plain `mkdocs build`): kept for the life of the process, so a preview's
    rebuilds see their earlier files, and shared with no other process."""
    folder = Path(tempfile.mkdtemp(prefix="kb-docs-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def lock(out: Path, timeout: float = 1800.0, notify: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the lock of out for the duration; wait (saying so once) while another build has it.

    The lock is flock on a file beside out, removed on release. A waiter that wins the lock on
    a file its holder has just removed finds the path no longer names its file, and tries again.
    """
    path = out.parent / f".{out.name}.lock"
    out.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OutputBusy(f"another build of {out} ({_holder(fd)}) is still running "
                                         f"after {timeout:.0f} s; try again when it ends") from None
                    if not told:
                        notify(f"waiting for another build of {out} ({_holder(fd)}) to finish")
                        told = True
                    time.sleep(0.1)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)


@contextlib.contextmanager
def building(out: Path, root: Path) -> Iterator[Path]:
    """One build into out (resolved): refused by guard, one at a time (lock), after clearing what
    a stopped build left; yields a new staging folder beside out, removed afterwards (what was
    swapped in from it stays)."""
    guard(out, root)
    with lock(out):
        clean_stale(out)
        folder = staging(out)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode().strip())
        return f"process {pid}"
    return "process unknown"


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(site: Path, out: Path) -> None:
    """Make the built site out, marked as ours; the previous out is deleted afterwards."""
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    site.chmod(0o755)  # mkdtemp made it private
    if not out.exists():
        os.rename(site, out)
    elif _exchange(site, out):
        shutil.rmtree(site)  # the old site, now at the staging path
    else:
        retired = Path(tempfile.mkdtemp(prefix=_retired_prefix(out), dir=out.parent))
        os.rename(out, retired / out.name)
        os.rename(site, out)
        shutil.rmtree(retired)
