"""Stage 2, model: plain YAML data -> typed entities (pydantic, unknown keys forbidden).

Field conventions, documented in the README:
- `Text` fields are plain text: shown exactly as written, never interpreted.
- `Markdown` fields allow inline Markdown (emphasis, code, links to http(s)/mailto/relative
  targets, lists); raw HTML in them is shown as text.
Every model remembers the file and line it came from, for error messages in later stages.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
FRAMEWORK_ID = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG)]
FrameworkId = Annotated[str, StringConstraints(pattern=FRAMEWORK_ID)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Markdown = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Audience = Literal["internal", "client"]
#: Bounded, so date arithmetic (when a review is due) cannot overflow: a typo such as
#: 9999-12-31 or 10**20 days is an error at its line, not a traceback.
Date = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
Days = Annotated[int, Field(gt=0, le=36_500)]

# Characters that end or escape a URL in Markdown or HTML: `https://x/){:onclick=alert(1)}`
# would close the link and open an attribute list. Percent-encode them in a URL.
_URL_BREAKERS = re.compile(r"[\s\x00-\x1f\x7f\"'<>\[\]{}\\`^|]")


def _check_url(value: str) -> str:
    """An absolute http(s) URL with a host, safe to write into Markdown and HTML as it is."""
    if (bad := _URL_BREAKERS.search(value)) is not None:
        raise PydanticCustomError("url", "a URL may not hold {bad} (percent-encode it, e.g. %20 for a space)",
                                  {"bad": repr(bad.group())})
    if value.count("(") != value.count(")"):
        raise PydanticCustomError("url", "a URL's parentheses must pair up (percent-encode a lone one: %28, %29)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("url", "expected an http:// or https:// URL with a host name, "
                                         "e.g. https://example.com/page")
    return value


def _check_base_url(value: str) -> str:
    if not value.endswith("/"):
        raise PydanticCustomError("url", "the site's address must end with '/', e.g. https://kb.example.com/")
    return value


#: Every URL field of the content: a web address, parsed, never anything a browser would run.
Url = Annotated[str, AfterValidator(_check_url),
                WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://[^\\s\"'<>\\[\\]{}\\\\`^|]+$"})]
#: An email address, written into a mailto: link.
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s\"'<>()\[\]{}\\,;:`]+@[^@\s\"'<>()\[\]{}\\,;:`]+$")]


class Node(BaseModel):
    """Base of every model: strict keys, and the source position it was read from."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_position(cls, data: Any, handler: Any) -> Any:
        obj = handler(data)
        key_lines = getattr(data, "key_lines", None)
        if key_lines is not None:
            # Kept in pydantic's own slot for private state rather than as declared private
            # attributes: those cost a default-initialisation per model, ~40% of modelling time.
            object.__setattr__(obj, "__pydantic_private__", {"where": (data.file, data.line, key_lines)})
        return obj

    def _position(self) -> tuple[str, int, dict[str, int]]:
        private = self.__pydantic_private__
        return private["where"] if private else ("", 0, {})

    @property
    def where(self) -> tuple[str, int]:
        file, line, _ = self._position()
        return file, line

    def where_field(self, name: str) -> tuple[str, int]:
        """The position of one field's key, or of the whole node if it was not written."""
        file, line, key_lines = self._position()
        return file, key_lines.get(name, line)


class Source(Node):
    """A public source for a fact."""

    title: Text
    publisher: Text | None = None
    url: Url | None = None
    date: Date | Text | None = None


class ControlRef(Node):
    """A reference to a control of a framework, with why it matters in this place."""

    framework: FrameworkId
    id: Text
    why: Markdown


class Change(Node):
    """One dated change note on an entity."""

    date: Date
    note: Markdown


class Entity(Node):
    """Fields shared by every page-level entity."""

    id: Slug
    audience: Audience = "client"
    owner: Text | None = None
    reviewed: Date | None = None
    aliases: list[Slug] = Field(default_factory=list, description="Former ids; they redirect here.")
    changes: list[Change] = Field(default_factory=list)
    review_every_days: Days | None = Field(
        default=None, description="Days between reviews; overrides the site's interval for this kind."
    )
    internal_notes: list[Markdown] = Field(
        default_factory=list, description="Staff-only notes (pricing, escalation, tooling); never in client builds."
    )

    @property
    def display_name(self) -> str:
        """What pages call the entity: its title, name, term or question, whichever its kind has."""
        for name in ("title", "name", "term", "question"):
            value = getattr(self, name, None)
            if isinstance(value, str):
                return value
        return self.id


