"""`kb pack --pdf`: one PDF a client can use, read back with pypdf. Links lead inside the PDF
(or to the published site), never to the machine that built it; bookmarks per page and
section; title, author and subject; "Page X of Y" across the pack with one footer per sheet;
the client's name in every sign-off; and nothing written for staff."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from generator.features import load_knowledge_base
from generator.features.packs.pack import pack
from tests.conftest import REPO, run_kb
from tests.test_client_voice import STAFF_ONLY

pytestmark = pytest.mark.browser

CLIENT = "Acme Ltd"
BASE = "https://kb.example-msp.com/"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    from pypdf import PdfReader

    root = tmp_path_factory.mktemp("packpdf") / "kb"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "frameworks", root / "frameworks")
    result = run_kb("pack", "--client", CLIENT, "--persona", "risk-averse", "--pdf", "--out", root / "pack", root=root)
    assert result.exit_code == 0, result.stderr
    packed = pack(load_knowledge_base(root), CLIENT, "risk-averse")
    return PdfReader(root / "pack" / "acme-ltd-risk-averse.pdf"), packed


def links(reader: Any) -> tuple[list[str], list[str]]:
    """(URIs, names of destinations inside the document) of every link annotation."""
    uris, inside = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif "/Dest" in annotation:
                inside.append(str(annotation["/Dest"]))
            else:
                raise AssertionError(f"a link of another kind: {annotation}")
    return uris, inside


def test_metadata_names_the_pack_the_msp_and_the_client(printed: tuple[Any, Any]) -> None:
    reader, _ = printed
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == (
        "AI readiness pack for Acme Ltd", "Example MSP Ltd", "Risk-averse guidance for Acme Ltd")


def test_links_stay_in_the_pdf_or_lead_to_the_published_site(printed: tuple[Any, Any]) -> None:
    reader, packed = printed
    uris, inside = links(reader)
    assert [u for u in uris if not u.startswith((BASE, "https://", "mailto:"))] == []
    assert [u for u in uris if "127.0.0.1" in u or "localhost" in u or u.startswith("file:")] == []
    assert any(u.startswith(BASE + "frameworks/") for u in uris)  # controls are not printed: the site has them
    destinations = reader.named_destinations
    assert inside and all(name in destinations for name in inside)
    # The home page's list of playbooks leads to each playbook's first sheet.
    home_sheets = reader.pages[:reader.get_page_number(destinations["/part-1"].page)]  # before the persona's
    home = [str(a.get_object()["/Dest"]) for sheet in home_sheets for a in sheet.get("/Annots") or []
            if "/Dest" in a.get_object()]
    for number, playbook in enumerate(packed.playbooks.values(), start=2):  # home 0, persona 1
        assert f"/part-{number}" in home
        sheet = reader.get_page_number(destinations[f"/part-{number}"].page)
        assert reader.pages[sheet].extract_text().split("\n")[1].startswith(playbook.title[:30]), playbook.id


def test_bookmarks_for_every_page_and_its_sections(printed: tuple[Any, Any]) -> None:
    reader, packed = printed
    tops = [item.title for item in reader.outline if not isinstance(item, list)]
    assert tops == [
        "AI readiness pack for Acme Ltd", "Risk-averse",
        *[p.title for p in packed.playbooks.values()], *[c.title for c in packed.checklists.values()],
        "Frequently asked questions", "Glossary",
    ]
    sections = [item for item in reader.outline if isinstance(item, list)]
    assert [s.title for s in sections[0]][:2] == ["Where you are today: Risk-averse", "Your playbooks, in order"]
    assert "Respond to a compromised SaaS integration across every client tenant" in tops  # a heading that wraps


def test_page_x_of_y_across_the_pack_with_one_footer(printed: tuple[Any, Any]) -> None:
    reader, _ = printed
    total = len(reader.pages)
    assert total > 20
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert text.count(f"Page {number} of {total}") == 1, number
        assert text.count("prepared by Example MSP Ltd") == 1, number  # no second footer over it
        assert " · version " not in text  # a checklist's own running header stays out


def test_the_client_is_named_wherever_a_page_asks(printed: tuple[Any, Any]) -> None:
    reader, packed = printed
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.count("Client Acme Ltd Ticket") == len(packed.checklists)  # each sign-off block
    assert all(f"AI readiness pack for {CLIENT}" in page.extract_text() for page in reader.pages)


def test_the_pdf_holds_nothing_written_for_staff(printed: tuple[Any, Any]) -> None:
    reader, _ = printed
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert [pattern for pattern in STAFF_ONLY if re.search(pattern, text, flags=re.IGNORECASE)] == []
