"""HaloPSA: a checklist becomes a note (an action) on a ticket, holding the rich-text checklist.

HaloPSA's templates carry to-do lists, but no public source names the API fields of a to-do,
so the checklist is not sent as to-dos. What could be confirmed, from a captured request body in
public client code: POST /api/Actions takes a list of actions with `ticket_id`, `note_html` and
`hiddenfromuser`. The note is hidden from the end user unless the export is for the client
(`--audience client`). `outcome_id` is left out: its values differ between Halo instances.
Authentication: an OAuth2 bearer token (client credentials, obtained beforehand).
"""

from __future__ import annotations

from generator.core.errors import Problem
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist
from generator.features.checklists.exports import TicketContext, as_html
from generator.features.checklists.psa import TICKET_PLACEHOLDER, Api, Credential, Request

API = Api(
    name="halopsa",
    title="HaloPSA",
    base_variable="HALOPSA_API_URL",
    base_example="https://yourcompany.halopsa.com/api",
    credentials=(Credential("Authorization", ("HALOPSA_TOKEN",), lambda v: f"Bearer {v[0]}",
                            "Bearer <$HALOPSA_TOKEN>"),),
)


def checklist_requests(kb: KnowledgeBase, checklist: Checklist,
                       context: TicketContext) -> tuple[list[Request], list[Problem]]:
    ticket = (context.ticket or "").strip()
    return [Request("POST", "/Actions", [{
        "ticket_id": int(ticket) if ticket.isdigit() else TICKET_PLACEHOLDER,
        "note_html": as_html(kb, checklist, context),
        "hiddenfromuser": context.audience != "client",
    }])], []
