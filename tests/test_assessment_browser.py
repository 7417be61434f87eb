"""The assessment in real headless Chromium: the JavaScript gives exactly what the Python gives
(same personas, scores and reasons) over a table of answer sets, and the page shows that result
on screen, in print, from a reopened link and from file://."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.features import load_knowledge_base
from generator.features.assessment import model as assessment
from tests.conftest import FIXTURES, REPO, run_kb, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return assessment.kb_data(load_knowledge_base(REPO))


@pytest.fixture(scope="module")
def page(browser: Any, bundled_url: str) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(bundled_url + "assessment/")
    wait_until(tab, "window.kbAssessment !== undefined")
    yield tab
    assert errors == []
    context.close()


def js_evaluate(page: Any, data: dict[str, Any], sets: list[dict[str, str]]) -> list[dict[str, Any]]:
    return page.evaluate("([data, sets]) => sets.map(a => window.kbAssessment.evaluate(data, a))", [data, sets])


def by_index(data: dict[str, Any], index: int) -> dict[str, str]:
    return {q["id"]: q["options"][min(index, len(q["options"]) - 1)]["id"] for q in data["questions"]}


def with_points(data: dict[str, Any], base: dict[str, str], dim: str, target: int) -> dict[str, str]:
    """base, with the questions shown under dim changed so that dim gets exactly target points."""
    answers = dict(base)
    own = [q for q in data["questions"] if q["dimension"] == dim]
    chosen = {q["id"]: next(o for o in q["options"] if o["id"] == answers[q["id"]]) for q in data["questions"]}
    remaining = target - sum(chosen[q["id"]]["scores"].get(dim, 0) for q in data["questions"] if q not in own)
    for question in own:
        best = max(question["options"], key=lambda o: (o["scores"].get(dim, 0) <= remaining, o["scores"].get(dim, 0)))
        answers[question["id"]] = best["id"]
        remaining -= best["scores"].get(dim, 0)
    assert remaining == 0, (dim, target)
    return answers


def edge_sets(data: dict[str, Any]) -> list[tuple[str, dict[str, str], str, int]]:
    """For every dimension and every threshold, the highest score below it and the lowest at or
    above it, against a strong and a middling background: (name, answers, dimension, points)."""
    maxima = assessment.maxima(data)
    out = []
    for dim in maxima:
        edges: list[int] = []
        for level in data["levels"][:-1]:
            below = max(p for p in range(maxima[dim] + 1) if 100 * p // maxima[dim] < level["below"])
            edges += [below, below + 1]
        for background_name, background in (("strong", by_index(data, 3)), ("middling", by_index(data, 2))):
            for points in edges:
                out.append((f"{dim}={points}/{maxima[dim]} on {background_name}",
                            with_points(data, background, dim, points), dim, points))
    return out


def answer_table(data: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    table = [(f"every answer number {i + 1}", by_index(data, i)) for i in range(4)]
    table += [(name, answers) for name, answers, _, _ in edge_sets(data)]
    for path in sorted((FIXTURES / "assessment").glob("*.yaml")):
        if path.stem != "sample-assessment":
            table.append((path.name, dict(line.split(": ") for line in path.read_text().splitlines()
                                          if line and not line.startswith("#"))))
    rng = random.Random(20261130)
    table += [(f"random {n}", {q["id"]: rng.choice(q["options"])["id"] for q in data["questions"]}) for n in range(120)]
    return table


def test_edge_sets_sit_on_both_sides_of_every_threshold(data: dict[str, Any]) -> None:
    sets = edge_sets(data)
    assert len(sets) == 5 * 4 * 2
    for name, answers, dim, points in sets:
        score = assessment.evaluate(data, answers)["scores"][dim]
        assert score["points"] == points, name
    levels = {(dim, assessment.evaluate(data, a)["scores"][dim]["level"]) for _, a, dim, _ in sets}
    assert levels == {(d["id"], lv["id"]) for d in data["dimensions"] for lv in data["levels"]}


def test_javascript_and_python_agree_on_every_answer_set(page: Any, data: dict[str, Any]) -> None:
    table = answer_table(data)
    assert len(table) >= 30 + 120
    python = [assessment.evaluate(data, answers) for _, answers in table]
    browser = js_evaluate(page, data, [answers for _, answers in table])
    for (name, _), expected, got in zip(table, python, browser, strict=True):
        assert got == expected, name
    assert {r["persona"] for r in python} == {"unaware", "risk-averse", "ready"}


def test_exact_thresholds_and_rounding_agree(page: Any, sample: Path) -> None:
    shutil.copy(FIXTURES / "assessment/sample-assessment.yaml", sample / "content/assessment.yaml")
    small = assessment.kb_data(load_knowledge_base(sample))
    sets = [{"access-level": a, "policy-thirds": p}
            for a in ("p0", "p39", "p40", "p74", "p75", "p100") for p in ("t0", "t1", "t2", "t3")]
    python = [assessment.evaluate(small, answers) for answers in sets]
    assert js_evaluate(page, small, sets) == python
    levels = {(s["access-level"], r["scores"]["access"]["level"]) for s, r in zip(sets, python, strict=True)}
    assert levels == {("p0", "weak"), ("p39", "weak"), ("p40", "partial"), ("p74", "partial"),
                      ("p75", "strong"), ("p100", "strong")}
    assert [r["scores"]["policy"]["percent"] for r in python[:4]] == [0, 33, 66, 100]
    assert python[-1]["persona"] == "advanced" and python[-2]["rules"] == ["partly-there"]


def shown(page: Any) -> dict[str, Any]:
    """What the result section says, read from the page as a user sees it."""
    page.wait_for_selector("#kb-assessment-result:not([hidden])")
    return {
        "persona": page.get_attribute("#kb-assessment-result", "data-persona"),
        "name": page.inner_text("#kb-result-persona"),
        "reasons": page.locator("#kb-result-reasons li").all_inner_texts(),
        "playbooks": page.locator("#kb-result-playbooks a").all_inner_texts(),
        "links": [a.get_attribute("href") for a in page.locator("#kb-result-playbooks a").all()],
        "scores": page.locator("#kb-result-scores tr").all_inner_texts(),
        "weakest": page.inner_text("#kb-result-weakest"),
    }


def test_result_is_the_same_on_screen_in_print_from_the_link_and_in_kb_assess(
        browser: Any, bundled_url: str, data: dict[str, Any]) -> None:
    cli = json.loads(run_kb("assess", "--answers", FIXTURES / "assessment/risk-averse.yaml", "--json", root=REPO).stdout)
    tab = browser.new_page()
    try:
        # Thirteen answers arrive in the link, the first two are clicked as a technician would.
        clicked = dict(list(cli["answers"].items())[:2])
        tab.goto(bundled_url + "assessment/#" + assessment.fragment(data, {
            q: o for q, o in cli["answers"].items() if q not in clicked}))
        assert tab.is_hidden("#kb-assessment-result")
        for qid, oid in clicked.items():
            tab.check(f'input[name="{qid}"][value="{oid}"]')
        on_screen = shown(tab)
        assert on_screen["persona"] == cli["persona"] and on_screen["name"] == cli["persona_name"]
        assert on_screen["reasons"] == cli["reasons"]
        assert on_screen["playbooks"] == [p["title"] for p in cli["playbooks"]]
        assert on_screen["links"] == [p["url"].replace("https://kb.example-msp.com/", "../") for p in cli["playbooks"]]
        assert on_screen["scores"][0] == "Data centralisation\t4 of 9\t44%\tPartial"
        assert on_screen["weakest"] == "Data centralisation (44%, Partial)"
        assert tab.is_hidden("#kb-assessment-error")
        link = tab.input_value("#kb-result-link")
        assert link == bundled_url + "assessment/" + cli["url"].removeprefix("https://kb.example-msp.com/assessment/")

        tab.emulate_media(media="print")
        assert tab.is_hidden(".kb-assessment-questions") and tab.is_hidden("#kb-assessment-error")
        assert tab.is_visible("#kb-result-reasons") and tab.is_visible("#kb-result-answers")
        assert tab.inner_text("#kb-result-url") == link
        assert shown(tab) == on_screen
        tab.emulate_media(media="screen")

        reopened = browser.new_page()
        reopened.goto(link)
        assert shown(reopened) == on_screen
        assert reopened.is_checked('input[name="working-data"][value="scattered"]')
        reopened.close()
    finally:
        tab.close()


def test_changing_an_answer_updates_the_result_and_the_link(browser: Any, bundled_url: str, data: dict[str, Any]) -> None:
    answers = by_index(data, 3)
    tab = browser.new_page()
    try:
        tab.goto(bundled_url + "assessment/#" + assessment.fragment(data, answers))
        assert shown(tab)["persona"] == "ready"
        tab.check('input[name="working-data"][value="scattered"]')
        tab.check('input[name="authoritative-copy"][value="nobody"]')
        tab.wait_for_selector('#kb-assessment-result[data-persona="unaware"]')
        assert "working-data=scattered&authoritative-copy=nobody" in tab.url
        tab.click("#kb-assessment-clear")
        tab.wait_for_selector("#kb-assessment-result[hidden]", state="attached")
        assert tab.inner_text("#kb-assessment-status").startswith("0 of 15 questions answered.")
        assert tab.url.endswith("/assessment/")
    finally:
        tab.close()


def test_bad_links_give_a_clear_message(browser: Any, bundled_url: str, data: dict[str, Any]) -> None:
    answers = by_index(data, 1)
    tab = browser.new_page()
    try:
        fragment = assessment.fragment(data, answers).replace("mfa=admins", "mfa=sometimes") + "&colour=blue"
        tab.goto(bundled_url + "assessment/#" + fragment)
        tab.wait_for_selector("#kb-assessment-error:not([hidden])")
        assert tab.locator("#kb-assessment-problems li").all_inner_texts() == [
            "mfa: unknown option 'sometimes' (expected one of: none, admins, most, everyone)",
            "unknown question 'colour'",
        ]
        assert tab.is_hidden("#kb-assessment-result")
        tab.goto(bundled_url + "assessment/#working-data=cloud")
        wait_until(tab, "document.getElementById('kb-assessment-error').hidden")
        assert tab.inner_text("#kb-assessment-status") == (
            "1 of 15 questions answered. Still to answer: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15.")
    finally:
        tab.close()


def test_works_from_file_without_a_server(browser: Any, bundled_site: Path, data: dict[str, Any]) -> None:
    answers = by_index(data, 0)
    tab = browser.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    try:
        tab.goto((bundled_site / "assessment/index.html").as_uri() + "#" + assessment.fragment(data, answers))
        result = shown(tab)
        assert result["persona"] == "unaware"
        assert result["links"][0] == "../playbooks/assess-ai-readiness/index.html"
        assert all(url.startswith("file://") for url in requests), requests
    finally:
        tab.close()


def test_a_link_naming_object_internals_or_thousands_of_answers_is_read_plainly(browser: Any, bundled_url: str) -> None:
    """`#__proto__=x` broke the page (a question looked up on a plain object found Object's own
    properties), and 20,000 answers took seconds (a linear search per key): issue 15."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(bundled_url + "assessment/#__proto__=x&constructor=y&toString=z")
        tab.wait_for_selector("#kb-assessment-error:not([hidden])")
        assert tab.locator("#kb-assessment-problems li").all_inner_texts() == [
            "unknown question '__proto__'", "unknown question 'constructor'", "unknown question 'toString'"]
        tab.goto(bundled_url + "assessment/#" + "&".join(f"q{n}=x" for n in range(20_000)))
        wait_until(tab, "document.querySelector('#kb-assessment-problems li')?.textContent"
                        " === 'the link holds 20000 answers; only the first 1000 are read'")
        assert tab.locator("#kb-assessment-problems li").count() == 1001
    finally:
        tab.close()
    assert errors == []
