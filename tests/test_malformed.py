"""Malformed content, end to end through `kb build` over an already built site: one clear
`path:line: message` line per problem, exit 1, no traceback, and the previous site/ stays
byte-for-byte as it was (no staging folder left behind either)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.model import Playbook
from tests.conftest import FIXTURES, edit, run_kb, tree_digest

Mutation = Callable[[Path], None]


def append(rel: str, text: str) -> Mutation:
    def mutate(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return mutate


def replace(rel: str, old: str, new: str) -> Mutation:
    return lambda root: edit(root / rel, old, new)


def write(rel: str, data: bytes) -> Mutation:
    return lambda root: (root / rel).write_bytes(data)


def huge(root: Path) -> None:
    with (root / "content/terms/huge.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them


def symlink_loop(root: Path) -> None:
    os.symlink(root / "content", root / "content/terms/loop")


CYCLE = "next:\n  persona: starter\n  when: [Things fall apart.]\n"

# 700 bytes that expand to 10**9 strings (the "billion laughs").
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def fifo(root: Path) -> None:
    os.mkfifo(root / "content/terms/pipe.yaml")


def link_to(target: str, name: str) -> Mutation:
    return lambda root: os.symlink(target, root / "content/terms" / name)


def outside_file(root: Path) -> None:
    (root.parent / "elsewhere.yaml").write_text("- id: secret\n  term: Secret\n  definition: From outside.\n")
    os.symlink(root.parent / "elsewhere.yaml", root / "content/terms/elsewhere.yaml")

CASES: dict[str, tuple[Mutation, list[str]]] = {
    "yaml syntax error": (
        replace("content/terms/terms.yaml", "related: [service-account]", "related: [service-account"),
        ["content/terms/terms.yaml:5: YAML syntax error at column 5: did not find expected ',' or ']' "
         "(while parsing a flow sequence)"],
    ),
    "tab indent": (
        replace("content/personas/starter.yaml", "signals:\n  - Files", "signals:\n\t- Files"),
        ["content/personas/starter.yaml:5: a tab character is used for indentation (indent with spaces)"],
    ),
    "duplicate key": (
        append("content/personas/starter.yaml", "name: Again\n"),
        ["content/personas/starter.yaml:24: duplicate key 'name' (first defined on line 2)"],
    ),
    "wrong type": (
        replace("content/checklists/access-baseline.yaml", "required: false", "required: sometimes"),
        ["content/checklists/access-baseline.yaml:15: items[1].required: input should be a valid boolean, "
         "unable to interpret input (got 'sometimes')"],
    ),
    "missing required field": (
        replace("content/personas/advanced.yaml", "name: Advanced\n", ""),
        ["content/personas/advanced.yaml:1: missing required field 'name'"],
    ),
    "unknown key": (
        replace("content/playbooks/sort-out-access.yaml", "effort: 2 days", "efort: 2 days"),
        ["content/playbooks/sort-out-access.yaml:27: unknown field 'efort' "
         f"(allowed: {', '.join(sorted(Playbook.model_fields))}; did you mean 'effort'?)"],
    ),
    "empty file": (
        write("content/terms/empty.yaml", b""),
        ["content/terms/empty.yaml:1: file is empty (expected a mapping or a list)"],
    ),
    "not utf-8": (
        write("content/terms/latin1.yaml", b"id: cafe\nterm: caf\xe9\ndefinition: x\n"),
        ["content/terms/latin1.yaml:2: file is not UTF-8 text (byte 0xe9)"],
    ),
    "control character": (
        write("content/terms/bell.yaml", b"id: bell\nterm: ding\x07\ndefinition: x\n"),
        ["content/terms/bell.yaml:2: character U+0007 is not allowed in YAML text "
         "(control characters other than tab and newline cannot appear)"],
    ),
    "50 MB file": (
        huge,
        ["content/terms/huge.yaml:1: file is 52,428,800 bytes; the limit is 5,242,880 bytes"],
    ),
    "symlink loop": (
        symlink_loop,
        ["content/terms/loop:1: symlink loop: this folder is already read"],
    ),
    "persona progression cycle": (
        append("content/personas/advanced.yaml", CYCLE),
        ["content/personas/advanced.yaml:1: persona progression cycles: advanced -> starter -> advanced",
         "content/personas/starter.yaml:1: persona progression cycles: starter -> advanced -> starter"],
    ),
    "alias bomb": (
        write("content/terms/bomb.yaml", BOMB.encode()),
        ["content/terms/bomb.yaml:8: YAML aliases repeat too much: the anchor on this line is repeated by 10 aliases, "
         "and the file's aliases add 1,234,567,880 nodes (the limit is 100,000); write the repeated part out, or repeat less"],
    ),
    "symlink to /dev/zero": (
        link_to("/dev/zero", "zero.yaml"),
        ["content/terms/zero.yaml:1: symlink to a file or folder outside the knowledge base "
         "(only what is inside it is published)"],
    ),
    "FIFO": (
        fifo,
        ["content/terms/pipe.yaml:1: not a regular file (only files are read, not devices, FIFOs or sockets)"],
    ),
    "symlink out of the knowledge base": (
        outside_file,
        ["content/terms/elsewhere.yaml:1: symlink to a file or folder outside the knowledge base "
         "(only what is inside it is published)"],
    ),
    ".YAML suffix": (
        write("content/terms/LOUD.YAML", b"- id: loud\n  term: Loud\n  definition: Shouted.\n"),
        ["content/terms/LOUD.YAML:1: file name ends in '.YAML': rename it to 'LOUD.yaml' "
         "(only .yaml and .yml files are read)"],
    ),
    "impossible date": (
        replace("content/personas/starter.yaml", "reviewed: 2026-11-01", "reviewed: 2026-02-30"),
        ["content/personas/starter.yaml:23: '2026-02-30' is not a valid date (day is out of range for month)"],
    ),
    "date in year 9999": (
        replace("content/personas/starter.yaml", "reviewed: 2026-11-01", "reviewed: 9999-12-31"),
        ["content/personas/starter.yaml:23: reviewed: input should be less than or equal to 2100-12-31 "
         "(got datetime.date(9999, 12, 31))"],
    ),
    "10**20 days between reviews": (
        replace("content/personas/starter.yaml", "reviewed: 2026-11-01", "reviewed: 2026-11-01\nreview_every_days: "
                 "1" + "0" * 20),
        ["content/personas/starter.yaml:24: review_every_days: input should be less than or equal to 36500 "
         "(got 100000000000000000000)"],
    ),
    "1e20 days between reviews": (
        replace("content/personas/starter.yaml", "reviewed: 2026-11-01", "reviewed: 2026-11-01\nreview_every_days: 1e20"),
        ["content/personas/starter.yaml:24: review_every_days: input should be a valid integer, unable to parse "
         "string as an integer (got '1e20')"],
    ),
    "page audience 'Internal'": (
        write("content/pages/secret.md", b"---\ntitle: Secret\naudience: Internal\n---\n# Pricing\n"),
        ["content/pages/secret.md:3: audience: 'Internal' is not one of: internal, client"],
    ),
    "page key 'Audience'": (
        write("content/pages/secret.md", b"---\nAudience: internal\n---\n# Pricing\n"),
        ["content/pages/secret.md:2: write 'Audience' as 'audience' (keys are lowercase)"],
    ),
    "page front matter never closed": (
        write("content/pages/secret.md", b"---\naudience: internal\n# Pricing\n"),
        ["content/pages/secret.md:1: front matter opened on line 1 is never closed (end it with a line '---')"],
    ),
    "page audience outside front matter": (
        write("content/pages/secret.md", b"\naudience: internal\n\n# Pricing\n"),
        ["content/pages/secret.md:2: 'audience' must be in front matter between '---' lines at the top of the page"],
    ),
    "page front matter with a YAML error": (
        write("content/pages/secret.md", b"---\naudience: [internal\n---\n# Pricing\n"),
        ["content/pages/secret.md:3: YAML syntax error at column 1: did not find expected ',' or ']' "
         "(while parsing a flow sequence)"],
    ),
    "Latin-1 page": (
        write("content/pages/latin1.md", b"# Caf\xc3\xa9\n\nMenu du caf\xe9\n"),
        ["content/pages/latin1.md:3: file is not UTF-8 text (byte 0xe9)"],
    ),
    "term id 'index'": (
        append("content/terms/terms.yaml", "- id: index\n  term: Index\n  definition: Replaces the glossary.\n"),
        ["content/terms/terms.yaml:9: term id 'index' is reserved: it would replace the terms section's own page "
         "(choose another)"],
    ),
    "playbook alias 'index'": (
        replace("content/playbooks/sort-out-access.yaml", "title: Sort out access", "title: Sort out access\naliases: [index]"),
        ["content/playbooks/sort-out-access.yaml:3: playbook former id 'index' is reserved: it would replace the "
         "playbooks section's own page (choose another)"],
    ),
    "takeaway id that is the page title's anchor": (
        write("content/takeaways/again.yaml", b"id: takeaways\ntitle: Again\ntext: Twice.\n"),
        ["content/takeaways/again.yaml:1: takeaway id 'takeaways' is reserved: it is the anchor of the takeaways "
         "page's title (choose another)"],
    ),
    "500-character id": (
        write("content/terms/long.yaml", b"id: " + b"a" * 500 + b"\nterm: Long\ndefinition: Too long a name.\n"),
        ["content/terms/long.yaml:1: term id 'aaaaaaaaaaaaaaaaaaaa...' is 500 characters long; ids have at most 100 "
         "(they become file names and URLs)"],
    ),
    "item id 'kb-sign-off'": (
        replace("content/checklists/access-baseline.yaml", "  - id: owner-named", "  - id: kb-sign-off"),
        ["content/checklists/access-baseline.yaml:13: item id 'kb-sign-off' in 'access-baseline' is reserved: ids "
         "starting with 'kb-' name the page's own parts (choose another)"],
    ),
    "item id 'check-...'": (
        replace("content/checklists/access-baseline.yaml", "  - id: owner-named", "  - id: check-mfa-enforced"),
        ["content/checklists/access-baseline.yaml:13: item id 'check-mfa-enforced' in 'access-baseline' is reserved: "
         "ids starting with 'check-' name the items' checkboxes (choose another)"],
    ),
    "step id that is the page title's anchor": (
        replace("content/playbooks/sort-out-access.yaml", "  - id: list-accounts", "  - id: sort-out-access"),
        ["content/playbooks/sort-out-access.yaml:7: step id 'sort-out-access' in 'sort-out-access' is the anchor of "
         "the page's title (choose another)"],
    ),
    "controls TENET.6 and tenet-6": (
        replace("frameworks/mini-zt.yaml", "        kind: tenet\n", "        kind: tenet\n      - id: TENET.6\n"
                "        title: Shouted\n        kind: tenet\n"),
        ["frameworks/mini-zt.yaml:13: control id 'TENET.6' and 'tenet-6' (at frameworks/mini-zt.yaml:10) both become "
         "the page frameworks/mini-zt/tenet-6/: control ids must differ in more than case and punctuation"],
    ),
    "control 'Index'": (
        replace("frameworks/mini-zt.yaml", "        kind: tenet\n", "        kind: tenet\n      - id: Index\n"
                "        title: Shadows the framework page\n        kind: tenet\n"),
        ["frameworks/mini-zt.yaml:13: control id 'Index' is reserved: as a page it would be 'index', a name the "
         "framework's own pages use"],
    ),
    "control '+++'": (
        replace("frameworks/mini-zt.yaml", "        kind: tenet\n", "        kind: tenet\n      - id: '+++'\n"
                "        title: No name\n        kind: tenet\n"),
        ["frameworks/mini-zt.yaml:13: control id '+++' has no letters or digits, so it cannot name a page"],
    ),
    "same id in two files": (
        write("content/takeaways/again.yaml", b"id: foundations-first\ntitle: Again\ntext: Twice.\n"),
        ["content/takeaways/first.yaml:1: duplicate takeaway id 'foundations-first' "
         "(first defined at content/takeaways/again.yaml:1)"],
    ),
    "sidebar limit of zero": (
        replace("content/site.yaml", "title:", "sidebar_limit: 0\ntitle:"),
        ["content/site.yaml:1: sidebar_limit: input should be greater than or equal to 1 (got 0)"],
    ),
}


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample tree with its site built once; each case works on a copy of both."""
    root = tmp_path_factory.mktemp("malformed") / "kb"
    shutil.copytree(FIXTURES / "sample", root)
    result = run_kb("build", root=root)
    assert result.exit_code == 0, result.stderr
    return root


