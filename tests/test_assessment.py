"""The readiness assessment without a browser: `kb assess`, validation of the rules (coverage
proven over every level combination), the weakest-dimension floor, and the pages it renders."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.features import load_knowledge_base
from generator.features.assessment import model as assessment
from tests.conftest import FIXTURES, REPO, edit, run_kb

ANSWERS = FIXTURES / "assessment"


@pytest.fixture
def with_assessment(sample: Path) -> Path:
    """The sample tree with the small sample assessment added."""
    shutil.copy(ANSWERS / "sample-assessment.yaml", sample / "content/assessment.yaml")
    return sample


def assess_json(*args: str | Path) -> dict:
    result = run_kb("assess", *args, "--json", root=REPO)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- kb assess -----------------------------------------------------------------------------------


def test_unaware_client_from_an_answers_file() -> None:
    report = assess_json("--answers", ANSWERS / "unaware.yaml")
    assert report["persona"] == "unaware"
    assert report["rules"] == ["data-scattered", "identity-missing"]
    assert report["reasons"][0].startswith("Working data is spread across local drives, inboxes and old servers, "
                                           "so modernisation comes first")
    assert report["weakest"] == ["data", "identity", "policy", "shadow-ai", "nhi"]
    assert report["scores"]["nhi"] == {"points": 0, "max": 11, "percent": 0, "level": "weak"}
    assert [p["id"] for p in report["playbooks"]] == [
        "assess-ai-readiness", "discover-shadow-ai", "modernise-data-and-access", "secrets-and-service-account-hygiene",
        "secure-msp-own-access"]
    assert report["playbooks"][0]["url"] == "https://kb.example-msp.com/playbooks/assess-ai-readiness/"
    assert report["url"].startswith("https://kb.example-msp.com/assessment/#working-data=scattered&authoritative-copy=nobody&")


def test_risk_averse_and_ready_clients() -> None:
    risk = assess_json("--answers", ANSWERS / "risk-averse.yaml")
    assert risk["persona"] == "risk-averse"
    assert risk["rules"] == ["policy-needs-exceptions", "foundation-gaps"]
    assert risk["weakest"] == ["data"]
    ready = assess_json("--answers", ANSWERS / "ready.json")
    assert ready["persona"] == "ready"
    assert ready["rules"] == ["pilot-ready"]
    assert ready["weakest"] == []
    ids = [p["id"] for p in ready["playbooks"]]
    assert "governed-ai-pilot" in ids  # the incident runbooks follow it, recovery last
    assert ids[-2:] == ["respond-compromised-saas-integration", "recover-after-connector-compromise"]


def test_text_output() -> None:
    result = run_kb("assess", "--answers", ANSWERS / "risk-averse.yaml", root=REPO)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Persona: Risk-averse (risk-averse)"
    assert "  Data centralisation                       4/9   44%  Partial" in lines
    assert "Weakest: Data centralisation" in lines
    assert "  1. Assess AI readiness before proposing tools  https://kb.example-msp.com/playbooks/assess-ai-readiness/" in lines
    assert lines[-1].startswith("Open this result in the browser: https://kb.example-msp.com/assessment/#working-data=scattered&")


def test_interactive_gives_the_same_result_as_the_file() -> None:
    from click.testing import CliRunner

    from generator.cli.app import cli

    data = assessment.kb_data(load_knowledge_base(REPO))
    wanted = dict(line.split(": ") for line in (ANSWERS / "risk-averse.yaml").read_text().splitlines()
                  if not line.startswith("#"))
    typed = "".join(f"{[o['id'] for o in q['options']].index(wanted[q['id']]) + 1}\n" for q in data["questions"])
    result = CliRunner().invoke(cli, ["--root", str(REPO), "assess", "--json"], input="9\n" + typed)
    assert result.exit_code == 0, result.stderr
    assert "1/15 [Data centralisation] Where does the team's everyday working data" in result.stderr
    assert "Error: 9 is not in the range 1<=x<=4." in result.stderr
    assert json.loads(result.stdout) == assess_json("--answers", ANSWERS / "risk-averse.yaml")


@pytest.mark.parametrize(("text", "errors"), [
    ("working-data: scattered\nmfaa: everyone\nsign-in: sso\n", [
        "answers.yaml:1: missing answer(s) for: authoritative-copy, sensitive-data, mfa, accounts, written-policy, "
        "new-tools, ai-owner, ai-in-use, app-consent, built-in-ai, service-accounts, secrets, integration-scopes",
        "answers.yaml:2: unknown question 'mfaa'; closest valid id: 'mfa'",
        "answers.yaml:3: sign-in: unknown option 'sso' (expected one of: separate, mail-only, sso-main, sso-conditional)",
    ]),
    ("working-data: [\n", ["answers.yaml:2: YAML syntax error at column 1: did not find expected node content (while parsing a flow node)"]),
    ("- working-data\n", ["answers.yaml:1: expected a mapping of question id to option id, e.g. 'mfa: everyone'"]),
    ("", ["answers.yaml:1: file is empty (expected a mapping or a list)"]),
    # Was a traceback (issue 15): a date YAML recognises by its form but that cannot exist.
    ("working-data: 2026-02-30\n", ["answers.yaml:1: '2026-02-30' is not a valid date (day is out of range for month)"]),
])
def test_bad_answers_are_named_with_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, errors: list[str]) -> None:
    (tmp_path / "answers.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run_kb("assess", "--answers", "answers.yaml", root=REPO)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [*errors, f"{len(errors)} problem(s) found."]
    assert result.stdout == ""


def test_a_tree_without_an_assessment(sample: Path) -> None:
    result = run_kb("assess", "--answers", ANSWERS / "ready.yaml", root=sample)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "content/assessment.yaml:1: this knowledge base has no assessment (add content/assessment.yaml)"
    built = run_kb("build", root=sample)
    assert built.exit_code == 0, built.stderr
    assert not (sample / "site/assessment").exists()


# --- Validation of the rules ---------------------------------------------------------------------


def problems_of(root: Path) -> list[str]:
    result = run_kb("validate", root=root)
    assert result.exit_code == 1, result.stdout
    return result.stderr.splitlines()[:-1]


def test_sample_assessment_validates(with_assessment: Path) -> None:
    assert run_kb("validate", root=with_assessment).exit_code == 0


def test_unknown_persona_dimension_and_level(with_assessment: Path) -> None:
    path = with_assessment / "content/assessment.yaml"
    edit(path, "persona: advanced", "persona: advancd")
    edit(path, "{access: 39}", "{acess: 39}")
    edit(path, "{any_of: [access], level: weak}", "{any_of: [access], level: weakk}")
    edit(path, "dimension: policy\n    text: How many", "dimension: polisy\n    text: How many")
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:25: scores: unknown dimension 'acess'; closest valid id: 'access'",
        "content/assessment.yaml:31: dimension: unknown dimension 'polisy'; closest valid id: 'policy'",
        "content/assessment.yaml:42: level: unknown level 'weakk'; closest valid id: 'weak'",
        "content/assessment.yaml:50: persona: unknown persona 'advancd'; closest valid id: 'advanced'",
    ]


def test_rules_cannot_name_an_internal_persona(with_assessment: Path) -> None:
    edit(with_assessment / "content/personas/advanced.yaml", "id: advanced\n", "id: advanced\naudience: internal\n")
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:50: persona: 'advanced' is internal, but the assessment is published in client "
        "builds too (make the persona audience: client)",
        "content/personas/starter.yaml:12: client persona 'starter' references internal persona 'advanced' "
        "(make persona 'advanced' audience: client, or drop the reference)",
    ]


def test_uncovered_answer_sets_are_found(with_assessment: Path) -> None:
    path = with_assessment / "content/assessment.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("  - id: partly-there")])
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:38: no rule covers 3 combination(s) of levels, e.g. access partial, policy partial; "
        "access partial, policy strong; access strong, policy partial (add a last rule without 'when' as a catch-all)",
    ]


def test_a_rule_that_never_applies(with_assessment: Path) -> None:
    path = with_assessment / "content/assessment.yaml"
    path.write_text(path.read_text() + "  - id: too-late\n    persona: advanced\n    when:\n      - {any_of: [access], level: weak}\n    reason: Never reached.\n")
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:57: rule 'too-late' never applies: earlier rules decide every case it matches "
        "for another persona (move it up or remove it)",
    ]


def test_malformed_rules_and_levels(with_assessment: Path) -> None:
    path = with_assessment / "content/assessment.yaml"
    edit(path, "{any_of: [access], level: weak}", "{any_of: [access], all_of: [policy], level: weak, at_most: weak}")
    edit(path, "    below: 75", "    below: 30")
    edit(path, "  - id: strong\n    name: Strong", "  - id: strong\n    name: Strong\n    below: 90")
    edit(path, "{id: p40,", "{id: p39,")
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:11: level 'partial': 'below' must be greater than 40 (levels go from lowest to highest)",
        "content/assessment.yaml:14: level 'strong' is the highest, so it takes every score left: remove 'below'",
        "content/assessment.yaml:27: duplicate option id 'p39' in question 'access-level'",
        "content/assessment.yaml:43: a condition needs exactly one of 'any_of' or 'all_of' (a list of dimension ids), "
        "e.g. {any_of: [data], level: weak}",
        "content/assessment.yaml:43: a condition needs exactly one of 'level', 'at_least' or 'at_most' (a level id), "
        "e.g. {any_of: [data], level: weak}",
    ]


def test_model_errors_point_at_the_yaml(with_assessment: Path) -> None:
    edit(with_assessment / "content/assessment.yaml", "    reason: Partly there, so keep going.", "    reasons: Partly there.")
    assert problems_of(with_assessment) == [
        "content/assessment.yaml:54: missing required field 'rules[3].reason'",
        "content/assessment.yaml:56: unknown field 'rules[3].reasons' (allowed: id, persona, reason, when; did you mean 'reason'?)",
    ]


# --- The bundled rules: every combination, and the floor ------------------------------------------


def test_bundled_rules_never_let_a_weak_dimension_through_to_ready() -> None:
    data = assessment.kb_data(load_knowledge_base(REPO))
    dims = [d["id"] for d in data["dimensions"]]
    levels = [lv["id"] for lv in data["levels"]]
    seen = set()
    for combo in itertools.product(levels, repeat=len(dims)):
        decided = assessment._decide(data["rules"], dict(zip(dims, combo, strict=True)), levels)
        assert decided is not None, combo
        seen.add(decided[0])
        if "weak" in combo:
            assert decided[0] != "ready", combo
        if combo[0] == "weak" or combo[1] == "weak":
            assert decided[0] == "unaware", combo
    assert seen == {"unaware", "risk-averse", "ready"}


def test_one_strong_dimension_does_not_hide_a_failing_one() -> None:
    """Average 84%, but working data is scattered: an average would say ready; the floor says unaware."""
    data = assessment.kb_data(load_knowledge_base(REPO))
    answers = {q["id"]: q["options"][-1]["id"] for q in data["questions"]}
    answers |= {"working-data": "scattered", "authoritative-copy": "some", "sensitive-data": "unmarked"}
    result = assessment.evaluate(data, answers)
    average = sum(s["percent"] for s in result["scores"].values()) // len(result["scores"])
    assert average == 82
    assert result["scores"]["data"]["percent"] == 11
    assert result["persona"] == "unaware"
    assert result["weakest"] == ["data"]


# --- The pages ---------------------------------------------------------------------------------


def test_rules_json_in_the_site_is_the_data_kb_assess_uses(bundled_site: Path) -> None:
    published = json.loads((bundled_site / "assessment/rules.json").read_text())
    assert published == assessment.kb_data(load_knowledge_base(REPO))
    page = (bundled_site / "assessment/index.html").read_text()
    embedded = re.search(r'<script type="application/json" id="kb-assessment-data">(.*?)</script>', page, re.S)
    assert embedded and json.loads(embedded.group(1)) == published
    scoring = (bundled_site / "assessment/scoring/index.html").read_text()
    assert "Working data is spread across local drives" in scoring
    assert 'href="../../personas/unaware/"' in scoring


def test_text_from_yaml_is_escaped_everywhere(with_assessment: Path) -> None:
    path = with_assessment / "content/assessment.yaml"
    edit(path, "text: How much of access is under control?", "text: 'Access </script><b>bold</b> {{ 7*7 }} & more?'")
    edit(path, "reason: Partly there, so keep going.", "reason: 'Partly </script><script>alert(1)</script>'")
    result = run_kb("build", root=with_assessment)
    assert result.exit_code == 0, result.stderr
    html = (with_assessment / "site/assessment/index.html").read_text()
    assert "Access &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &#123;&#123; 7*7 &#125;&#125; &amp; more?" in html
    assert html.count("</script>") == html.count("<script")
    data = re.search(r'id="kb-assessment-data">(.*?)</script>', html, re.S)
    assert data and json.loads(data.group(1))["rules"][3]["reason"] == "Partly </script><script>alert(1)</script>"
    scoring = (with_assessment / "site/assessment/scoring/index.html").read_text()
    assert "<script>alert(1)" not in scoring
    assert "Partly &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in scoring
