"""`make bench`: the generator against plain MkDocs and Zensical at 10, 100 and 1,000 playbooks.

Every measured step runs in a fresh process, so its peak memory (from wait4) is its own:
`kb validate`; load+model+link and render (timed inside the process, see stage.py); `mkdocs
build` of the already-rendered pages without our hook (the baseline, see baseline.py); Zensical's
clean build of the same pages in its own venv (the peer; skipped, and said so, when it is not
installed); the full clean `kb build --clean`; and `kb build` after editing one playbook (the
incremental build). The steps alternate within each repetition, so a machine that gets busier
or quieter affects all alike; ratios are medians of back-to-back pairs (CPU time, user +
system: on a shared machine the steadier of the two). Medians are reported, and the site's
size: its median page and its total bytes.

    python -m benchmarks.run [--sizes 10,100,1000] [--reps 4] [--big-reps 1] [--no-serve]
                             [--huge] [--profile 1000]

--huge adds 5,000 playbooks; --profile N prints where the clean `kb build` at N playbooks
spends its CPU (cProfile, own time by package).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import baseline, synth

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.json"
README = REPO / "README.md"
KB = [sys.executable, "-c", "from generator.cli.app import main; main()"]
TABLE_START, TABLE_END = "<!-- bench:start -->", "<!-- bench:end -->"

ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"

#: The issue's targets, checked in the summary.
TARGET_RATIO = 1.10
TARGET_VALIDATE_S = 1.0
TARGET_RENDER_S = 1.0
TARGET_GROWTH = 11.0
TARGET_PEAK_MIB = 512
TARGET_PREVIEW_S = 1.0
TARGET_RENAME_S = 2.0
TARGET_INCREMENTAL_S = 10.0
TARGET_MEDIAN_PAGE_KB = 40
TARGET_SITE_MB = 200
#: Bytes per page count as flat when the median page at 1,000 playbooks is within this factor
#: of the median at 10.
TARGET_FLAT = 1.25


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float
    inner: dict[str, float]


class StepFailed(Exception):
    pass


def measure(command: list[str], env: dict[str, str], allowed_to_fail: bool = False) -> Run:
    """Run command in a fresh process; its wall time, CPU time and peak RSS (from wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        if allowed_to_fail:
            raise StepFailed((stdout + stderr).strip())
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{stdout}{stderr}")
    inner = json.loads(stdout) if stdout.startswith("{") else {}
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, inner)


def median_run(runs: list[Run]) -> dict[str, Any]:
    keys = runs[0].inner.keys()
    return {
        "wall_s": statistics.median(r.wall for r in runs),
        "cpu_s": statistics.median(r.cpu for r in runs),
        "peak_mib": max(r.peak_mib for r in runs),
        **{f"{k}_s" if k != "pages" else k: statistics.median(r.inner[k] for r in runs) for k in keys},
        "runs": len(runs),
    }


#: Page kinds whose size should not grow with the knowledge base, by their URL folder.
FLAT_KINDS = {"playbooks": "playbook", "checklists": "checklist", "terms": "term", "frameworks": "control"}