@pytest.mark.parametrize("case", CASES)
def test_malformed_content_fails_cleanly_and_keeps_the_site(case: str, built_sample: Path, tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(built_sample, root, symlinks=True)
    before = tree_digest(root / "site")
    mutate, expected = CASES[case]
    mutate(root)
    started = time.perf_counter()
    result = run_kb("build", root=root)
    elapsed = time.perf_counter() - started
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [*expected, f"{len(expected)} problem(s) found."]
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == ["build", "content", "frameworks", "site"]
    if case == "50 MB file":
        assert elapsed < 2.0  # refused by its size, never read


# --- The careless operator: an --out that would lose more than an earlier site ------------------

ADVICE = "choose a new or empty folder, or one `kb build` made before"
OUT_CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "--out content": (lambda root: root / "content", "it is inside the knowledge base's content/; {advice}"),
    "--out frameworks": (lambda root: root / "frameworks", "it is inside the knowledge base's frameworks/; {advice}"),
    "--out inside content": (lambda root: root / "content/terms", "it is inside the knowledge base's content/; {advice}"),
    "--out .": (lambda root: root, "it is the knowledge base folder (its content/ and frameworks/ would be "
                                   "replaced by the site); {advice}, such as {root}/site"),
    "--out parent": (lambda root: root.parent, "it is a parent of the knowledge base folder (its content/ and "
                                               "frameworks/ would be replaced by the site); {advice}, such as {root}/site"),
    "--out a folder of other files": (lambda root: root / "notes",
                                      "it is not empty and was not built by kb (it has no .kb-site file), so its "
                                      "files would be deleted; {advice}"),
    "site/ not built by kb": (lambda root: root / "site",
                              "it is not empty and was not built by kb (it has no .kb-site file), so its files "
                              "would be deleted; {advice}"),
}