class Contact(Node):
    email: Email | None = None
    phone: Text | None = None
    address: Text | None = None
    url: Url | None = None


class Branding(Node):
    logo: Text | None = None
    favicon: Text | None = None
    primary_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#1f4e79"
    accent_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#b35900"
    footer: Text | None = None


class Finder(Node):
    """The home page's persona finder: the questions staff ask to place a client."""

    intro: Markdown
    questions: list[Markdown] = Field(min_length=1)


class Wording(Node):
    """Sentences pages print that belong to the knowledge base's topic, not to the generator.
    Each has neutral wording when left out."""

    home_intro: Markdown | None = Field(default=None, description="Under the home page's title.")
    finder: Finder | None = Field(default=None, description="Questions on the home page that place a client.")
    assessment_time: Text | None = Field(default=None, description="How long the assessment takes, e.g. about ten minutes.")
    personas_intro: Markdown | None = Field(default=None, description="Under the personas index's title.")
    persona_risks: Text = Field(default="Risks", description="The heading of a persona's risks.")
    case_studies_intro: Markdown | None = Field(default=None, description="Under the case studies index's title.")
    coverage_intro: Markdown | None = Field(default=None, description="Under the coverage page's title.")
    pack_title: Annotated[str, StringConstraints(pattern=r"^[^{}]*\{client\}[^{}]*$")] = Field(
        default="Guidance pack for {client}", description="A client pack's site title; {client} is the client's name.")
    client: Wording | None = Field(
        default=None,
        description="The same sentences as the client reads them (client builds and packs); any left out "
                    "keep the wording above. Staff wording speaks about the client; this speaks to it.")

    @model_validator(mode="after")
    def _one_level_of_variants(self) -> Wording:
        if self.client is not None and self.client.client is not None:
            raise ValueError("wording.client cannot have a client block of its own")
        return self

    def for_audience(self, audience: str) -> Wording:
        """The wording an audience reads: for clients, each sentence of `client` that was written
        replaces the staff one."""
        if audience != "client" or self.client is None:
            return self
        written = {name: getattr(self.client, name) for name in self.client.model_fields_set if name != "client"}
        return self.model_copy(update=written)


class Site(Node):
    """content/site.yaml: who publishes the knowledge base, and where."""

    title: Text
    organisation: Text
    description: Text | None = None
    base_url: Annotated[Url, AfterValidator(_check_base_url)]
    contact: Contact = Field(default_factory=Contact)
    branding: Branding = Field(default_factory=Branding)
    wording: Wording = Field(default_factory=Wording)
    sections: dict[Slug, Text] = Field(
        default_factory=dict,
        description="Nav titles by kind (e.g. term: Terms), plus home, framework and guides.",
    )
    review_intervals: dict[Slug, Days] = Field(
        default_factory=dict,
        description="Days between reviews per kind; kinds left out keep the generator's defaults.",
    )
    sidebar_limit: int = Field(
        default=50, ge=1, le=10_000,
        description="A section with more entries than this shows only its index page (with its filter) in the"
                    " sidebar, so every page stays small however large the section grows.",
    )


class NextPersona(Node):
    """What moves a client on to another persona."""

    persona: Slug
    when: list[Markdown] = Field(min_length=1)


class Persona(Entity):
    name: Text
    summary: Markdown
    signals: list[Markdown] = Field(min_length=1, description="How to recognise the persona.")
    risks: list[Markdown] = Field(default_factory=list, description="What goes wrong for a client like this (the heading is site.yaml wording.persona_risks).")
    control_needs: list[Markdown] = Field(default_factory=list)
    service_motion: Markdown
    playbooks: list[Slug] = Field(default_factory=list, description="In the order to run them.")
    next: NextPersona | None = None
    controls: list[ControlRef] = Field(default_factory=list, description="The controls that matter most.")
    talking_points: list[Markdown] = Field(default_factory=list)


class CitedSource(Source):
    """A source a figure or a case rests on: a reader must be able to open it."""

    publisher: Text
    url: Url
    date: Date | Text


ChangeAction = Literal["disable", "remove", "delete", "block", "enforce", "rotate", "revoke", "restrict", "change"]