def site_size(site: Path) -> dict[str, Any]:
    """The built site's bytes: the median HTML page, the median page of each kind in
    FLAT_KINDS, and the whole folder."""
    pages = sorted(p.stat().st_size for p in site.rglob("*.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    by_kind = {kind: statistics.median(p.stat().st_size for p in (site / folder).glob("*/**/index.html")) / 1024
               for folder, kind in FLAT_KINDS.items() if (site / folder).is_dir()}
    return {"median_page_kb": statistics.median(pages) / 1024, "site_mb": total / 1024**2, "html_pages": len(pages),
            "median_kb_by_kind": by_kind}


def _edit_playbook(root: Path, rep: int) -> None:
    """One content edit: a playbook's objective (the text the incremental build redraws)."""
    path = root / "content/playbooks" / f"{synth.playbook_id(1)}.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = PREVIEW_EDITS["text"](1)
    path.write_text(re.sub(re.escape(anchor) + r"( edited \d+)?", f"{anchor} edited {rep}", text, count=1), encoding="utf-8")


def _zensical_reason(error: StepFailed) -> str:
    found = re.findall(r"^\w*Error: (.+)$", str(error), re.M)
    return (found[-1] if found else str(error).splitlines()[-1])[:300]


def bench_size(playbooks: int, reps: int, work: Path, env: dict[str, str]) -> dict[str, Any]:
    root = synth.generate(work / f"kb-{playbooks}", playbooks)
    root_arg = ["--root", str(root)]
    cold = {**env, "KB_NO_CACHE": "1"}  # no parse cache read or written: every file parsed
    # (command, environment) per step; "_cold" steps parse every YAML file, the others find
    # the unchanged files in the parse cache (build/cache), as a second run would.
    commands = {
        "validate_cold": ([*KB, *root_arg, "validate"], cold),
        "validate": ([*KB, *root_arg, "validate"], env),
        "link_cold": ([sys.executable, "-m", "benchmarks.stage", "link", str(root)], cold),
        "link": ([sys.executable, "-m", "benchmarks.stage", "link", str(root)], env),
        "render": ([sys.executable, "-m", "benchmarks.stage", "render", str(root)], env),
        "mkdocs": ([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / baseline.CONFIG_NAME),
                    "-d", str(root / "site-baseline")], env),
        "zensical": ([str(ZENSICAL), "build", "--clean", "-f", str(root / baseline.ZENSICAL_CONFIG)], env),
        "kb_build": ([*KB, *root_arg, "build", "--clean", "--out", str(root / "site")], env),
        # After kb_build (which leaves the incremental cache) and one edit of a playbook.
        "kb_incremental": ([*KB, *root_arg, "build", "--out", str(root / "site")], env),
    }
    if not ZENSICAL.is_file():
        del commands["zensical"]
    measure(commands["validate"][0], env)  # fills the parse cache
    steps: dict[str, list[Run]] = {k: [] for k in commands}
    refused: str | None = None
    for rep in range(1, reps + 1):
        for name, (command, step_env) in commands.items():
            if name == "zensical" and refused:
                continue
            if name == "kb_incremental":
                _edit_playbook(root, rep)
            print(f"  {playbooks:>5} playbooks, run {rep}/{reps}: {name} ...", end="", flush=True)
            try:
                run = measure(command, step_env, allowed_to_fail=name == "zensical")
            except StepFailed as error:
                refused = _zensical_reason(error)
                print(f" refused: {refused}", flush=True)
                continue
            steps[name].append(run)
            print(f" {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.peak_mib:.0f} MiB", flush=True)
    result: dict[str, Any] = {name: median_run(runs) for name, runs in steps.items() if runs}
    if "zensical" in commands and refused:
        result["zensical_refused"] = refused
    elif "zensical" not in commands:
        result["zensical_refused"] = "not installed (make engines creates .venv-zensical)"
    result["size"] = site_size(root / "site")
    pages = int(result["render"]["pages"])
    result["pages"] = pages
    for name in ("mkdocs", "kb_build", "zensical"):
        if name in result:
            result[name]["pages_per_s"] = pages / result[name]["wall_s"]
    result["render"]["pages_per_s"] = pages / result["render"]["render_s"]
    result["ratio_wall"] = result["kb_build"]["wall_s"] / result["mkdocs"]["wall_s"]
    result["ratio_cpu"] = result["kb_build"]["cpu_s"] / result["mkdocs"]["cpu_s"]
    # The same ratio, pairwise per repetition (baseline and ours ran back to back).
    # This machine's speed drifts by 20% within minutes, so the target is judged on this one.
    result["ratio_wall_paired"] = statistics.median(
        k.wall / m.wall for k, m in zip(steps["kb_build"], steps["mkdocs"], strict=True))
    result["ratio_cpu_paired"] = statistics.median(
        k.cpu / m.cpu for k, m in zip(steps["kb_build"], steps["mkdocs"], strict=True))
    if steps.get("zensical"):
        result["ratio_zensical_cpu_paired"] = statistics.median(
            k.cpu / z.cpu for k, z in zip(steps["kb_build"], steps["zensical"], strict=False))
    result["playbooks"] = playbooks
    result["root"] = str(root)
    return result


