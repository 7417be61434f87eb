"""Safe changes: a playbook step that tells a technician to disable, remove, delete, block,
enforce, rotate, revoke or restrict something on a client system should say how to stage it,
undo it and see that it worked, as a `change:` block (rollback and verify at least).
`kb validate` warns; `--strict` fails."""

from __future__ import annotations

import datetime as dt
import re

from generator.core.errors import Problem
from generator.core.link import KnowledgeBase

#: Imperative verbs of a change (base form only: "Record how each identity is removed" is not one).
CHANGE_VERB = re.compile(r"\b(disable|remove|delete|block|enforce|rotate|revoke|restrict)\b", re.IGNORECASE)


def change_warnings(kb: KnowledgeBase, on: dt.date) -> list[Problem]:
    found: list[Problem] = []
    for playbook in kb.playbooks.values():
        for step in playbook.steps:
            where = step.where_field("title")
            verb = CHANGE_VERB.search(step.title)
            if step.change is None and verb is not None:
                found.append(Problem(*where, f"step '{step.id}' of playbook '{playbook.id}' tells staff to "
                                             f"{verb.group(0).lower()} something but has no `change:` block "
                                             "(add action, target, rollback and verify)"))
    for owner, parts, what in [(p.id, p.steps, "step") for p in kb.playbooks.values()] + \
                               [(c.id, c.items, "item") for c in kb.checklists.values()]:
        for part in parts:
            missing = [name for name in ("rollback", "verify") if part.change is not None and not getattr(part.change, name)]
            if missing:
                found.append(Problem(*part.where_field("change"), f"{what} '{part.id}' of '{owner}': the change has no "
                                                          f"{' and no '.join(missing)} (say how to undo it and how to "
                                                          "see it worked)"))
    return found
