"""The live preview when content breaks (`kb serve`).

MkDocs' server holds every request until a rebuild succeeds, so one YAML error made the browser
spin and curl time out. Here a failed rebuild is caught: the server moves on (browsers reload),
every page request gets an error page listing each `path:line: message`, escaped, and the next
good rebuild brings the site back (the last good build stays in place meanwhile). The terminal
keeps MkDocs' own error lines, without the per-page "not included in the nav" list.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2

from generator.core.resources import TEMPLATES

log = logging.getLogger("mkdocs.plugins.kb.preview")

#: Log lines of every build that say nothing to an author at work: (logger, message start, the
#: highest level dropped). Anything else, and every other warning and error, still shows.
CHATTER = [
    # MkDocs warns on every dirty build, and strict mode would fail the preview on it; the hook
    # rebuilds everything when nav or theme change, so the warning does not apply.
    ("mkdocs.commands.build", "A 'dirty' build is being performed", logging.WARNING),
    ("mkdocs.structure.nav", 'The following pages exist in the docs directory, but are not included in the "nav"',
     logging.INFO),
    ("mkdocs.plugins.mkdocs_macros.util", "", logging.INFO),  # its modules and variables, each build
]


class _Quiet(logging.Filter):
    def __init__(self, start: str, level: int) -> None:
        super().__init__()
        self.start = start
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > self.level or not record.getMessage().startswith(self.start)


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Drop the build chatter above for the duration (warnings and errors always pass)."""
    installed = [(logging.getLogger(name), _Quiet(start, level)) for name, start, level in CHATTER]
    for logger, quiet in installed:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger, quiet in installed:
            logger.removeFilter(quiet)


class _Capture(logging.Handler):
    """The warnings and errors MkDocs logs during one build: the problems of a failed one."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def problems_of(messages: Iterable[str], error: BaseException) -> list[str]:
    """One line per problem: a message that introduces a list ("...:" then lines) gives its lines."""
    out: list[str] = []
    for message in messages:
        lines = [line for line in message.splitlines() if line.strip()]
        out += lines[1:] if len(lines) > 1 and lines[0].rstrip().endswith(":") else lines
    return out or [str(error) or type(error).__name__]


class ErrorPage:
    """What the server shows while the last rebuild failed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.problems: list[str] = []

    def set(self, problems: list[str]) -> None:
        with self._lock:
            self.problems = list(problems)

    def current(self) -> list[str]:
        with self._lock:
            return list(self.problems)

    def html(self) -> bytes:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "preview"), autoescape=True,
                                 comment_start_string="{##", comment_end_string="##}")
        return env.get_template("error.html.j2").render(problems=self.current()).encode("utf-8")


def _is_page(path: str) -> bool:
    return not path.startswith("/livereload/") and (path.endswith("/") or path.endswith(".html"))


def show_errors(server: Any) -> ErrorPage:
    """Make MkDocs' LiveReloadServer show content errors instead of hanging (called once, from
    the hook's on_serve)."""
    page = ErrorPage()
    build: Callable[[], None] = server.builder
    serve_request: Callable[..., Iterable[bytes]] = server.serve_request

    def guarded_build() -> None:
        capture = _Capture()
        logging.getLogger("mkdocs").addHandler(capture)
        try:
            build()
        except (Exception, SystemExit) as error:  # MkDocs ends a failed build with Abort or SystemExit
            page.set(problems_of(capture.messages, error))
            log.warning("The preview shows these problems on every page until they are fixed.")
            return  # the server moves on: browsers reload and get the error page
        finally:
            logging.getLogger("mkdocs").removeHandler(capture)
        page.set([])

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if page.current() and _is_page(environ.get("PATH_INFO", "")):
            body = server._inject_js_into_html(page.html(), server._visible_epoch)  # live reload on fix
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(body))),
                                                         ("Cache-Control", "no-store")])
            return [body]
        return serve_request(environ, start_response)

    server.builder = guarded_build
    server.set_app(app)
    return page
