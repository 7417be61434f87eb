"""Which engine turns the rendered Markdown into HTML.

MkDocs 1.6 (the default) builds in this process with our hook. ProperDocs and Zensical build
`kb render`'s static output (Markdown plus a mkdocs.yml without hook) in their own venvs, as a
separate process; then the after-build steps (`kb postbuild`: manifest, redirects, exports,
PDFs) run on their output here. Either way the site is built in a staging folder and swapped
in only on success.

The engine is chosen by `kb build --engine NAME`, else by `kb.toml` in the knowledge base:

    [build]
    engine = "zensical"
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.core import outdir
from generator.core.errors import BuildFailed, ContentError, Problem
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase
from generator.core.pipeline import after_build
from generator.core.render import render
from generator.core.resources import TEMPLATES
from generator.engine import build as in_process
from generator.engine.static import write_static
from generator.features import FEATURES

SETTINGS_FILE = "kb.toml"
DEFAULT = "mkdocs"
#: What `kb build` prints (on stderr) while Material for MkDocs draws the pages.
MATERIAL_NOTICE = ("note: Material for MkDocs, which draws these pages, reaches end of life on 2027-05-05; "
                   "see README.md, 'Choosing the engine'")


@dataclass(frozen=True)
class Engine:
    name: str
    #: Its command, found in the venv the Makefile makes for it (.venv-NAME), beside this
    #: Python, or on PATH.
    command: str
    notice: str | None
    #: Settings only this engine reads, merged into the static mkdocs.yml of `kb render`.
    settings: tuple[tuple[str, Any], ...] = ()
    #: Our theme overrides this engine draws its own way (left out of its overrides folder).
    own_partials: tuple[str, ...] = ()


ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", MATERIAL_NOTICE),
    "properdocs": Engine("properdocs", "properdocs", MATERIAL_NOTICE),
    # Material's `classic` look, so the brand colours and the printed checklist stay as they are
    # (the `modern` default brings other fonts, icons and colours).
    # Its search UI is its own: our Material search partial (the kind buttons) would break it.
    "zensical": Engine("zensical", "zensical", None, (("theme.variant", "classic"),), ("partials/search.html",)),
}


def configured(root: Path) -> str:
    """The engine kb.toml names, or the default; a wrong name is a content error at its line."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return DEFAULT
    text = path.read_text(encoding="utf-8")
    shown = SETTINGS_FILE
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = int(match[1]) if (match := re.search(r"line (\d+)", str(error))) else 1
        raise ContentError([Problem(shown, line, f"not valid TOML: {error}")]) from None
    value = data.get("build", {}).get("engine", DEFAULT)
    if value not in ENGINES:
        line = next((n for n, row in enumerate(text.splitlines(), 1) if re.match(r"\s*engine\s*=", row)), 1)
        raise ContentError([Problem(shown, line, f"unknown engine {value!r} (expected one of: {', '.join(ENGINES)})")])
    return str(value)


def _checkout() -> Path | None:
    """The source checkout the generator runs from, if it does (its venvs are there)."""
    top = TEMPLATES.parent
    return top if (top / "pyproject.toml").is_file() else None


def executable(engine: Engine, root: Path) -> Path:
    candidates = [Path(sys.executable).parent / engine.command, root / f".venv-{engine.name}" / "bin" / engine.command]
    if (checkout := _checkout()) is not None:
        candidates.append(checkout / f".venv-{engine.name}" / "bin" / engine.command)
    if (found := shutil.which(engine.command)) is not None:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise BuildFailed(f"{engine.name} is not installed: run `make engines` in the generator's checkout "
                      f"(it creates .venv-{engine.name}), or `pip install {engine.name}` beside kb")


def with_settings(config_file: Path, engine: Engine) -> None:
    """Fit `kb render`'s static configuration (and overrides) to engine."""
    for partial in engine.own_partials:
        (config_file.parent / "overrides" / partial).unlink(missing_ok=True)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for dotted, value in engine.settings:
        *parents, key = dotted.split(".")
        target = config
        for name in parents:
            target = target.setdefault(name, {})
        target[key] = value
    header = f"# Written by `kb build --engine {engine.name}` from `kb render`'s configuration.\n"
    config_file.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _reason(output: str) -> str:
    """Why an engine stopped: the exception a macro raised (the last `SomeError: ...` line of a
    traceback, without the module), else the end of its output."""
    errors = re.findall(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Reference): .+)$", output, re.M)
    if errors:
        reason: str = errors[-1]
        # Zensical wraps a macro's exception: "RuntimeError: Python error: UnknownReference: ..."
        while inner := re.search(r"\b(\w+(?:Error|Exception|Reference): .+)$", reason.split(": ", 1)[1]):
            reason = inner[1]
        return reason
    return "\n".join(output.strip().splitlines()[-15:])


def build_site(kb: KnowledgeBase, ctx: RenderContext, out: Path, name: str = DEFAULT, clean: bool = False) -> str:
    """Build with the named engine into out, atomically (out changes only on success), one build
    per out at a time, each in its own staging folder (core/outdir.py). What was redrawn, said
    after "built OUT" ("" for a clean build): MkDocs builds incrementally unless clean (engine/incremental.py)."""
    engine = ENGINES[name]
    if name == "mkdocs":
        plan = in_process.build_site(kb, ctx, out, clean)
        return f" ({plan.redrawn} of {plan.total} pages redrawn)" if plan.dirty else ""
    command = executable(engine, kb.root)
    out = out.resolve()
    with outdir.building(out, kb.root) as staging:
        work = staging / "render"
        config_file = write_static(kb, ctx, render(kb, ctx, FEATURES), work)
        with_settings(config_file, engine)
        built = work / "site"  # Zensical writes only inside the folder of its configuration
        done = subprocess.run([str(command), "build", "-f", str(config_file)], cwd=work,
                              capture_output=True, text=True, check=False)
        output = done.stderr + done.stdout
        if done.returncode != 0:
            raise BuildFailed(f"{name} stopped with exit code {done.returncode}: {_reason(output)}")
        if not (built / "index.html").is_file():
            raise BuildFailed(f"{name} wrote no index.html into {built}: {_reason(output)}")
        after_build(kb, ctx, built, FEATURES)
        outdir.swap_in(built, out)
    return ""
