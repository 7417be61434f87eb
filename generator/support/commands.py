"""What every command of the `kb` line shares, the core's and the features' alike: content
errors turned into `path:line: message` lines and exit 1, MkDocs' log kept quiet, the
knowledge base of `--root` loaded, the audience option."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from generator.core import outdir
from generator.core.audience import AUDIENCES
from generator.core.errors import ContentError
from generator.core.link import KnowledgeBase, load_knowledge_base

F = TypeVar("F", bound=Callable[..., Any])


def reports_problems(command: F) -> F:
    """Turn content errors and unreadable files into messages and exit code 1; an output
    folder that must not be replaced into exit code 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ContentError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(error.problems)} problem(s) found.", err=True)
            sys.exit(1)
        except OSError as error:
            click.echo(f"error: {error.filename or ''}: {error.strerror}", err=True)
            sys.exit(1)
        except outdir.OutputRefused as refused:  # a usage error: the wrong --out
            click.echo(f"error: {refused}", err=True)
            sys.exit(2)
        except outdir.OutputBusy as busy:
            click.echo(f"error: {busy}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class _EchoHandler(logging.Handler):
    """MkDocs' log records, written wherever click writes errors right now."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname}: {record.getMessage()}", err=True)


def show_mkdocs_log(verbose: bool = False) -> None:
    """Show MkDocs' warnings (strict mode failures) but not its chatter."""
    logger = logging.getLogger("mkdocs")
    logger.handlers = [_EchoHandler()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def load(ctx: click.Context) -> KnowledgeBase:
    """The knowledge base of `--root`, with the features the app was started with."""
    return load_knowledge_base(ctx.obj["root"], ctx.obj.get("features", ()))


TODAY_VARIABLE = "KB_TODAY"


def today_option(purpose: str = "Judge review dates as of this day") -> Callable[[F], F]:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        envvar=TODAY_VARIABLE,
        default=None,
        help=f"{purpose}, YYYY-MM-DD (default: ${TODAY_VARIABLE} or the system date).",
    )


def day(today: dt.datetime | None) -> dt.date:
    """The day a command works as of: --today (or $KB_TODAY), else the system date."""
    return today.date() if today is not None else dt.date.today()


def report_warnings(ctx: click.Context, kb: KnowledgeBase, on: dt.date, strict: bool) -> None:
    """Print the features' warnings as `path:line: warning: ...`; with strict, raise them as
    content errors instead."""
    found = sorted(problem for feature in ctx.obj.get("features", ()) for check in feature.warnings
                   for problem in check(kb, on))
    if strict and found:
        raise ContentError(found)
    for problem in found:
        click.echo(f"{problem.path}:{problem.line}: warning: {problem.message}", err=True)
    if found:
        click.echo(f"{len(found)} warning(s); `kb validate --strict` treats them as errors.", err=True)


audience_option = click.option(
    "--audience", type=click.Choice(AUDIENCES), default="internal", show_default=True,
    help="internal: everything, staff-only parts marked; client: nothing internal in any file.",
)


