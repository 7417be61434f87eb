"""Mapping a function over items in forked processes, for CPU-bound stages of one build.

The children are forks of this process: they share its memory (the knowledge base, compiled
templates) without pickling it; only results travel back, through a pipe. Item i goes to
process i mod n, this process drawing its own share, so the slow kinds of page, which come
together, are spread out. The result is in the items' order, as a plain map would give it.
Only for a process without other threads (a fork copies just the calling thread): `kb build`,
not `kb serve`.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ChildFailed(Exception):
    """A forked child raised: its traceback, as text."""


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def map_in_processes(function: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    if processes < 2 or len(items) < 2:
        return [function(item) for item in items]
    children: list[tuple[int, int, int]] = []  # (share, pid, read end)
    for share in range(1, processes):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: draw its share, send it, and leave without cleanup
            os.close(read)
            code = 0
            try:
                payload = pickle.dumps((True, [function(item) for item in items[share::processes]]), protocol=5)
            except BaseException:  # every failure goes back to the parent
                payload, code = pickle.dumps((False, traceback.format_exc())), 1
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            os._exit(code)
        os.close(write)
        children.append((share, pid, read))
    results: list[list[R]] = [[] for _ in range(processes)]
    failure: str | None = None
    try:
        results[0] = [function(item) for item in items[0::processes]]
    finally:
        for share, pid, read in children:
            data = _read_all(read)
            os.close(read)
            os.waitpid(pid, 0)
            ok, value = pickle.loads(data) if data else (False, "the child process died")
            if ok and isinstance(value, list):
                results[share] = value
            else:
                failure = failure or str(value)
    if failure is not None:
        raise ChildFailed(failure)
    merged: list[R] = []
    for i in range(len(items)):
        merged.append(results[i % processes][i // processes])
    return merged