#: Stages of a clean `kb build`, as (label, file suffix, function): their cumulative CPU under
#: cProfile (which slows small calls most: read the shares, not the seconds).
STAGES = (
    ("load + model + link", "generator/core/link.py", "load_knowledge_base"),
    ("render (this process's share)", "generator/core/render.py", "draw"),
    ("MkDocs: Markdown to HTML (Python-Markdown)", "mkdocs/structure/pages.py", "render"),
    ("MkDocs: search index (Material)", "material/plugins/search/plugin.py", "on_page_context"),
    ("MkDocs: page templates (Material, Jinja; also counts render's)", "jinja2/environment.py", "render"),
    ("sanitise every page (as MkDocs' output is copied into the staging folder)", "generator/core/sanitise.py",
     "clean"),
    ("copy MkDocs' output into the staging folder, sanitising included", "generator/engine/incremental.py",
     "assemble"),
    ("after build: checklist exports", "generator/features/checklists/exports.py", "write_site_files"),
    ("after build: permalinks", "generator/core/permalinks.py", "write_site_files"),
)


def profile(root: Path, env: dict[str, str]) -> list[tuple[str, float]]:
    """Where a clean `kb build` of root spends its CPU: each stage's share of the whole."""
    import pstats

    out = root / "build" / "kb-build.prof"
    measure([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "benchmarks.kb", *["--root", str(root)],
             "build", "--clean", "--out", str(root / "site")], env)
    stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    total = max(cumulative for (_, _, name), (_, _, _, cumulative, _) in stats.items() if name == "build")
    shares = []
    for label, suffix, function in STAGES:
        seconds = sum(cumulative for (filename, _, name), (_, _, _, cumulative, _) in stats.items()
                      if name == function and filename.endswith(suffix))
        shares.append((label, seconds / total))
    return shares


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(predicate: Any, limit: float, what: str, server: subprocess.Popen[bytes], log: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if predicate():
            return time.perf_counter() - start
        if server.poll() is not None:
            raise SystemExit(f"kb serve stopped while waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    raise SystemExit(f"timed out after {limit:.0f} s waiting for {what}:\n{log.read_text()[-3000:]}")


#: The two edits the preview is timed with: a change to a playbook's text (its objective), which
#: changes only the pages that show that text, and a rename, which also changes the nav of the
#: whole Playbooks section.
PREVIEW_EDITS = {
    "text": lambda n: f"Bring client estate {n} to",
    "rename": synth.playbook_title,
}


def bench_preview(root: Path, env: dict[str, str], edits: int = 3) -> dict[str, Any]:
    """Start `kb serve`, edit one playbook's YAML, time until its page shows the change."""
    port = _free_port()
    log = root / "serve.log"
    playbook = 50 if (root / "content/playbooks" / f"{synth.playbook_id(50)}.yaml").exists() else 1
    path = root / "content/playbooks" / f"{synth.playbook_id(playbook)}.yaml"
    url = f"http://127.0.0.1:{port}/playbooks/{synth.playbook_id(playbook)}/"
    original = path.read_text(encoding="utf-8")
    timings: dict[str, list[float]] = {kind: [] for kind in PREVIEW_EDITS}
    with log.open("wb") as sink:
        start = time.perf_counter()
        server = subprocess.Popen([*KB, "--root", str(root), "serve", "--address", f"127.0.0.1:{port}"],
                                  stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        try:
            _wait_for(lambda: _get(url) is not None, 900, "the first build", server, log)
            first = time.perf_counter() - start
            for kind, anchor in PREVIEW_EDITS.items():
                old = anchor(playbook)
                for n in range(1, edits + 1):
                    marker = f"edited {n} {time.time_ns()}"
                    print(f"  preview: {kind} edit {n}/{edits} ...", end="", flush=True)
                    path.write_text(original.replace(old, f"{old} {marker}", 1), encoding="utf-8")
                    took = _wait_for(lambda m=marker: m in (_get(url) or ""), 300, "the edit to show", server, log)
                    timings[kind].append(took)
                    print(f" {took:.2f} s", flush=True)
                path.write_text(original, encoding="utf-8")
                _wait_for(lambda o=old: "edited" not in (_get(url) or "edited"), 300, "the original to show", server, log)
        finally:
            path.write_text(original, encoding="utf-8")
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {"playbooks": len(list((root / "content/playbooks").glob("*.yaml"))), "first_build_s": first,
            "edit_to_page_s": statistics.median(timings["text"]), "edits": timings["text"],
            "rename_to_page_s": statistics.median(timings["rename"]), "renames": timings["rename"]}


def machine() -> dict[str, Any]:
    cpu = "unknown"
    info = Path("/proc/cpuinfo")
    if info.is_file():
        found = re.search(r"^model name\s*:\s*(.+)$", info.read_text(), re.M)
        cpu = found.group(1) if found else cpu
    memory = Path("/proc/meminfo")
    total = re.search(r"MemTotal:\s+(\d+)", memory.read_text()) if memory.is_file() else None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(int(total.group(1)) / 1024**2, 1) if total else None,
        "python": platform.python_version(), "system": platform.platform(),
        "load_average_before": os.getloadavg(),
    }


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"


def table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    head = ("| Playbooks (pages) | load + model + link: cold / cached | render | mkdocs build (baseline) | Zensical (peer)"
            " | kb build --clean | kb build / baseline | kb build after one edit | peak MiB (kb build) | median page / site |")
    rows = [head, "| " + " | ".join(["---"] * 10) + " |"]
    for s in sizes:
        zensical = (f"{_fmt(s['zensical']['wall_s'])} s (CPU {_fmt(s['zensical']['cpu_s'])} s)" if "zensical" in s
                    else f"refused: {s.get('zensical_refused', 'not run')}")
        rows.append(
            f"| {s['playbooks']:,} ({s['pages']:,}) | {_fmt(s['link_cold']['validate_s'])} s / {_fmt(s['link']['validate_s'])} s"
            f" | {_fmt(s['render']['render_s'])} s"
            f" | {_fmt(s['mkdocs']['wall_s'])} s (CPU {_fmt(s['mkdocs']['cpu_s'])} s)"
            f" | {zensical}"
            f" | {_fmt(s['kb_build']['wall_s'])} s (CPU {_fmt(s['kb_build']['cpu_s'])} s)"
            f" | {s['ratio_cpu_paired']:.2f} | {_fmt(s['kb_incremental']['wall_s'])} s"
            f" | {s['kb_build']['peak_mib']:.0f} | {s['size']['median_page_kb']:.0f} KB / {s['size']['site_mb']:.0f} MB |"
        )
    return "\n".join(rows)


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each of the issue's targets that this run measured."""
    by = {s["playbooks"]: s for s in results["sizes"]}
    out = []
    worst = max(results["sizes"], key=lambda s: s["ratio_cpu_paired"])
    out.append((f"kb build ≤ {TARGET_RATIO:.2f} × plain MkDocs (CPU) at every size",
                ", ".join(f"{s['playbooks']:,}: {s['ratio_cpu_paired']:.2f}" for s in results["sizes"]),
                worst["ratio_cpu_paired"] <= TARGET_RATIO))
    peers = [s for s in results["sizes"] if "ratio_zensical_cpu_paired" in s]
    if peers:
        out.append(("clean kb build CPU ≤ Zensical's clean build CPU of the same pages",
                    ", ".join(f"{s['playbooks']:,}: {s['ratio_zensical_cpu_paired']:.2f} ×" for s in peers)
                    + "".join(f"; {s['playbooks']:,}: Zensical refused" for s in results["sizes"] if "zensical_refused" in s),
                    all(s["ratio_zensical_cpu_paired"] <= 1.0 for s in peers)))
    else:
        out.append(("clean kb build CPU ≤ Zensical's clean build CPU of the same pages",
                    "not measured: " + "; ".join(sorted({s.get("zensical_refused", "?") for s in results["sizes"]})), False))
    big = by.get(1000) or by.get(max(by))
    if big:
        n = f"{big['playbooks']:,}"
        size = big["size"]
        out.append((f"median page ≤ {TARGET_MEDIAN_PAGE_KB} KB and site ≤ {TARGET_SITE_MB} MB at {n} playbooks",
                    f"{size['median_page_kb']:.0f} KB, {size['site_mb']:.0f} MB",
                    size["median_page_kb"] <= TARGET_MEDIAN_PAGE_KB and size["site_mb"] <= TARGET_SITE_MB))
        out.append((f"kb build after one content edit ≤ {TARGET_INCREMENTAL_S:.0f} s at {n} playbooks",
                    f"{big['kb_incremental']['wall_s']:.1f} s (CPU {big['kb_incremental']['cpu_s']:.1f} s)",
                    big["kb_incremental"]["wall_s"] <= TARGET_INCREMENTAL_S))
        for step, how in (("link_cold", "cold: every file parsed"), ("link", "unchanged files from the parse cache")):
            out.append((f"load + model + link of {n} playbooks ≤ {TARGET_VALIDATE_S:.0f} s ({how})",
                        f"{big[step]['validate_s']:.2f} s", big[step]["validate_s"] <= TARGET_VALIDATE_S))
        out.append((f"render of {n} playbooks ≤ {TARGET_RENDER_S:.0f} s",
                    f"{big['render']['render_s']:.2f} s", big["render"]["render_s"] <= TARGET_RENDER_S))
        out.append((f"peak memory of the {n}-playbook kb build ≤ {TARGET_PEAK_MIB} MiB",
                    f"{big['kb_build']['peak_mib']:.0f} MiB", big["kb_build"]["peak_mib"] <= TARGET_PEAK_MIB))
    small = by.get(min(by))
    if big and small and big is not small:
        # Per kind: the mix of kinds changes with size (1,000 playbooks are mostly playbook and
        # checklist pages, 10 mostly control and glossary pages), a page of one kind should not.
        before, after = small["size"]["median_kb_by_kind"], big["size"]["median_kb_by_kind"]
        ratios = {kind: after[kind] / before[kind] for kind in before if kind in after}
        target = (f"bytes per page flat from {small['playbooks']:,} to {big['playbooks']:,} playbooks"
                  f" (each kind's median page within {TARGET_FLAT:.2f} ×)")
        measured = ", ".join(f"{kind} {before[kind]:.0f} → {after[kind]:.0f} KB" for kind in ratios)
        out.append((target, measured, all(1 / TARGET_FLAT <= r <= TARGET_FLAT for r in ratios.values())))
    if 100 in by and 1000 in by:
        growth = {
            "load+model+link (cold)": by[1000]["link_cold"]["validate_s"] / by[100]["link_cold"]["validate_s"],
            "render": by[1000]["render"]["render_s"] / by[100]["render"]["render_s"],
            "mkdocs build": by[1000]["mkdocs"]["cpu_s"] / by[100]["mkdocs"]["cpu_s"],
            "kb build": by[1000]["kb_build"]["cpu_s"] / by[100]["kb_build"]["cpu_s"],
        }
        out.append((f"time(1,000) / time(100) ≤ {TARGET_GROWTH:.0f} per stage",
                    ", ".join(f"{k} {v:.1f}" for k, v in growth.items()),
                    all(v <= TARGET_GROWTH for v in growth.values())))
    preview = results.get("preview")
    if preview:
        out.append((f"page reloaded ≤ {TARGET_PREVIEW_S:.0f} s after a text edit under kb serve ({preview['playbooks']} playbooks)",
                    f"{preview['edit_to_page_s']:.1f} s (first build {preview['first_build_s']:.0f} s)",
                    preview["edit_to_page_s"] <= TARGET_PREVIEW_S))
        out.append((f"the same after renaming the playbook ≤ {TARGET_RENAME_S:.0f} s",
                    f"{preview['rename_to_page_s']:.1f} s", preview["rename_to_page_s"] <= TARGET_RENAME_S))
    return out


def targets_table(results: dict[str, Any]) -> str:
    rows = ["| Target | Measured | Met |", "| --- | --- | --- |"]
    rows += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in targets(results)]
    return "\n".join(rows)


def profile_table(results: dict[str, Any]) -> str:
    intro = (f"Where the clean `kb build` of {results['profile']['playbooks']:,} playbooks spends its CPU (cProfile,"
             " cumulative, as a share of the `kb build` command):")
    rows = [intro, "", "| Stage | Share |", "| --- | --- |"]
    rows += [f"| {name} | {share:.0%} |" for name, share in results["profile"]["shares"]]
    return "\n".join(rows)


def write_readme(results: dict[str, Any]) -> None:
    text = README.read_text(encoding="utf-8")
    if TABLE_START not in text:
        return
    m = results["machine"]
    block = "\n".join([
        TABLE_START,
        (f"Last run: {results['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB), Python"
        f" {m['python']}; load average before the run {m['load_average_before'][0]:.1f}; medians of"
        f" {results['reps']} runs ({results['big_reps']} at 1,000 playbooks and more). Times are wall-clock"
        " seconds, CPU (user + system) where said; ratios are CPU."),
        "",
        table(results),
        "",
        targets_table(results),
        *(["", profile_table(results)] if results.get("profile") else []),
        TABLE_END,
    ])
    before, _, rest = text.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    README.write_text(before + block + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--reps", type=int, default=4, help="repetitions below 1,000 playbooks")
    parser.add_argument("--big-reps", type=int, default=1, help="repetitions at 1,000 playbooks and more")
    parser.add_argument("--no-serve", action="store_true", help="skip the live-preview measurement")
    parser.add_argument("--serve-size", type=int, default=100, help="playbooks for the live-preview measurement")
    parser.add_argument("--no-readme", action="store_true", help="do not update README.md and results.json")
    parser.add_argument("--results", type=Path, default=None,
                        help="write the results to this JSON file instead of results.json and README.md")
    parser.add_argument("--huge", action="store_true", help="also 5,000 playbooks (about an hour more)")
    parser.add_argument("--profile", type=int, default=None, metavar="PLAYBOOKS",
                        help="profile the clean kb build at this size (one of --sizes)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KB_ROOT", None)
    results: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                               "machine": machine(), "reps": args.reps, "big_reps": args.big_reps, "sizes": []}
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    started = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",")] + ([5000] if args.huge else [])
    try:
        for size in sizes:
            print(f"{size} playbooks:", flush=True)
            results["sizes"].append(bench_size(size, args.big_reps if size >= 1000 else args.reps, work, env))
        preview_size = args.serve_size if args.serve_size in [s["playbooks"] for s in results["sizes"]] else None
        if not args.no_serve and preview_size:
            print(f"live preview at {preview_size} playbooks:", flush=True)
            results["preview"] = bench_preview(work / f"kb-{preview_size}", env)
        if args.profile in sizes:
            print(f"profile of kb build --clean at {args.profile} playbooks ...", flush=True)
            results["profile"] = {"playbooks": args.profile, "shares": profile(work / f"kb-{args.profile}", env)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["total_s"] = time.perf_counter() - started
    print()
    print(table(results))
    print()
    print(targets_table(results))
    if results.get("profile"):
        print()
        print(profile_table(results))
    print(f"\nbenchmark took {results['total_s'] / 60:.1f} min")
    if args.results is not None:
        args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.results}")
    elif not args.no_readme:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        write_readme(results)
        print(f"wrote {RESULTS.relative_to(REPO)} and the table in README.md")


if __name__ == "__main__":
    main()