@pytest.mark.parametrize("case", OUT_CASES)
def test_an_output_folder_that_is_not_a_site_is_refused(case: str, sample: Path) -> None:
    (sample / "notes").mkdir()
    (sample / "notes/todo.txt").write_text("keep me\n")
    (sample / "site").mkdir()
    (sample / "site/mine.html").write_text("<p>hand-made</p>\n")
    before = tree_digest(sample.parent)
    where, message = OUT_CASES[case]
    out = where(sample)
    result = run_kb("build", *(["--out", out] if case != "site/ not built by kb" else []), root=sample)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: refusing to build into {out}: " + message.format(advice=ADVICE, root=sample) + "\n"
    assert tree_digest(sample.parent) == before


def test_an_output_folder_that_is_a_file_is_refused(sample: Path) -> None:
    (sample / "site").write_text("a file\n")
    result = run_kb("build", root=sample)
    assert (result.exit_code, result.stderr) == (2, f"error: refusing to build into {sample / 'site'}: it is a file, "
                                                    f"not a folder; {ADVICE}\n")


def test_an_empty_folder_or_an_earlier_site_is_replaced(sample: Path) -> None:
    (sample / "site").mkdir()
    assert run_kb("build", root=sample).exit_code == 0
    assert (sample / "site/.kb-site").is_file() and (sample / "site/index.html").is_file()
    assert run_kb("build", root=sample).exit_code == 0  # our own site, marked as ours
    assert sorted(p.name for p in sample.iterdir()) == ["build", "content", "frameworks", "site"]


