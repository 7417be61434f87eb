"""Framework data -> stable, readable YAML that generator.core.model.Framework accepts."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from generator.core.errors import ContentError, Problem
from generator.core.model import Crosswalk, Framework


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, never an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    """Lists of ids, such as replaced_by: [PR.AA-01, PR.AA-05], stay on one line."""
    flow = bool(items) and all(isinstance(item, str) and len(item) < 40 for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _comment(header_comment: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in header_comment.splitlines())


def _validated(model: type[Framework] | type[Crosswalk], data: dict[str, Any]) -> dict[str, Any]:
    """data in the model's key order, without defaults; a ContentError if it does not fit."""
    try:
        checked = model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(
                f"<{model.__name__} {data.get('id', '?')}>",
                0,
                f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}",
            )
            for e in error.errors()
        ]
        raise ContentError(problems) from None
    return checked.model_dump(mode="json", exclude_defaults=True)


def dump_yaml(data: dict[str, Any], header_comment: str) -> str:
    """header_comment as `#` lines, then data as block YAML, keys in the order given."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return _comment(header_comment) + body


def dump_framework(data: dict[str, Any], header_comment: str) -> str:
    """YAML text for one frameworks/<id>.yaml: the header comment, then the data in model order."""
    return dump_yaml(_validated(Framework, data), header_comment)


def dump_crosswalk(data: dict[str, Any], header_comment: str) -> str:
    """YAML text for one frameworks/crosswalks/<id>.yaml."""
    return dump_yaml(_validated(Crosswalk, data), header_comment)
