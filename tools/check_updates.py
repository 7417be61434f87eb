"""Build the bundled knowledge base with the newest releases and report what would change.

`make check-updates` runs this. It creates a throwaway venv, installs the newest release of
every runtime dependency there (pyproject's upper bounds lifted; MkDocs stays below 2.0, which
cannot build Material sites), builds the bundled knowledge base with it and with the locked
.venv (same --today, same source), and prints what differs: package versions, files added and
removed, and pages whose visible text or only markup changed, with a short diff of each. It is a
report for whoever refreshes the lock (`make lock`): it exits 0 whatever changed, and 1 only if
it could not run at all.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-01-15"  # any fixed day: both builds judge review dates alike
#: Kept whatever is newest: MkDocs 2.0 cannot build Material sites (DESIGN.md).
KEPT_BOUNDS = {"mkdocs": "mkdocs<2"}
#: Differs between any two builds made with different versions, and says nothing about the pages.
GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')
SKIPPED = {"sitemap.xml.gz"}  # gzip stores a time stamp
DIFF_LINES = 12
SHOWN_FILES = 10


def canonical(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def lifted(requirements: list[str]) -> list[str]:
    """The requirements without their bounds, except those that must stay."""
    return [KEPT_BOUNDS.get(canonical(r), canonical(r)) for r in requirements]


class _Text(HTMLParser):
    """The visible text of a page's main content (Material's <article>), whitespace folded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def normalised(path: Path) -> str | None:
    """A file's text with version stamps removed, or None for a binary file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    return GENERATOR_TAG.sub("", text)


@dataclass
class Comparison:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    markup_changed: list[str] = field(default_factory=list)
    other_changed: list[str] = field(default_factory=list)
    diffs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.text_changed or self.markup_changed or self.other_changed)


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name not in SKIPPED}


def compare(locked: Path, newest: Path) -> Comparison:
    """What differs between two builds of the same knowledge base."""
    result = Comparison()
    old, new = files_of(locked), files_of(newest)
    result.added, result.removed = sorted(new - old), sorted(old - new)
    for rel in sorted(old & new):
        before, after = (locked / rel).read_bytes(), (newest / rel).read_bytes()
        if before == after:
            continue
        a, b = normalised(locked / rel), normalised(newest / rel)
        if a is not None and a == b:
            continue
        if rel.endswith(".html") and a is not None and b is not None:
            (result.text_changed if visible_text(a) != visible_text(b) else result.markup_changed).append(rel)
        else:
            result.other_changed.append(rel)
        if a is not None and b is not None and len(result.diffs) < SHOWN_FILES:
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "locked/" + rel, "newest/" + rel, n=0, lineterm="")
            result.diffs[rel] = [line[:200] for line in list(diff)[:DIFF_LINES]]
    return result


def version_changes(locked: dict[str, str], newest: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(locked.keys() | newest.keys()):
        before, after = locked.get(name, "-"), newest.get(name, "-")
        if before != after:
            lines.append(f"  {name}: {before} -> {after}")
    return lines


def report(changes: list[str], comparison: Comparison) -> str:
    out = ["Package versions (locked -> newest):", *(changes or ["  none changed"]), ""]
    if comparison.same:
        out.append("The rendered site is the same with the newest releases.")
        return "\n".join(out)
    out.append(
        f"The rendered site differs: {len(comparison.text_changed)} page(s) with other visible text, "
        f"{len(comparison.markup_changed)} page(s) with other markup only, {len(comparison.other_changed)} other "
        f"file(s) changed, {len(comparison.added)} added, {len(comparison.removed)} removed."
    )
    for title, names in (("Visible text changed", comparison.text_changed), ("Markup only", comparison.markup_changed),
                         ("Other files changed", comparison.other_changed), ("Added", comparison.added),
                         ("Removed", comparison.removed)):
        if names:
            shown = ", ".join(names[:SHOWN_FILES]) + (f" and {len(names) - SHOWN_FILES} more" if len(names) > SHOWN_FILES else "")
            out.append(f"{title}: {shown}")
    for lines in comparison.diffs.values():
        out += ["", *lines]
    return "\n".join(out)


def versions(python: Path) -> dict[str, str]:
    listing = subprocess.run([str(python), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
                             capture_output=True, text=True, check=True).stdout
    return {entry["name"].lower().replace("_", "-"): entry["version"] for entry in json.loads(listing)}


def build(python: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The bundled knowledge base, built from this checkout by the packages of python's venv."""
    code = "from generator.cli import main; main()"
    return subprocess.run([str(python), "-c", code, "--root", str(REPO), "build", "--out", str(out), "--today", TODAY],
                          capture_output=True, text=True, check=False, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locked-python", type=Path, default=Path(sys.executable))
    parser.add_argument("--keep", action="store_true", help="keep the throwaway venv and both sites")
    args = parser.parse_args()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    work = Path(tempfile.mkdtemp(prefix="kb-check-updates-"))
    try:
        venv = work / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        newest_python = venv / "bin" / "python"
        wanted = lifted(project["dependencies"])
        print(f"Installing the newest releases of: {' '.join(wanted)}", flush=True)
        install = subprocess.run([str(newest_python), "-m", "pip", "install", "--quiet", "--upgrade", *wanted],
                                 capture_output=True, text=True, check=False)
        if install.returncode != 0:
            print(f"Could not install the newest releases:\n{install.stderr.strip()}")
            return 1
        newest = {k: v for k, v in versions(newest_python).items() if k not in ("pip", "setuptools")}
        changes = version_changes({k: v for k, v in versions(args.locked_python).items() if k in newest}, newest)
        locked_build = build(args.locked_python, work / "locked")
        if locked_build.returncode != 0:
            print(f"The locked build failed:\n{locked_build.stderr.strip()}")
            return 1
        newest_build = build(newest_python, work / "newest")
        if newest_build.returncode != 0:
            print("\n".join(["Package versions (locked -> newest):", *changes, "",
                             "The build FAILS with the newest releases:", newest_build.stderr.strip()]))
            return 0
        print(report(changes, compare(work / "locked", work / "newest")))
        return 0
    finally:
        if args.keep:
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
