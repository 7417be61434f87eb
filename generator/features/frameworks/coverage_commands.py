"""`kb coverage`: the coverage matrix and gap list of one framework, as Markdown, CSV or JSON.

The numbers are generator.features.frameworks.coverage's, the same the coverage page shows.
"""

from __future__ import annotations

import json
from typing import Any

import click

from generator.core import csvsafe
from generator.core.link import KnowledgeBase, closest_hint
from generator.features.frameworks.coverage import ALL, Coverage, Row, coverage


def column_name(kb: KnowledgeBase, column: str) -> str:
    return "All guidance" if column == ALL else kb.personas[column].name


def as_json(kb: KnowledgeBase, report: Coverage, persona: str | None) -> dict[str, Any]:
    """The documented JSON shape (README, `kb coverage`)."""
    fw = kb.frameworks[report.framework_id]
    return {
        "framework": {"id": fw.id, "name": fw.name, "version": fw.version},
        "persona": persona,
        "columns": [{"id": c, "name": column_name(kb, c)} for c in report.columns],
        "outcomes": report.outcomes,
        "addressed": report.addressed,
        "controls": [
            {
                "id": row.node.control.id,
                "title": row.node.control.title,
                "kind": row.node.control.kind,
                "parent": row.node.parent.control.id if row.node.parent else None,
                "depth": row.node.depth,
                "outcomes": row.outcomes,
                "items": row.items,
                "addressed": row.addressed,
            }
            for row in report.walk()
        ],
        "gaps": [
            {
                "id": gap.node.control.id,
                "title": gap.node.control.title,
                "parent": gap.node.parent.control.id if gap.node.parent else None,
                "related": [{"framework": n.framework.id, "id": n.control.id} for n in gap.related],
            }
            for gap in report.gaps
        ],
    }


def as_csv(report: Coverage) -> str:
    """One row per control (wide: items and addressed outcomes per column), for spreadsheets."""
    per_column = [f"{c}_{what}" for c in report.columns for what in ("items", "addressed")]
    gaps = {gap.node.key for gap in report.gaps}
    rows = []
    for row in report.walk():
        node = row.node
        counts = [n for c in report.columns for n in (row.items[c], row.addressed[c])]
        parent = node.parent.control.id if node.parent else ""
        gap = "yes" if node.key in gaps else ""
        rows.append([node.control.id, node.control.title, node.control.kind, parent, node.depth,
                     row.outcomes, *counts, gap])
    return csvsafe.write(["id", "title", "kind", "parent", "depth", "outcomes", *per_column, "gap"], rows)


def _cell(row: Row, column: str) -> str:
    return f"{row.items[column]} ({row.addressed[column]}/{row.outcomes})" if row.outcomes else str(row.items[column])


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    # A terminal table, not site presentation: the site's matrix lives in coverage.md.j2.
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in rows)]


def as_markdown(kb: KnowledgeBase, report: Coverage) -> str:
    fw = kb.frameworks[report.framework_id]
    name = fw.short_name or fw.name
    scope = "all guidance" if report.scope == ALL else f"guidance for {column_name(kb, report.scope)}"
    lines = [
        f"# Coverage of {name} ({fw.id})",
        "",
        f"{report.addressed} of {report.outcomes} outcomes addressed by {scope}; {len(report.gaps)} gap{'' if len(report.gaps) == 1 else 's'}.",
        "Cells: guidance items (outcomes addressed/outcomes below).",
        "",
    ]
    lines += _table(
        ["Persona", *(r.node.control.id for r in report.rows)],
        [[column_name(kb, c), *(_cell(r, c) for r in report.rows)] for c in report.columns],
    )
    for top in report.rows:
        if top.children:
            lines += ["", f"## {top.node.control.id} {top.node.control.title}", ""]
            lines += _table(
                [top.children[0].node.control.kind.capitalize(), *(column_name(kb, c) for c in report.columns)],
                [[f"{r.node.control.id} {r.node.control.title}", *(_cell(r, c) for c in report.columns)]
                 for r in top.children],
            )
    lines += ["", f"## Gaps ({len(report.gaps)})", ""]
    for gap in report.gaps:
        related = ", ".join(f"{n.framework.short_name or n.framework.name} {n.control.id}" for n in gap.related)
        lines.append(f"- {gap.node.control.id} {gap.node.control.title}" + (f" (related: {related})" if related else ""))
    if not report.gaps:
        lines.append("Every outcome is addressed.")
    return "\n".join(lines) + "\n"


@click.command(name="coverage")
@click.option("--framework", "framework_id", required=True, metavar="ID", help="Framework id, e.g. nist-csf-2.0.")
@click.option("--persona", "persona_id", default=None, metavar="P",
              help="Only this persona's guidance (gaps are then that persona's gaps).")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True)
@click.pass_context
def coverage_command(ctx: click.Context, framework_id: str, persona_id: str | None, fmt: str) -> None:
    """Coverage matrix and gaps of a framework: guidance items per persona and control."""
    # generator.cli.app registers this command, so import it here rather than at module level.
    from generator.support.commands import reports_problems

    reports_problems(_report)(ctx, framework_id, persona_id, fmt)


def _report(ctx: click.Context, framework_id: str, persona_id: str | None, fmt: str) -> None:
    from generator.support.commands import load

    kb = load(ctx)
    for option, value, known in (("--framework", framework_id, kb.frameworks), ("--persona", persona_id, kb.personas)):
        if value is not None and value not in known:
            raise click.BadParameter(
                f"unknown id '{value}' (known: {', '.join(known)}){closest_hint(value, known)}", param_hint=f"'{option}'"
            )
    report = coverage(kb, framework_id, persona_id)
    if fmt == "json":
        click.echo(json.dumps(as_json(kb, report, persona_id), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(as_csv(report), nl=False)
    else:
        click.echo(as_markdown(kb, report), nl=False)
