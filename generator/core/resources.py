"""Where the generator's own files are: templates, assets, skeletons and the default MkDocs
configuration live in site_templates/, shipped inside the wheel as `generator/site_templates`
and found beside the package in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _site_templates() -> Path:
    for candidate in (_PACKAGE / "site_templates", _PACKAGE.parent / "site_templates"):
        if (candidate / "pages").is_dir():
            return candidate
    raise RuntimeError(f"the generator's templates are missing (looked in {_PACKAGE} and beside it)")


TEMPLATES = _site_templates()