class SystemChange(Node):
    """What a step or item changes on a client system, and how to do it safely."""

    action: ChangeAction
    target: Text = Field(description="What is changed, e.g. 'Conditional access policy: MFA for all users'.")
    risk: Literal["low", "medium", "high"] = "medium"
    pre_checks: list[Markdown] = Field(default_factory=list, description="Dependencies and exclusions to check first.")
    staging: list[Markdown] = Field(default_factory=list, description="Stages in order, e.g. report-only, pilot, all.")
    rollback: Markdown | None = Field(default=None, description="How to undo it.")
    verify: Markdown | None = Field(default=None, description="How to see that it worked and broke nothing.")


class Step(Node):
    id: Slug
    title: Text
    owner: Text = Field(description="The role that does the step.")
    detail: Markdown | None = None
    evidence: Markdown | None = None
    controls: list[ControlRef] = Field(default_factory=list)
    change: SystemChange | None = None
    audience: Audience = "client"
    internal_notes: list[Markdown] = Field(default_factory=list)


class Playbook(Entity):
    title: Text
    objective: Markdown
    prerequisites: list[Markdown] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    checklists: list[Slug] = Field(default_factory=list)
    outcomes: list[Markdown] = Field(default_factory=list)
    effort: Text | None = None
    controls: list[ControlRef] = Field(default_factory=list)


class ChecklistItem(Node):
    id: Slug
    text: Text
    evidence: Text | None = None
    required: bool = True
    aliases: list[Slug] = Field(default_factory=list, description="Former item ids; their anchors lead here.")
    controls: list[ControlRef] = Field(default_factory=list)
    no_control_reason: Text | None = Field(
        default=None, description="Why the item cites no control (when it cites none)."
    )
    change: SystemChange | None = None
    audience: Audience = "client"


class Checklist(Entity):
    title: Text
    purpose: Markdown
    version: Text = "1"
    items: list[ChecklistItem] = Field(min_length=1)
    sign_off: list[Text] = Field(default_factory=lambda: ["Technician", "Client contact"])

    @property
    def revised(self) -> dt.date | None:
        """The date of the latest change note, or the review date if there are none."""
        return max(change.date for change in self.changes) if self.changes else self.reviewed


class Term(Entity):
    term: Text
    definition: Markdown
    related: list[Slug] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


class Faq(Entity):
    question: Text
    answer: Markdown
    personas: list[Slug] = Field(default_factory=list)
    playbooks: list[Slug] = Field(default_factory=list)
    controls: list[ControlRef] = Field(default_factory=list)


class CaseStudy(Entity):
    title: Text
    period: Text
    summary: Markdown
    what_happened: list[Markdown] = Field(min_length=1)
    identities: list[Markdown] = Field(default_factory=list, description="Non-human identities abused.")
    impact: list[Markdown] = Field(default_factory=list)
    lessons: list[Markdown] = Field(default_factory=list)
    controls: list[ControlRef] = Field(default_factory=list)
    playbooks: list[Slug] = Field(default_factory=list)
    sources: list[CitedSource] = Field(min_length=1)


Verification = Literal["verified", "secondary", "unverified", "incorrect"]


class Statistic(Entity):
    figure: Text
    title: Text
    measures: Markdown = Field(description="What precisely the figure measures.")
    source: CitedSource
    verification: Verification
    note: Markdown | None = None


class Takeaway(Entity):
    title: Text
    text: Markdown


class Control(Node):
    """One node of a framework's hierarchy (function, category, family, control, tenet, ...)."""

    id: Text
    title: Text
    kind: Text
    text: Text | None = None
    children: list[Control] = Field(default_factory=list)


class Withdrawn(Node):
    id: Text
    title: Text | None = None
    replaced_by: list[Text] = Field(default_factory=list)
    reason: Text | None = None
    also: list[Text] = Field(default_factory=list, description="Other printed forms, e.g. PR.AC-1.")


class Framework(Node):
    id: FrameworkId
    name: Text
    short_name: Text | None = None
    version: Text
    publisher: Text
    url: Url | None = None
    description: Markdown | None = None
    controls: list[Control] = Field(min_length=1)
    withdrawn: list[Withdrawn] = Field(default_factory=list)


Relationship = Literal["equivalent", "subset", "superset", "intersects"]


class Mapping(Node):
    source: Text
    target: Text
    relationship: Relationship
    rationale: Text | None = None


class Crosswalk(Node):
    id: FrameworkId
    source: FrameworkId
    target: FrameworkId
    title: Text | None = None
    mappings: list[Mapping] = Field(min_length=1)
