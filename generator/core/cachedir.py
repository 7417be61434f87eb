"""The user's cache folder for what the generator keeps between runs outside any knowledge
base (incremental build state, compiled templates): $KB_CACHE_DIR, else $XDG_CACHE_HOME or
~/.cache, then msp-kb-generator. Never inside a knowledge base, so a repository cannot plant
what a build would trust (compiled templates are code)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import jinja2

CACHE_VARIABLE = "KB_CACHE_DIR"


def cache_home() -> Path:
    if value := os.environ.get(CACHE_VARIABLE, "").strip():
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "msp-kb-generator"


@functools.cache
def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None  # no cache folder (read-only home): compile every run
    return jinja2.FileSystemBytecodeCache(str(folder))


def templates_cache(environment: str) -> jinja2.BytecodeCache | None:
    """Compiled Jinja templates of one environment (its own folder: how a template compiles
    depends on the environment's syntax settings), shared by every run; Jinja checks each
    against its source and its own version."""
    return _bytecode_cache(cache_home() / "jinja" / environment)
