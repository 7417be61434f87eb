"""`kb frameworks`: import official catalogues (OSCAL, NIST CPRT) as frameworks/<id>.yaml."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.core.errors import ContentError
from generator.core.model import FRAMEWORK_ID
from generator.features.frameworks.importers import dump_framework, import_cprt, import_oscal

_INPUT = click.Path(exists=True, dir_okay=False, path_type=Path)
_OUTPUT = click.Path(dir_okay=False, path_type=Path)


def _check_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.match(FRAMEWORK_ID, value):
        raise click.BadParameter(
            f"{value!r} is not a framework id "
            "(expected lower-case words joined by '-' or '.', e.g. nist-csf-2.0)"
        )
    return value


_id_option = click.option(
    "--id",
    "framework_id",
    required=True,
    callback=_check_id,
    help="Framework id for the output, e.g. nist-csf-2.0 (also its file name).",
)
_out_option = click.option(
    "--out", type=_OUTPUT, default=None, help="Write the YAML to this file instead of stdout."
)


@click.group("frameworks")
def frameworks() -> None:
    """Import official framework catalogues into frameworks/<id>.yaml."""


@frameworks.command("import-oscal", short_help="OSCAL catalog JSON (SP 800-53) -> framework YAML.")
@click.argument("catalog", type=_INPUT)
@_id_option
@click.option(
    "--with-enhancements", is_flag=True, help="Include control enhancements such as AC-4(4)."
)
@_out_option
def import_oscal_command(
    catalog: Path, framework_id: str, with_enhancements: bool, out: Path | None
) -> None:
    """Convert an OSCAL catalog JSON file, such as NIST SP 800-53 Rev. 5, to framework YAML."""
    flag = " --with-enhancements" if with_enhancements else ""
    command = f"kb frameworks import-oscal {catalog.name} --id {framework_id}{flag}"
    _run(lambda: import_oscal(catalog, framework_id, with_enhancements), catalog, command, out)


@frameworks.command("import-cprt", short_help="NIST CPRT JSON export (CSF 2.0) -> framework YAML.")
@click.argument("export", type=_INPUT)
@_id_option
@_out_option
def import_cprt_command(export: Path, framework_id: str, out: Path | None) -> None:
    """Convert a NIST CPRT JSON export, such as CSF 2.0, to framework YAML."""
    command = f"kb frameworks import-cprt {export.name} --id {framework_id}"
    _run(lambda: import_cprt(export, framework_id), export, command, out)


def _today() -> dt.date:
    """Today (UTC), or the SOURCE_DATE_EPOCH date, so that output can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.date()


def _header(command: str, source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return (
        f"Produced by `{command}`\nfrom {source.name} (sha256 {digest}) on {_today().isoformat()}."
    )


def _run(
    importer: Callable[[], dict[str, Any]], source: Path, command: str, out: Path | None
) -> None:
    ctx = click.get_current_context()
    try:
        data = importer()
        text = dump_framework(data, _header(command, source))
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        ctx.exit(1)
    except OSError as error:  # the source vanished after it was read
        click.echo(f"{source.as_posix()}: cannot read file: {error.strerror}", err=True)
        ctx.exit(1)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        _write_atomically(out, text)
    except OSError as error:
        click.echo(f"{out.as_posix()}: cannot write file: {error.strerror}", err=True)
        ctx.exit(1)


def _write_atomically(path: Path, text: str) -> None:
    """A failed write leaves any previous file as it was."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
