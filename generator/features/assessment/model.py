"""The readiness assessment: its model, its checks, and the one scoring function.

`content/assessment.yaml` is modelled here and checked against the personas at link time.
`to_data()` turns it into plain JSON data; `evaluate()` scores answers against that data. The
page's JavaScript (site_templates/assets/assessment.js) evaluates the very same data with the
same arithmetic, so the browser and `kb assess` cannot disagree:

- a dimension's points are the sum of the chosen options' points for it; its maximum is the
  sum over questions of the highest points any option of the question gives it;
- its percent is floor(100 * points / maximum) (integers only);
- its level is the first level whose `below` is greater than the percent (the last level has
  no `below` and takes the rest);
- the first rule whose conditions all hold decides the persona; every later rule for the same
  persona whose conditions hold adds its reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, cast
from urllib.parse import quote

from pydantic import Field

from generator.core import urls
from generator.core.errors import Problem
from generator.core.model import Markdown, Node, Slug, Text

if TYPE_CHECKING:
    from generator.core.link import KnowledgeBase
    from generator.core.model import Persona

#: Above this many combinations of levels the exhaustive coverage check would be too slow.
MAX_COMBINATIONS = 200_000
PAGE = "assessment/index.md"
SCORING_PAGE = "assessment/scoring.md"
RULES_FILE = "assessment/rules.json"

Points = Annotated[int, Field(ge=0, le=100)]


class Level(Node):
    id: Slug
    name: Text
    below: int | None = Field(default=None, ge=1, le=100, description="Percent this level stays under.")


class Dimension(Node):
    id: Slug
    name: Text
    description: Markdown | None = None


class Option(Node):
    id: Slug
    text: Text
    scores: dict[Slug, Points] = Field(default_factory=dict, description="Points per dimension.")


class Question(Node):
    id: Slug
    dimension: Slug = Field(description="The dimension the question is shown under.")
    text: Text
    help: Text | None = None
    options: list[Option] = Field(min_length=2)


class Condition(Node):
    """`any_of`/`all_of` dimensions are `level` (exactly), `at_least` or `at_most` a level."""

    any_of: Annotated[list[Slug], Field(min_length=1)] | None = None
    all_of: Annotated[list[Slug], Field(min_length=1)] | None = None
    level: Slug | None = None
    at_least: Slug | None = None
    at_most: Slug | None = None


class Rule(Node):
    id: Slug
    persona: Slug
    when: list[Condition] = Field(default_factory=list, description="All must hold; empty: always.")
    reason: Text


class Assessment(Node):
    """content/assessment.yaml."""

    title: Text
    intro: Markdown | None = None
    levels: list[Level] = Field(min_length=2)
    dimensions: list[Dimension] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)


# --- Checks (called from link, where the personas are known) ----------------------------------


def _closest(value: str, choices: list[str]) -> str:
    from generator.core.link import closest_hint

    return closest_hint(value, choices)


class _Checker:
    def __init__(self, assessment: Assessment, personas: Mapping[str, Any]) -> None:
        self.a = assessment
        self.personas = personas
        self.problems: list[Problem] = []

    def problem(self, node: Node, message: str, field: str | None = None) -> None:
        path, line = node.where_field(field) if field else node.where
        self.problems.append(Problem(path, line, message))

    def unique(self, what: str, items: list[Any], owner: str = "") -> list[str]:
        seen: list[str] = []
        for item in items:
            if item.id in seen:
                self.problem(item, f"duplicate {what} id '{item.id}'{owner}", "id")
            else:
                seen.append(item.id)
        return seen

    def known(self, node: Node, what: str, value: str, choices: list[str], field: str) -> None:
        if value not in choices:
            self.problem(node, f"{field}: unknown {what} '{value}'{_closest(value, choices)}", field)

    def run(self) -> list[Problem]:
        a = self.a
        levels = self.unique("level", a.levels)
        dims = self.unique("dimension", a.dimensions)
        self.unique("question", a.questions)
        self.unique("rule", a.rules)
        previous: int | None = None
        for i, level in enumerate(a.levels):
            if i == len(a.levels) - 1:
                if level.below is not None:
                    self.problem(level, f"level '{level.id}' is the highest, so it takes every score left: remove 'below'", "below")
            elif level.below is None:
                self.problem(level, f"level '{level.id}' needs 'below' (the percent it stays under); only the last level has none")
            elif previous is not None and level.below <= previous:
                self.problem(level, f"level '{level.id}': 'below' must be greater than {previous} (levels go from lowest to highest)", "below")
            previous = level.below if level.below is not None else previous
        scored: set[str] = set()
        for question in a.questions:
            self.known(question, "dimension", question.dimension, dims, "dimension")
            self.unique("option", question.options, f" in question '{question.id}'")
            for option in question.options:
                for dim_id, points in option.scores.items():
                    self.known(option, "dimension", dim_id, dims, "scores")
                    if points:
                        scored.add(dim_id)
        for dim in a.dimensions:
            if dim.id not in scored:
                self.problem(dim, f"dimension '{dim.id}' is not scored by any answer option (it would always be 0 of 0)")
        for rule in a.rules:
            self.known(rule, "persona", rule.persona, list(self.personas), "persona")
            if getattr(self.personas.get(rule.persona), "audience", "client") == "internal":
                self.problem(rule, f"persona: '{rule.persona}' is internal, but the assessment is published "
                             "in client builds too (make the persona audience: client)", "persona")
            for cond in rule.when:
                self.condition(cond, dims, levels)
        if not self.problems:
            self.coverage(dims, levels)
        return self.problems

    def condition(self, cond: Condition, dims: list[str], levels: list[str]) -> None:
        which = [k for k in ("any_of", "all_of") if getattr(cond, k) is not None]
        compare = [k for k in ("level", "at_least", "at_most") if getattr(cond, k) is not None]
        if len(which) != 1:
            self.problem(cond, "a condition needs exactly one of 'any_of' or 'all_of' (a list of dimension ids), "
                         "e.g. {any_of: [data], level: weak}")
        if len(compare) != 1:
            self.problem(cond, "a condition needs exactly one of 'level', 'at_least' or 'at_most' (a level id), "
                         "e.g. {any_of: [data], level: weak}")
        for key in which:
            for dim in getattr(cond, key):
                self.known(cond, "dimension", dim, dims, key)
        for key in compare:
            self.known(cond, "level", getattr(cond, key), levels, key)

    def coverage(self, dims: list[str], levels: list[str]) -> None:
        """Prove every answer set gets a persona: rules only see levels, so trying every
        combination of levels over the dimensions covers every possible answer set."""
        count = len(levels) ** len(dims)
        if count > MAX_COMBINATIONS:
            self.problem(self.a, f"{len(levels)} levels over {len(dims)} dimensions make {count:,} combinations, "
                         f"too many to check that every answer set is covered (at most {MAX_COMBINATIONS:,})")
            return
        rules = [_rule_data(r) for r in self.a.rules]
        uncovered: list[dict[str, str]] = []
        used: set[str] = set()
        for combo in itertools.product(levels, repeat=len(dims)):
            by_dim = dict(zip(dims, combo, strict=True))
            decided = _decide(rules, by_dim, levels)
            if decided is None:
                uncovered.append(by_dim)
            else:
                used.update(decided[1])
        if uncovered:
            shown = "; ".join(", ".join(f"{d} {lv}" for d, lv in combo.items()) for combo in uncovered[:3])
            more = f" and {len(uncovered) - 3} more" if len(uncovered) > 3 else ""
            self.problem(self.a, f"no rule covers {len(uncovered)} combination(s) of levels, e.g. {shown}{more} "
                         "(add a last rule without 'when' as a catch-all)", "rules")
        for rule in self.a.rules:
            if rule.id not in used and not uncovered:
                self.problem(rule, f"rule '{rule.id}' never applies: earlier rules decide every case it matches "
                             "for another persona (move it up or remove it)")


def check(kb: KnowledgeBase) -> list[Problem]:
    """The one link-time hook: the assessment (if any) against itself and the personas."""
    assessment = kb.documents.get("assessment")
    if not isinstance(assessment, Assessment):
        return []
    return _Checker(assessment, kb.personas).run()


# --- The data both evaluators read -------------------------------------------------------------


def _rule_data(rule: Rule) -> dict[str, Any]:
    when = []
    for cond in rule.when:
        item: dict[str, Any] = {}
        for key in ("any_of", "all_of", "level", "at_least", "at_most"):
            if getattr(cond, key) is not None:
                item[key] = getattr(cond, key)
        when.append(item)
    return {"id": rule.id, "persona": rule.persona, "when": when, "reason": rule.reason}


def to_data(assessment: Assessment, personas: Mapping[str, Persona], playbook_titles: Mapping[str, str]) -> dict[str, Any]:
    """The assessment as plain JSON data; paths are relative to the site root."""
    used = list(dict.fromkeys(rule.persona for rule in assessment.rules))
    return {
        "title": assessment.title,
        "levels": [{"id": lv.id, "name": lv.name, "below": lv.below} for lv in assessment.levels],
        "dimensions": [{"id": d.id, "name": d.name} for d in assessment.dimensions],
        "questions": [
            {
                "id": q.id,
                "dimension": q.dimension,
                "text": q.text,
                "options": [{"id": o.id, "text": o.text, "scores": dict(o.scores)} for o in q.options],
            }
            for q in assessment.questions
        ],
        "rules": [_rule_data(r) for r in assessment.rules],
        "personas": {
            pid: {
                "name": personas[pid].name,
                "path": urls.url_of(urls.doc_path("persona", pid)),
                "playbooks": [
                    {"id": b, "title": playbook_titles[b], "path": urls.url_of(urls.doc_path("playbook", b))}
                    for b in personas[pid].playbooks
                ],
            }
            for pid in used
        },
    }


def kb_data(kb: KnowledgeBase) -> dict[str, Any]:
    return to_data(cast(Assessment, kb.documents["assessment"]), kb.personas, {pid: p.title for pid, p in kb.playbooks.items()})


# --- Evaluation (mirrored line for line in assessment.js) -------------------------------------


def _holds(cond: dict[str, Any], level_of: Mapping[str, str], ranks: Mapping[str, int]) -> bool:
    dims = cond.get("any_of") or cond.get("all_of") or []
    if "level" in cond:
        tests = [ranks[level_of[d]] == ranks[cond["level"]] for d in dims]
    elif "at_least" in cond:
        tests = [ranks[level_of[d]] >= ranks[cond["at_least"]] for d in dims]
    else:
        tests = [ranks[level_of[d]] <= ranks[cond["at_most"]] for d in dims]
    return any(tests) if "any_of" in cond else all(tests)


def _decide(rules: list[dict[str, Any]], level_of: Mapping[str, str], levels: list[str]) -> tuple[str, list[str]] | None:
    """(persona, ids of the rules that give the reasons), or None when no rule matches."""
    ranks = {lv: i for i, lv in enumerate(levels)}
    persona: str | None = None
    fired: list[str] = []
    for rule in rules:
        if persona is not None and rule["persona"] != persona:
            continue
        if all(_holds(c, level_of, ranks) for c in rule["when"]):
            persona = rule["persona"]
            fired.append(rule["id"])
    return (persona, fired) if persona is not None else None


def maxima(data: Mapping[str, Any]) -> dict[str, int]:
    """The most points each dimension can get: per question, the best option for it."""
    out = {d["id"]: 0 for d in data["dimensions"]}
    for question in data["questions"]:
        for dim in out:
            out[dim] += max(option["scores"].get(dim, 0) for option in question["options"])
    return out


def evaluate(data: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """Score complete, valid answers (see answer_problems) against the assessment data."""
    dims = [d["id"] for d in data["dimensions"]]
    levels = [lv["id"] for lv in data["levels"]]
    points = dict.fromkeys(dims, 0)
    maximum = maxima(data)
    for question in data["questions"]:
        chosen = next(o for o in question["options"] if o["id"] == answers[question["id"]])
        for dim, value in chosen["scores"].items():
            points[dim] += value
    scores: dict[str, dict[str, Any]] = {}
    for dim in dims:
        percent = 100 * points[dim] // maximum[dim]
        level = next(lv["id"] for lv in data["levels"] if lv["below"] is None or percent < lv["below"])
        scores[dim] = {"points": points[dim], "max": maximum[dim], "percent": percent, "level": level}
    decided = _decide(data["rules"], {d: s["level"] for d, s in scores.items()}, levels)
    assert decided is not None, "link-time coverage check guarantees a matching rule"
    persona, fired = decided
    reasons = [r["reason"] for r in data["rules"] if r["id"] in fired]
    lowest = min(s["percent"] for s in scores.values())
    weakest = [d for d in dims if scores[d]["percent"] == lowest and scores[d]["level"] != levels[-1]]
    return {"persona": persona, "rules": fired, "reasons": reasons, "scores": scores, "weakest": weakest}


def answer_problems(data: Mapping[str, Any], answers: Any, rel: str) -> list[Problem]:
    """Everything wrong with an answers mapping (from a YAML file), located by line."""
    line_of = getattr(answers, "key_lines", {})
    top = getattr(answers, "line", 1)
    if not isinstance(answers, dict):
        return [Problem(rel, top, "expected a mapping of question id to option id, e.g. 'mfa: everyone'")]
    questions = {q["id"]: q for q in data["questions"]}
    problems = []
    for qid, oid in answers.items():
        line = line_of.get(qid, top)
        if qid not in questions:
            problems.append(Problem(rel, line, f"unknown question '{qid}'{_closest(str(qid), list(questions))}"))
            continue
        options = [o["id"] for o in questions[qid]["options"]]
        if not isinstance(oid, str) or oid not in options:
            problems.append(Problem(rel, line, f"{qid}: unknown option {oid!r} (expected one of: {', '.join(options)})"))
    missing = [qid for qid in questions if qid not in answers]
    if missing:
        problems.append(Problem(rel, top, f"missing answer(s) for: {', '.join(missing)}"))
    return problems


def fragment(data: Mapping[str, Any], answers: Mapping[str, str]) -> str:
    """The URL fragment that reopens these answers on the assessment page."""
    return "&".join(f"{quote(q['id'])}={quote(answers[q['id']])}" for q in data["questions"] if q["id"] in answers)
