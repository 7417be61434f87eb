"""Ticket buttons: the URL a PSA opens from its ticket screen, with the ticket number, client and
technician substituted in that PSA's own syntax (`kb link CHECKLIST --template PSA`).

Only ConnectWise's substitution syntax could be confirmed from a public source. For the others
the template carries a neutral placeholder (`<TICKET_NUMBER>`) and `kb link` says so: pick the
PSA's variable for it where the button is set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.link import KnowledgeBase
from generator.core.model import Checklist
from generator.features.checklists.exports import TicketContext, link_template

_NEUTRAL = {"ticket": "<TICKET_NUMBER>", "client": "<CLIENT_NAME>", "tech": "<TECHNICIAN_NAME>"}


@dataclass(frozen=True)
class Button:
    placeholders: dict[str, str]  # context field -> what the PSA replaces with its value
    confirmed: bool
    where: str
    notes: tuple[str, ...] = ()


BUTTONS = {
    "autotask": Button(
        _NEUTRAL, False,
        "a LiveLink on the Ticket entity (Admin > Automation > AutoForms & LiveLinks > LiveLinks Designer > New)",
        (("unconfirmed: Autotask's LiveLink variable syntax is not in its public documentation; replace "
          "<TICKET_NUMBER>, <CLIENT_NAME> and <TECHNICIAN_NAME> with the LiveLink variables for the ticket "
          "number, the organization name and the resource's name"),),
    ),
    "connectwise": Button(
        {"ticket": "[cw_id]"}, True,
        ("a Manage Hosted API entry (System > Setup Tables > Manage Hosted API) on the Service Ticket screen, "
         "shown as a Pod or a Tab, with the site's origin as its Origin"),
        (("ConnectWise replaces [cw_id] with the ticket's record id (the ticket number); it has no URL token for "
          "the company or the member, so the technician types client and technician on the page"),),
    ),
    "halopsa": Button(
        _NEUTRAL, False,
        "a custom button or URL field on the ticket screen",
        (("unconfirmed: HaloPSA's variable syntax for a ticket URL could not be confirmed from a public source; "
          "replace <TICKET_NUMBER>, <CLIENT_NAME> and <TECHNICIAN_NAME> with Halo's variables for the ticket id, "
          "the client name and the agent name"),),
    ),
    "hudu": Button(
        {}, True,
        "a procedure task's description (kb export checklist --format hudu puts the link there)",
        (("Hudu has no ticket screen and no URL substitution: the link opens the checklist without ticket "
          "context; the technician types ticket, client and technician on the page"),),
    ),
}


def template(kb: KnowledgeBase, checklist: Checklist, psa: str, item: str | None = None,
             context: TicketContext = TicketContext()) -> str:
    """The checklist (or item) URL with the PSA's placeholders; context given fills its field."""
    return link_template(kb, checklist, context, BUTTONS[psa].placeholders) + (f"#{item}" if item else "")
