"""`kb assess`: the readiness assessment in the terminal, scored by the same function and data
as the assessment page, from an answers file or by asking the questions one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from generator.core import urls
from generator.core.errors import ContentError, Problem
from generator.core.load import read_yaml
from generator.features.assessment import model as assessment
from generator.support.commands import load, reports_problems


def _ask(data: dict[str, Any]) -> dict[str, str]:
    names = {d["id"]: d["name"] for d in data["dimensions"]}
    answers: dict[str, str] = {}
    total = len(data["questions"])
    for number, question in enumerate(data["questions"], 1):
        click.echo(f"\n{number}/{total} [{names[question['dimension']]}] {question['text']}", err=True)
        for index, option in enumerate(question["options"], 1):
            click.echo(f"  {index}. {option['text']}", err=True)
        choice = click.prompt("Answer", type=click.IntRange(1, len(question["options"])), err=True)
        answers[question["id"]] = question["options"][choice - 1]["id"]
    click.echo("", err=True)
    return answers


def _read_answers(data: dict[str, Any], path: Path) -> dict[str, str]:
    document = read_yaml(path, Path.cwd())
    problems = assessment.answer_problems(data, document.data, document.rel)
    if problems:
        raise ContentError(problems)
    return {str(k): str(v) for k, v in document.data.items()}


def _show(report: dict[str, Any], names: dict[str, str], level_names: dict[str, str]) -> None:
    click.echo(f"Persona: {report['persona_name']} ({report['persona']})")
    click.echo("Reasons:")
    for reason in report["reasons"]:
        click.echo(f"  - {reason}")
    click.echo("Scores:")
    width = max(len(n) for n in names.values())
    for dim, score in report["scores"].items():
        points = f"{score['points']}/{score['max']}"
        click.echo(f"  {names[dim]:<{width}}  {points:>5}  {score['percent']:>3}%  {level_names[score['level']]}")
    weakest = ", ".join(names[d] for d in report["weakest"]) or "none (every dimension is at the highest level)"
    click.echo(f"Weakest: {weakest}")
    click.echo("Playbooks, in order:")
    for number, playbook in enumerate(report["playbooks"], 1):
        click.echo(f"  {number}. {playbook['title']}  {playbook['url']}")
    click.echo(f"Open this result in the browser: {report['url']}")


@click.command()
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML or JSON mapping of question id to option id. Without it, the questions are asked.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_problems
def assess(ctx: click.Context, answers_file: Path | None, as_json: bool) -> None:
    """Run the assessment: persona, scores, reasons and playbooks."""
    kb = load(ctx)
    if not isinstance(kb.documents.get("assessment"), assessment.Assessment):
        raise ContentError([Problem("content/assessment.yaml", 1, "this knowledge base has no assessment (add content/assessment.yaml)")])
    data = assessment.kb_data(kb)
    answers = _read_answers(data, answers_file) if answers_file else _ask(data)
    result = assessment.evaluate(data, answers)
    persona = data["personas"][result["persona"]]
    page = kb.site.base_url + urls.url_of(assessment.PAGE)
    report = {
        "persona": result["persona"],
        "persona_name": persona["name"],
        "reasons": result["reasons"],
        "rules": result["rules"],
        "scores": result["scores"],
        "weakest": result["weakest"],
        "playbooks": [{"id": p["id"], "title": p["title"], "url": kb.site.base_url + p["path"]} for p in persona["playbooks"]],
        "answers": {q["id"]: answers[q["id"]] for q in data["questions"]},
        "url": f"{page}#{assessment.fragment(data, answers)}",
    }
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    _show(report, {d["id"]: d["name"] for d in data["dimensions"]}, {lv["id"]: lv["name"] for lv in data["levels"]})
