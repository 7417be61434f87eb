"""Autotask (Datto) PSA: a checklist becomes a checklist library, which technicians add to any
ticket or task (REST entities ChecklistLibraries and ChecklistLibraryChecklistItems).

Field names and limits, from Autotask's REST API reference (autotask.net/help/DeveloperHelp,
ChecklistLibrariesEntity.htm, ChecklistLibraryChecklistItemsEntity.htm, TicketChecklistItemsEntity.htm,
and the SOAP ChecklistLibraryEntity.htm for the string lengths):
- library: `name` string (100), `description` string (500), `isActive` boolean;
- item: `checklistLibraryID`, `itemName` string (600), `isImportant` boolean, `position` integer;
- a ticket holds at most 40 checklist items (TicketChecklistItems, TicketChecklistLibraries).
Items are created below their library: POST ChecklistLibraries/{parentId}/ChecklistItems.
Headers ApiIntegrationCode, UserName and Secret: Autotask's REST security page names the three
credentials; the header spelling is the one public client code uses.
"""

from __future__ import annotations

from generator.core.errors import Problem
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist, ChecklistItem
from generator.features.checklists.exports import TicketContext, permalink
from generator.features.checklists.psa import Api, Credential, Request, internal_mark, ref, shorten

NAME_LIMIT = 100
DESCRIPTION_LIMIT = 500
ITEM_NAME_LIMIT = 600
TICKET_ITEMS_LIMIT = 40

API = Api(
    name="autotask",
    title="Autotask",
    base_variable="AUTOTASK_API_URL",
    base_example="https://webservices5.autotask.net/ATServicesRest",
    credentials=(
        Credential("ApiIntegrationCode", ("AUTOTASK_INTEGRATION_CODE",)),
        Credential("UserName", ("AUTOTASK_USERNAME",)),
        Credential("Secret", ("AUTOTASK_SECRET",)),
    ),
    id_fields=("itemId", "id"),
)


def item_name(item: ChecklistItem) -> str:
    """The item's text and its id, which traces a ticket's checklist item to the checklist."""
    return f"{' '.join(item.text.split())}{internal_mark(item.audience)} [{item.id}]"


def checklist_requests(kb: KnowledgeBase, checklist: Checklist,
                       context: TicketContext) -> tuple[list[Request], list[Problem]]:
    problems = []
    url = permalink(kb, checklist)
    name = shorten(checklist.title, NAME_LIMIT)
    full_title = f"{' '.join(checklist.title.split())}. " if name != " ".join(checklist.title.split()) else ""
    description = f"{full_title}Version {checklist.version}. {url} Each item ends with its id: open {url}#<id>."
    path, line = checklist.where
    if len(description) > DESCRIPTION_LIMIT:
        problems.append(Problem(path, line, (
            f"checklist '{checklist.id}' needs {len(description)} characters of Autotask library description "
            f"(title, version and URL); Autotask takes at most {DESCRIPTION_LIMIT} (shorten the title)")))
    if len(checklist.items) > TICKET_ITEMS_LIMIT:
        problems.append(Problem(path, line, (
            f"checklist '{checklist.id}' has {len(checklist.items)} items; an Autotask ticket takes at most "
            f"{TICKET_ITEMS_LIMIT} checklist items (split the checklist)")))
    for item in checklist.items:
        name_of_item = item_name(item)
        if len(name_of_item) > ITEM_NAME_LIMIT:
            item_path, item_line = item.where
            problems.append(Problem(item_path, item_line, (
                f"item '{item.id}' of checklist '{checklist.id}' is {len(name_of_item)} characters with its id; "
                f"Autotask's itemName takes at most {ITEM_NAME_LIMIT} and has no description field to hold the "
                "rest (shorten the item text)")))
    requests = [Request("POST", "/V1.0/ChecklistLibraries", {"name": name, "description": description, "isActive": True})]
    requests += [
        Request("POST", f"/V1.0/ChecklistLibraries/{ref(1)}/ChecklistItems", {
            "checklistLibraryID": ref(1),
            "itemName": item_name(item),
            "isImportant": item.required,
            "position": position,
        })
        for position, item in enumerate(checklist.items, 1)
    ]
    return requests, problems
