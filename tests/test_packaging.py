"""The generator installs as a package: the wheel carries the templates, assets, skeletons and
default MkDocs config, and a knowledge base folder needs nothing from this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    on_disk = sorted(".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "generator").rglob("__init__.py"))
    assert sorted(listed) == sorted([*on_disk, "generator.site_templates"])


def test_the_wheel_alone_starts_and_builds_a_knowledge_base(tmp_path: Path) -> None:
    source = tmp_path / "source"  # setuptools writes build/ into the tree it builds: not ours
    for name in ("generator", "site_templates"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(installed)
    data = [p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*")
            if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts]
    assert sorted(set(data) - set(names)) == []  # every module and template of the package
    for shipped in ("generator/site_templates/mkdocs.yml", "generator/site_templates/pages/checklist.md.j2",
                    "generator/site_templates/assets/checklist.js", "generator/site_templates/starter/content/site.yaml",
                    "generator/site_templates/overrides/main.html"):
        assert shipped in names
    # The unpacked wheel comes first on the path, before this checkout's editable install.
    env = {**os.environ, "PYTHONPATH": str(installed)}
    kb = [sys.executable, "-c", "import generator, sys; assert generator.__file__.startswith(sys.argv[1]), "
          "generator.__file__; from generator.cli import main; sys.argv[1:2] = []; main()", str(installed)]
    run = lambda *args: subprocess.run([*kb, *args], cwd=tmp_path, env=env, capture_output=True, text=True)  # noqa: E731
    assert run("init", "my-kb").returncode == 0
    built = run("--root", "my-kb", "build")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "my-kb" / "site" / "checklists" / "first-checklist" / "index.html").is_file()
    assert (tmp_path / "my-kb" / "site" / "permalinks.json").is_file()
