"""`kb push PSA CHECKLIST`: send a PSA export's requests, in order, to the PSA's REST API.

Credentials come from environment variables only (never an option or a file), and --dry-run
prints each request as HTTP (method, URL, headers, JSON body) with every credential shown by the
name of its variable, never its value. A request that depends on an earlier one gets the id the
PSA returned for it. Anything that stops a push is a PushFailed with a sentence for the user.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from generator.features.checklists.psa import TICKET_PLACEHOLDER, Api, Export, Request

TIMEOUT_SECONDS = 30
_REF = re.compile(r"\{id of request (\d+)\}")


class PushFailed(Exception):
    """The push could not be made or finished; the message says why and what was created."""


def _fixed_headers() -> list[tuple[str, str]]:
    return [("Content-Type", "application/json"), ("Accept", "application/json")]


def dry_run(export: Export, environ: Mapping[str, str]) -> str:
    api = export.api
    base = (environ.get(api.base_variable) or f"${api.base_variable}").rstrip("/")
    variables = ", ".join(f"${v}" for c in api.credentials for v in c.variables)
    lines = [
        f"# kb push {api.name} --dry-run: {len(export.requests)} request(s) to {api.title}, none sent.",
        f"# Base URL from ${api.base_variable} (e.g. {api.base_example}); credentials from {variables}.",
        "# {id of request N} is the id the PSA returns for request N.",
    ]
    headers = _fixed_headers() + [(c.header, c.shown_value()) for c in api.credentials]
    for number, request in enumerate(export.requests, 1):
        lines += ["", f"### request {number}", f"{request.method} {base}{request.path}"]
        lines += [f"{name}: {value}" for name, value in headers]
        lines += ["", json.dumps(request.body, indent=2, ensure_ascii=False)]
    return "\n".join(lines) + "\n"


def _check_ready(export: Export, environ: Mapping[str, str]) -> str:
    api = export.api
    missing = [v for v in api.variables() if not environ.get(v)]
    if missing:
        raise PushFailed(f"kb push {api.name} takes its URL and credentials from the environment: set "
                         f"{', '.join(api.variables())} (missing: {', '.join(missing)})")
    base = environ[api.base_variable].rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise PushFailed(f"${api.base_variable} must be an http(s) URL, e.g. {api.base_example} (got '{base}')")
    if any(TICKET_PLACEHOLDER in json.dumps(r.as_data()) for r in export.requests):
        raise PushFailed(f"kb push {api.name} needs --ticket with the numeric {api.title} ticket id "
                         "the checklist goes on")
    return base


def _substitute(value: Any, ids: dict[int, Any]) -> Any:
    if isinstance(value, str):
        whole = _REF.fullmatch(value)
        if whole:
            return ids[int(whole.group(1))]
        return _REF.sub(lambda m: str(ids[int(m.group(1))]), value)
    if isinstance(value, list):
        return [_substitute(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, ids) for k, v in value.items()}
    return value


def _new_id(payload: Any, api: Api) -> Any:
    if isinstance(payload, list) and payload:
        payload = payload[0]
    if isinstance(payload, dict):
        for name in api.id_fields:
            value = payload.get(name)
            if isinstance(value, dict):
                value = value.get("id")
            if isinstance(value, (int, str)) and not isinstance(value, bool):
                return value
    return None


def _created(number: int, total: int) -> str:
    if number == 1:
        return "nothing was created"
    return (f"requests 1 to {number - 1} of {total} were sent and created records; "
            "remove them in the PSA before pushing again")


def send(export: Export, environ: Mapping[str, str]) -> list[Any]:
    """Send every request in order; the ids the PSA returned."""
    api = export.api
    base = _check_ready(export, environ)
    headers = dict(_fixed_headers())
    for credential in api.credentials:
        headers[credential.header] = credential.compose([environ[v] for v in credential.variables])
    ids: dict[int, Any] = {}
    total = len(export.requests)
    for number, request in enumerate(export.requests, 1):
        sent = Request(request.method, _substitute(request.path, ids), _substitute(request.body, ids))
        url = base + sent.path
        http = urllib.request.Request(url, data=json.dumps(sent.body).encode("utf-8"), method=sent.method,
                                      headers=headers)
        try:
            with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise PushFailed(f"{api.title} refused request {number} of {total} ({sent.method} {url}): "
                             f"HTTP {error.code} {error.reason}; {_created(number, total)}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise PushFailed(f"could not reach {api.title} at {base} (request {number} of {total}, "
                             f"{sent.method} {sent.path}): {reason}; {_created(number, total)}") from None
        try:
            payload = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise PushFailed(f"{api.title} answered request {number} of {total} ({sent.method} {url}) with "
                             f"something other than JSON; {_created(number + 1, total)}") from None
        ids[number] = _new_id(payload, api)
        needed = any(f"{{id of request {number}}}" in json.dumps(r.as_data()) for r in export.requests[number:])
        if needed and ids[number] is None:
            raise PushFailed(f"{api.title} answered request {number} of {total} without the id of what it "
                             f"created, which the next requests need; {_created(number + 1, total)}")
    return [ids[n] for n in sorted(ids)]
