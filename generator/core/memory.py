"""Garbage-collector settings for the stages that build large object graphs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Suspend Python's cyclic garbage collector for the duration.

    Loading builds ~500,000 dicts, lists and models at 1,000 playbooks; each allocation burst
    triggers a collection that walks every object built so far, a third of load+model+link's
    time. Nothing here creates garbage cycles that matter (reference counting frees the rest), and
    the collector runs as usual once the stage is over.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
