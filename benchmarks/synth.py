"""Synthetic knowledge bases for the benchmark: N playbooks (each with a 15-item checklist and
5 steps), 500 glossary terms, 3 personas, and the full SP 800-53 Rev. 5 and CSF 2.0 catalogues.

The catalogues are synthesised with realistic ids and shapes so the benchmark runs without
../shared: SP 800-53 has its 20 real families, their real base-control counts (322) and about
690 enhancements (1,012 controls, 1,032 nodes with the families); CSF 2.0 has its 6 functions,
22 categories and 106 subcategories with the official per-category counts. Control references
walk round-robin over every node of both catalogues, so every control page has citations.
Everything is deterministic: the same size always gives the same bytes.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

CHECKLIST_ITEMS = 15
STEPS = 5
TERMS = 500
PERSONAS = ("unaware", "risk-averse", "ready")

#: SP 800-53 Rev. 5 families with their number of base controls.
SP800_53_FAMILIES = {
    "AC": ("Access Control", 25), "AT": ("Awareness and Training", 6), "AU": ("Audit and Accountability", 16),
    "CA": ("Assessment, Authorization, and Monitoring", 9), "CM": ("Configuration Management", 14),
    "CP": ("Contingency Planning", 13), "IA": ("Identification and Authentication", 12),
    "IR": ("Incident Response", 10), "MA": ("Maintenance", 7), "MP": ("Media Protection", 8),
    "PE": ("Physical and Environmental Protection", 23), "PL": ("Planning", 11),
    "PM": ("Program Management", 32), "PS": ("Personnel Security", 9),
    "PT": ("PII Processing and Transparency", 8), "RA": ("Risk Assessment", 10),
    "SA": ("System and Services Acquisition", 23), "SC": ("System and Communications Protection", 51),
    "SI": ("System and Information Integrity", 23), "SR": ("Supply Chain Risk Management", 12),
}
#: Enhancements per base control, cycled (mean 15/7, about 690 enhancements in all).
ENHANCEMENTS = (0, 1, 2, 3, 4, 2, 3)

#: CSF 2.0 functions -> categories with their number of subcategories (6 / 22 / 106).
CSF_FUNCTIONS = {
    ("GV", "Govern"): {"GV.OC": 5, "GV.RM": 7, "GV.RR": 4, "GV.PO": 2, "GV.OV": 3, "GV.SC": 10},
    ("ID", "Identify"): {"ID.AM": 7, "ID.RA": 10, "ID.IM": 4},
    ("PR", "Protect"): {"PR.AA": 6, "PR.AT": 2, "PR.DS": 4, "PR.PS": 6, "PR.IR": 4},
    ("DE", "Detect"): {"DE.CM": 5, "DE.AE": 6},
    ("RS", "Respond"): {"RS.MA": 5, "RS.AN": 4, "RS.CO": 2, "RS.MI": 2},
    ("RC", "Recover"): {"RC.RP": 6, "RC.CO": 2},
}

_ADJECTIVES = (
    "delegated", "ephemeral", "federated", "privileged", "scoped", "orphaned", "rotated", "shared",
    "conditional", "managed", "dormant", "inherited", "external", "tenant", "default", "signed",
    "revoked", "audited", "brokered", "least", "standing", "vaulted", "hybrid", "synthetic", "sanctioned",
)
_NOUNS = (
    "token", "secret", "connector", "identity", "grant", "role", "session", "credential", "policy",
    "tenant", "workload", "mailbox", "agent", "key", "scope", "consent", "group", "device", "vault",
    "assistant",
)


def sp800_53() -> dict[str, Any]:
    families = []
    cycle = itertools.cycle(ENHANCEMENTS)
    for family, (title, bases) in SP800_53_FAMILIES.items():
        controls = []
        for number in range(1, bases + 1):
            base = f"{family}-{number}"
            enhancements = [
                {"id": f"{base}({e})", "title": f"{title} enhancement {number}.{e}", "kind": "enhancement"}
                for e in range(1, next(cycle) + 1)
            ]
            control: dict[str, Any] = {"id": base, "title": f"{title} control {number}", "kind": "control",
                                       "text": f"The organization implements {title.lower()} measure {number}."}
            if enhancements:
                control["children"] = enhancements
            controls.append(control)
        families.append({"id": family, "title": title, "kind": "family", "children": controls})
    return {"id": "nist-sp-800-53-r5", "name": "NIST SP 800-53 Rev. 5", "short_name": "SP 800-53",
            "version": "5.0.1", "publisher": "NIST", "controls": families}


def csf_2() -> dict[str, Any]:
    functions = []
    for (fid, name), categories in CSF_FUNCTIONS.items():
        children = []
        for cid, count in categories.items():
            subs = [{"id": f"{cid}-{n:02d}", "title": f"{cid} outcome {n}", "kind": "subcategory"}
                    for n in range(1, count + 1)]
            children.append({"id": cid, "title": f"{name} category {cid}", "kind": "category", "children": subs})
        functions.append({"id": fid, "title": name, "kind": "function", "children": children})
    return {"id": "nist-csf-2.0", "name": "NIST Cybersecurity Framework", "short_name": "CSF 2.0",
            "version": "2.0", "publisher": "NIST", "controls": functions}


def _ids(framework: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            out.append(node["id"])
            walk(node.get("children", []))

    walk(framework["controls"])
    return out


def term_names() -> list[str]:
    names = [f"{a} {n}" for a, n in itertools.product(_ADJECTIVES, _NOUNS)]
    return [name[0].upper() + name[1:] for name in names[:TERMS]]


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def playbook_id(n: int) -> str:
    return f"playbook-{n:04d}"


def playbook_title(n: int) -> str:
    return f"Playbook {n:04d}: secure the client estate"


def generate(root: Path, playbooks: int) -> Path:
    """Write a knowledge base with `playbooks` playbooks into root (created); return root."""
    content = root / "content"
    frameworks = {"nist-sp-800-53-r5": sp800_53(), "nist-csf-2.0": csf_2()}
    for fid, data in frameworks.items():
        _dump(root / "frameworks" / f"{fid}.yaml", data)
    catalogue = itertools.cycle([(fid, cid) for fid, data in frameworks.items() for cid in _ids(data)])
    names = term_names()
    term_cycle = itertools.cycle(names)

    def refs(count: int, why: str) -> list[dict[str, str]]:
        return [{"framework": fid, "id": cid, "why": why} for fid, cid in itertools.islice(catalogue, count)]

    _dump(content / "site.yaml", {
        "title": "Synthetic Knowledge Base", "organisation": "Benchmark MSP Ltd",
        "description": "Generated for the benchmark.", "base_url": "https://kb.bench.example/",
    })
    for index, name in enumerate(names):
        _dump(content / "terms" / f"{_slug(name)}.yaml", {
            "id": _slug(name), "term": name,
            "definition": f"A *{name.lower()}* as an MSP meets it when reviewing a client's identities.",
            "related": [_slug(names[(index + 1) % len(names)])],
        })
    for n in range(1, playbooks + 1):
        pid, cid = playbook_id(n), f"checklist-{n:04d}"
        steps = []
        for s in range(1, STEPS + 1):
            term = next(term_cycle)
            steps.append({
                "id": f"step-{s}", "title": f"Step {s} of playbook {n}", "owner": ("Technician", "vCIO")[s % 2],
                "detail": f"Review every {term.lower()} in the client's tenant and record what it can reach.",
                "evidence": "An export attached to the ticket.",
                "controls": refs(2, f"Step {s} produces the evidence this control asks for."),
            })
        _dump(content / "playbooks" / f"{pid}.yaml", {
            "id": pid, "title": playbook_title(n),
            "objective": f"Bring client estate {n} to a known, reviewed state before AI tools arrive.",
            "prerequisites": ["Read-only admin access to the identity provider.", "A named client sponsor."],
            "steps": steps, "checklists": [cid],
            "outcomes": ["An owned inventory of identities.", "A reviewed access baseline."],
            "effort": "1-2 days", "owner": "Security practice lead", "reviewed": "2026-11-30",
        })
        _dump(content / "checklists" / f"{cid}.yaml", {
            "id": cid, "title": f"Checklist {n:04d}: access baseline", "purpose": f"Evidence for playbook {n}.",
            "version": "1.0",
            "items": [{
                "id": f"item-{i:02d}", "text": f"Item {i} of checklist {n} is done and recorded",
                "evidence": "Screenshot or export", "controls": refs(1, "The item is the control's evidence."),
            } for i in range(1, CHECKLIST_ITEMS + 1)],
        })
    for index, persona in enumerate(PERSONAS):
        data: dict[str, Any] = {
            "id": persona, "name": persona.replace("-", " ").capitalize(),
            "summary": f"Clients at the {persona} stage.", "signals": [f"The client is {persona}."],
            "service_motion": "Run the playbooks in order.",
            "playbooks": [playbook_id(n) for n in range(index + 1, playbooks + 1, len(PERSONAS))],
            "controls": refs(3, "It matters most at this stage."),
        }
        if index + 1 < len(PERSONAS):
            data["next"] = {"persona": PERSONAS[index + 1], "when": ["The previous playbooks are done."]}
        _dump(content / "personas" / f"{persona}.yaml", data)
    return root