def test_an_editor_lock_file_is_ignored(sample: Path) -> None:
    """Emacs marks a file being edited with `.#name`, a symlink to nowhere; it is not content."""
    os.symlink("someone@host.1234:1700000000", sample / "content/terms/.#terms.yaml")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("kind", "entity_id", "reason"), [
    ("term", "index", "'index' is reserved: it would replace the terms section's own page; choose another id"),
    ("faq", "kb-sign-off", "'kb-sign-off' is reserved: ids starting with 'kb-' name the pages' own parts; choose another id"),
    ("takeaway", "takeaways", "'takeaways' is reserved: it is the anchor of the takeaways page's title; choose another id"),
])
def test_kb_new_refuses_a_reserved_id(kind: str, entity_id: str, reason: str, sample: Path) -> None:
    result = run_kb("new", kind, entity_id, root=sample)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for ID: {reason}\n")
    assert not list(sample.rglob(f"{entity_id}.yaml"))


def test_every_problem_is_reported_in_one_run(sample: Path) -> None:
    """A YAML syntax error in one file used to hide an unknown key in another: a user fixed
    errors in rounds. Files that parse are modelled and checked anyway."""
    edit(sample / "content/terms/terms.yaml", "related: [service-account]", "related: [service-account")
    edit(sample / "content/playbooks/sort-out-access.yaml", "effort: 2 days", "efort: 2 days")
    edit(sample / "content/site.yaml", "title: Sample Knowledge Base", "title: [Sample")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/playbooks/sort-out-access.yaml:27: unknown field 'efort' "
        f"(allowed: {', '.join(sorted(Playbook.model_fields))}; did you mean 'effort'?)",
        "content/site.yaml:2: YAML syntax error at column 13: did not find expected ',' or ']' (while parsing a flow sequence)",
        "content/terms/terms.yaml:5: YAML syntax error at column 5: did not find expected ',' or ']' "
        "(while parsing a flow sequence)",
        "3 problem(s) found.",
    ]
