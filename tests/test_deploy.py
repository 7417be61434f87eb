"""The deployment recipes work: Debian's nginx, configured with exactly deploy/nginx/kb.conf
(only `listen` and `root` changed), serves the built bundled site on 127.0.0.1 and every file
of it loads, byte for byte, with the right content type: pages, checklist exports, the search
index, assets, the 404 page, and the redirect pages of former ids (from the sample knowledge
base after renames, since the bundled one has renamed no page). IIS's web.config declares the
same types."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import FIXTURES, REPO, run_kb
from tests.test_checklists import renamed

RECIPE = REPO / "deploy" / "nginx" / "kb.conf"
WEB_CONFIG = REPO / "deploy" / "iis" / "web.config"

#: The Content-Type each kind of file must be served with. A new kind of file in the site fails
#: the test until it is added here, to the nginx recipe and to web.config.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".xml": "text/xml; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".gz": "application/octet-stream",  # sitemap.xml.gz, fetched by search engines as is
}
#: The exports a technician attaches to a ticket, which Debian's mime.types does not know.
EXPORTS = {".md", ".csv", ".txt", ".json"}


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)
    if found is None:
        pytest.fail("Debian's nginx is not installed: run `make debian-packages` (apt-get install nginx)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_block(site: Path, port: int) -> str:
    """The recipe's server block, listening on the loopback only and serving site."""
    text = RECIPE.read_text(encoding="utf-8")
    for old in ("    listen 80;\n", "    root /var/www/kb;\n"):
        assert text.count(old) == 1, f"{RECIPE}: expected one {old.strip()!r}"
    return text.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n").replace(
        "    root /var/www/kb;\n", f"    root {site};\n")


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample knowledge base after renames: it has redirect pages of former ids."""
    root = tmp_path_factory.mktemp("renamed") / "kb"
    shutil.copytree(FIXTURES / "sample", root)
    renamed(root)
    result = run_kb("build", root=root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def served(bundled_site: Path, renamed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, int]]:
    """One nginx, started and stopped here, with the recipe's server block once per site."""
    work = tmp_path_factory.mktemp("nginx")
    ports = {bundled_site: free_port(), renamed_site: free_port()}
    temp = "\n".join(f"  {name}_temp_path {work}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Workers drop to `nobody` unless told otherwise; pytest's folders are private to their owner.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n{temp}\n"
        + "".join(server_block(site, port) for site, port in ports.items()) + "}\n",
        encoding="utf-8")
    check = subprocess.run([nginx(), "-t", "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf")],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([nginx(), "-p", str(work), "-e", str(work / "error.log"), "-c", str(work / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not all(_listening(port) for port in ports.values()):
            assert process.poll() is None, (work / "error.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "nginx did not start listening within 10 s"
            time.sleep(0.05)
        yield ports
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def url_path(rel: str) -> str:
    """The URL a visitor uses for a site file: folders for pages (permanent URLs end in /)."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def test_every_file_of_the_bundled_site_loads_with_its_type(bundled_site: Path, served: dict[Path, int]) -> None:
    port = served[bundled_site]
    files = sorted(p.relative_to(bundled_site).as_posix() for p in bundled_site.rglob("*")
                   if p.is_file() and not p.name.startswith("."))
    suffixes = {Path(rel).suffix for rel in files}
    assert suffixes <= TYPES.keys(), f"no content type decided for {sorted(suffixes - TYPES.keys())}"
    assert EXPORTS <= suffixes and "search/search_index.json" in files
    assert sum(rel.endswith("index.html") for rel in files) >= 300  # pages, not just a few
    wrong = []
    for rel in files:
        status, content_type, body = get(port, url_path(rel))
        if (status, content_type) != (200, TYPES[Path(rel).suffix]):
            wrong.append(f"{url_path(rel)}: {status} {content_type!r}")
        elif body != (bundled_site / rel).read_bytes():
            wrong.append(f"{url_path(rel)}: other bytes than {rel}")
    assert wrong == []


def test_exports_and_search_index_by_name(bundled_site: Path, served: dict[Path, int]) -> None:
    port = served[bundled_site]
    base = "/checklists/ai-readiness-assessment/ai-readiness-assessment"
    assert get(port, base + ".csv")[:2] == (200, "text/csv; charset=utf-8")
    assert get(port, base + ".md")[:2] == (200, "text/markdown; charset=utf-8")
    assert get(port, base + ".txt")[:2] == (200, "text/plain; charset=utf-8")
    assert get(port, base + ".json")[:2] == (200, "application/json; charset=utf-8")
    status, content_type, body = get(port, "/search/search_index.json")
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert b'"location":"checklists/ai-readiness-assessment/"' in body


def test_page_without_slash_and_unknown_path(bundled_site: Path, served: dict[Path, int]) -> None:
    port = served[bundled_site]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/personas/ready")
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location", "").endswith("/personas/ready/")
    connection.close()
    status, content_type, body = get(port, "/checklists/no-such-checklist/")
    assert (status, content_type) == (404, "text/html; charset=utf-8")
    assert body == (bundled_site / "404.html").read_bytes()
    assert (bundled_site / ".kb-site").is_file()  # the build's marker is there, and not served
    assert get(port, "/.kb-site")[0] == 404


def test_redirect_pages_of_former_ids(renamed_site: Path, served: dict[Path, int]) -> None:
    port = served[renamed_site]
    for old, new in (("/checklists/access-baseline/", "/checklists/identity-baseline/"),
                     ("/personas/starter/", "/personas/beginner/")):
        status, content_type, body = get(port, old)
        assert (status, content_type) == (200, "text/html; charset=utf-8"), old
        [target] = re.findall(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', body.decode())
        assert urljoin(old, target) == new
        status, content_type, page = get(port, new)
        assert (status, content_type) == (200, "text/html; charset=utf-8")
        assert page == (renamed_site / new.strip("/") / "index.html").read_bytes()


def test_iis_web_config_declares_the_same_types() -> None:
    """IIS serves only the extensions it knows; web.config adds the exports with nginx's types."""
    static = ET.parse(WEB_CONFIG).getroot().find("system.webServer/staticContent")
    assert static is not None
    declared = {m.get("fileExtension"): m.get("mimeType") for m in static.iter("mimeMap")}
    removed = {r.get("fileExtension") for r in static.iter("remove")}
    for suffix in (*EXPORTS, ".map"):
        assert declared[suffix] == TYPES[suffix], suffix
        assert suffix in removed, f"{suffix}: remove it first, or IIS refuses a duplicate on servers that know it"
    root = ET.parse(WEB_CONFIG).getroot()
    default = root.find("system.webServer/defaultDocument/files/add")
    assert default is not None and default.get("value") == "index.html"  # pages and redirect pages are folders
    hidden = root.find("system.webServer/security/requestFiltering/hiddenSegments/add")
    assert hidden is not None and hidden.get("segment") == ".kb-site"
    error = root.find("system.webServer/httpErrors/error")
    assert error is not None and (error.get("statusCode"), error.get("path")) == ("404", "/404.html")
