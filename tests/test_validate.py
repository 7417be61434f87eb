"""Stages 2 and 3: each kind of content mistake gives its exact, located message."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import edit, run_kb


def errors(root: Path) -> list[str]:
    result = run_kb("validate", root=root)
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found."
    return lines[:-1]


def test_sample_is_clean(sample: Path) -> None:
    result = run_kb("validate", root=sample)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("ok: 2 personas, 1 playbook, 1 checklist, 2 terms, 1 FAQ, 1 case study, 1 statistic, "
                             "1 takeaway, 2 frameworks, 6 controls\n")


def test_unknown_key_suggests_the_right_one(sample: Path) -> None:
    edit(sample / "content/playbooks/sort-out-access.yaml", "    owner: vCIO", "    ownr: vCIO")
    assert errors(sample) == [
        "content/playbooks/sort-out-access.yaml:16: missing required field 'steps[1].owner'",
        "content/playbooks/sort-out-access.yaml:18: unknown field 'steps[1].ownr' "
        "(allowed: audience, change, controls, detail, evidence, id, internal_notes, owner, title; did you mean 'owner'?)",
    ]


def test_wrong_type_and_bad_id(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml", "required: false", "required: sometimes")
    edit(sample / "content/terms/terms.yaml", "- id: shadow-ai", "- id: Shadow AI")
    assert errors(sample) == [
        "content/checklists/access-baseline.yaml:15: items[1].required: input should be a valid boolean, "
        "unable to interpret input (got 'sometimes')",
        "content/terms/terms.yaml:1: id: 'Shadow AI' is not a valid id "
        "(use lowercase letters, digits and hyphens, e.g. 'first-playbook')",
    ]


def test_unknown_references_name_the_closest_valid_id(sample: Path) -> None:
    edit(sample / "content/personas/starter.yaml", "playbooks: [sort-out-access]", "playbooks: [sort-out-acess]")
    edit(sample / "content/faqs/first.yaml", "personas: [starter]", "personas: [stater]")
    assert errors(sample) == [
        "content/faqs/first.yaml:4: unknown persona 'stater'; closest valid id: 'starter'",
        "content/personas/starter.yaml:11: unknown playbook 'sort-out-acess'; closest valid id: 'sort-out-access'",
    ]


def test_control_reference_errors(sample: Path) -> None:
    playbook = sample / "content/playbooks/sort-out-access.yaml"
    edit(playbook, "      - framework: mini-csf\n        id: PR.AA-01", "      - framework: mini-cfs\n        id: PR.AA-01")
    edit(sample / "content/personas/starter.yaml", "id: PR.AA-01", "id: PR.AC-1")
    edit(sample / "content/faqs/first.yaml", "id: PR.AA-01", "id: PR.AA-02")
    assert errors(sample) == [
        "content/faqs/first.yaml:8: unknown control 'PR.AA-02' in framework 'mini-csf'; closest valid id: 'PR.AA-05'",
        "content/personas/starter.yaml:18: control 'PR.AC-1' is withdrawn from 'mini-csf'; use PR.AA-01, PR.AA-05 instead",
        "content/playbooks/sort-out-access.yaml:13: unknown framework 'mini-cfs'; closest valid id: 'mini-csf'",
    ]


def test_duplicate_ids_across_files_name_both(sample: Path) -> None:
    (sample / "content/takeaways/again.yaml").write_text("id: foundations-first\ntitle: Again\ntext: Twice.\n")
    assert errors(sample) == [
        "content/takeaways/first.yaml:1: duplicate takeaway id 'foundations-first' "
        "(first defined at content/takeaways/again.yaml:1)",
    ]


def test_persona_progression_cycle(sample: Path) -> None:
    (sample / "content/personas/advanced.yaml").write_text(
        (sample / "content/personas/advanced.yaml").read_text()
        + "next:\n  persona: starter\n  when: [Things fall apart.]\n"
    )
    assert errors(sample) == [
        "content/personas/advanced.yaml:1: persona progression cycles: advanced -> starter -> advanced",
        "content/personas/starter.yaml:1: persona progression cycles: starter -> advanced -> starter",
    ]


def test_crosswalk_endpoints_are_checked(sample: Path) -> None:
    edit(sample / "frameworks/crosswalks/zt-to-csf.yaml", "target: PR.AA-05", "target: PR.A-05")
    assert errors(sample) == [
        "frameworks/crosswalks/zt-to-csf.yaml:6: unknown control 'PR.A-05' in framework 'mini-csf'; "
        "closest valid id: 'PR.AA-05'",
    ]


def test_three_mistakes_in_three_files_are_all_reported(sample: Path) -> None:
    edit(sample / "content/personas/advanced.yaml", "name: Advanced\n", "")
    edit(sample / "content/terms/terms.yaml", "related: [service-account]", "related: [service-acount]")
    edit(sample / "content/checklists/access-baseline.yaml", "version: \"1.2\"", "version: \"1.2\"\nvesion: 2")
    assert errors(sample) == [
        "content/checklists/access-baseline.yaml:5: unknown field 'vesion' (allowed: aliases, audience, changes, "
        "id, internal_notes, items, owner, purpose, review_every_days, reviewed, sign_off, title, version; did you mean 'version'?)",
        "content/personas/advanced.yaml:1: missing required field 'name'",
    ]
    # The link stage runs only on well-typed content, so fix the two and see the third.
    edit(sample / "content/personas/advanced.yaml", "id: advanced\n", "id: advanced\nname: Advanced\n")
    edit(sample / "content/checklists/access-baseline.yaml", "\nvesion: 2", "")
    assert errors(sample) == [
        "content/terms/terms.yaml:4: unknown term 'service-acount'; closest valid id: 'service-account'",
    ]


def test_unknown_folder_and_missing_site(sample: Path) -> None:
    (sample / "content/site.yaml").unlink()
    (sample / "content/playbook").mkdir()
    (sample / "content/playbook/x.yaml").write_text("id: x\n")
    assert errors(sample) == [
        "content/playbook/x.yaml:1: unknown content folder 'playbook' (expected one of: personas, playbooks, "
        "checklists, terms, faqs, case-studies, statistics, takeaways)",
    ]


# --- Safe changes and cited sources (issue 20) --------------------------------------------------

def test_a_change_step_without_a_change_block_is_a_warning_and_strict_fails(sample: Path) -> None:
    edit(sample / "content/playbooks/sort-out-access.yaml", "    title: List every account\n",
         "    title: List every account and revoke what nobody owns\n")
    warned = run_kb("validate", "--today", "2026-11-30", root=sample)
    assert warned.exit_code == 0
    assert ("content/playbooks/sort-out-access.yaml:8: warning: step 'list-accounts' of playbook "
            "'sort-out-access' tells staff to revoke something but has no `change:` block "
            "(add action, target, rollback and verify)") in warned.stderr
    strict = run_kb("validate", "--strict", "--today", "2026-11-30", root=sample)
    assert strict.exit_code == 1
    assert "tells staff to revoke something but has no `change:` block" in strict.stderr


def test_a_change_without_rollback_or_verify_is_named(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml",
         "      rollback: Re-enable the account.\n      verify: Every job that ran before still runs.\n", "")
    result = run_kb("validate", "--today", "2026-11-30", root=sample)
    assert ("content/checklists/access-baseline.yaml:17: warning: item 'owner-named' of 'access-baseline': "
            "the change has no rollback and no verify (say how to undo it and how to see it worked)") in result.stderr


def test_a_past_tense_step_title_is_not_a_change(sample: Path) -> None:
    edit(sample / "content/playbooks/sort-out-access.yaml", "    title: List every account\n",
         "    title: Record how each account is removed\n")
    assert "no `change:` block" not in run_kb("validate", "--today", "2026-11-30", root=sample).stderr


def test_statistic_and_case_study_sources_need_a_link(sample: Path) -> None:
    edit(sample / "content/statistics/remediation.yaml", "  url: https://research.example.org/survey-2025\n", "")
    edit(sample / "content/case-studies/token-theft.yaml", "    url: https://research.example.org/incident-write-up\n", "")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 1
    assert "content/statistics/remediation.yaml:5: missing required field 'source.url'" in result.stderr
    assert "content/case-studies/token-theft.yaml:13: missing required field 'sources[0].url'" in result.stderr
