"""``nox -s bench``: build and page budgets, and the lecturelib grid-cost benchmark.

Prints one table with each measurement beside its budget and writes it to ``bench.json``.

* docs build: cold (empty output and execution cache, venv present), warm (nothing changed) and
  after a one-line edit of one page; wall time, median of ``--runs`` runs, in a temporary copy of
  ``docs/`` and ``src/`` so the working tree is never touched;
* every page: bytes the browser loads and the number of requests (headless Chromium through
  Playwright; the maths stylesheet with its embedded fonts counted), and whether any request
  left the local server;
* lecturelib: the cost over a 2001 × 2001 (w, b) grid on 10⁵ points (time, peak memory, accuracy
  against the direct formula) and the speed ratio against the lecture's exhaustive-search loop.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

import lecturelib as ll

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "index",
    "lectures/01-overview",
    "lectures/02-linear-model",
    "lectures/03-gradient-descent",
    "lectures/04-sgd",
    "glossary",
    "api",
]
BUDGET = {
    "build_cold_s": 30.0,
    "build_warm_s": 3.0,
    "build_edit_s": 6.0,
    "page_bytes": 1.0e6,
    "page_requests": 25,
    "grid_cost_s": 1.0,
    "speedup": 1000.0,
}


# -- lecturelib ----------------------------------------------------------------------------------
def bench_grid_cost() -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 4.0, 100_000)
    y = 2.0 * x + 0.5 + rng.normal(0.0, 1.0, x.size)
    w = np.linspace(0.0, 4.0, 2001)
    b = np.linspace(-2.0, 2.0, 2001)
    W, B = np.meshgrid(w, b)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        C = ll.cost(x, y, W, B)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    ll.cost(x, y, W, B)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # accuracy against the direct formula on 200 random grid points
    idx = rng.integers(0, W.size, 200)
    direct = np.array(
        [np.mean((x * W.flat[i] + B.flat[i] - y) ** 2) for i in idx], dtype=np.float64
    )
    scale = np.maximum(direct, np.var(y))
    rel_err = float(np.max(np.abs(C.flat[idx] - direct) / scale))
    return {
        "grid": "2001 x 2001",
        "points": int(x.size),
        "time_s": min(times),
        "peak_mb": peak / 2**20,
        "grid_mb": W.nbytes / 2**20,
        "max_rel_err": rel_err,
    }


def _lecture_loop(x_data: list[float], y_data: list[float], ws: Any, bs: Any) -> list[float]:
    """The lecture's exhaustive search (forward/loss per sample, summed, divided by N)."""
    out = []
    for w in ws:
        for b in bs:
            l_sum = 0.0
            for x_val, y_val in zip(x_data, y_data, strict=True):
                y_pred_val = x_val * w + b
                l_sum += (y_pred_val - y_val) * (y_pred_val - y_val)
            out.append(l_sum / len(x_data))
    return out


def bench_speedup() -> dict[str, Any]:
    rng = np.random.default_rng(1)
    x = rng.uniform(0.0, 4.0, 1000)
    y = 2.0 * x + rng.normal(0.0, 0.5, x.size)
    w = np.linspace(0.0, 4.0, 2001)
    b = np.linspace(-2.0, 2.0, 2001)
    W, B = np.meshgrid(w, b)
    t0 = time.perf_counter()
    C = ll.cost(x, y, W, B)
    t_lib = time.perf_counter() - t0
    # the lecture's loop on a sample of 20 x 20 grid points, extrapolated per grid point
    ws, bs = w[::100], b[::100]
    t0 = time.perf_counter()
    ref = _lecture_loop(x.tolist(), y.tolist(), ws, bs)
    t_loop = time.perf_counter() - t0
    per_point_loop = t_loop / (len(ws) * len(bs))
    per_point_lib = t_lib / W.size
    agree = np.allclose(np.array(ref), C[::100, ::100].T.ravel(), rtol=1e-9, atol=1e-9)
    return {
        "data_points": int(x.size),
        "loop_us_per_grid_point": per_point_loop * 1e6,
        "lib_ns_per_grid_point": per_point_lib * 1e9,
        "ratio": per_point_loop / per_point_lib,
        "agree": bool(agree),
    }


# -- docs build ----------------------------------------------------------------------------------
def _copy_tree(dst: Path) -> Path:
    ignore = shutil.ignore_patterns("_build", "__pycache__", "*.mo", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "docs", dst / "docs", ignore=ignore)
    shutil.copytree(ROOT / "src", dst / "src", ignore=ignore)
    return dst / "docs"


def _build(docs: Path, env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q"]
    cmd += ["-j", "auto", str(docs), str(docs / "_build" / "html")]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    return time.perf_counter() - t0


def bench_build(runs: int) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = ""  # kernels import the installed lecturelib
    cold, warm, edit = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="lecturelib-bench-") as tmp:
            docs = _copy_tree(Path(tmp))
            cold.append(_build(docs, env))
            warm.append(_build(docs, env))
            page = docs / "lectures" / "02-linear-model.md"
            page.write_text(page.read_text(encoding="utf-8") + "\n\n本行用于基准测试。\n", "utf-8")
            edit.append(_build(docs, env))
    return {
        "runs": runs,
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "edit_s": statistics.median(edit),
        "all": {"cold": cold, "warm": warm, "edit": edit},
    }


# -- page weight ---------------------------------------------------------------------------------
@contextlib.contextmanager
def _serve(root: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def bench_pages(html: Path) -> dict[str, Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright not installed"}
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "/usr/bin/chromium not installed"}
    out: dict[str, Any] = {}
    with _serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        for page_name in PAGES:
            page = browser.new_page()
            sizes: dict[str, int] = {}
            foreign: list[str] = []

            def on_response(resp: Any, sizes: dict[str, int] = sizes) -> None:
                with contextlib.suppress(Exception):
                    sizes[resp.url] = len(resp.body())

            def on_request(req: Any, foreign: list[str] = foreign) -> None:
                if not req.url.startswith(base) and not req.url.startswith("data:"):
                    foreign.append(req.url)

            page.on("response", on_response)
            page.on("request", on_request)
            page.route(
                "**/*", lambda r: r.abort() if not r.request.url.startswith(base) else r.continue_()
            )
            page.goto(f"{base}/{page_name}.html", wait_until="networkidle")
            page.wait_for_timeout(300)
            out[page_name] = {
                "bytes": sum(sizes.values()),
                "requests": len(sizes),
                "foreign_requests": len(foreign),
            }
            page.close()
        browser.close()
    return out


# -- report --------------------------------------------------------------------------------------
def table(results: dict[str, Any]) -> str:
    rows = [("measurement", "value", "budget", "ok")]

    def row(name: str, value: float, budget: float, fmt: str, lower_is_better: bool = True) -> None:
        ok = value <= budget if lower_is_better else value >= budget
        rows.append((name, format(value, fmt), format(budget, fmt), "yes" if ok else "NO"))

    b = results.get("build")
    if b:
        row(
            f"docs build, cold (s, median of {b['runs']})",
            b["cold_s"],
            BUDGET["build_cold_s"],
            ".1f",
        )
        row("docs build, warm, nothing changed (s)", b["warm_s"], BUDGET["build_warm_s"], ".1f")
        row("docs build, one-page edit (s)", b["edit_s"], BUDGET["build_edit_s"], ".1f")
    for name, p in results.get("pages", {}).items():
        if isinstance(p, dict):
            row(f"page {name}: kB loaded", p["bytes"] / 1e3, BUDGET["page_bytes"] / 1e3, ".0f")
            row(f"page {name}: requests", p["requests"], BUDGET["page_requests"], "d")
            row(f"page {name}: requests to other hosts", p["foreign_requests"], 0, "d")
    g = results["grid_cost"]
    row("cost on 2001×2001 grid, 1e5 points (s)", g["time_s"], BUDGET["grid_cost_s"], ".3f")
    rows.append(
        (
            "  peak memory (MB) / grid array (MB)",
            f"{g['peak_mb']:.0f} / {g['grid_mb']:.0f}",
            "no grid×N array",
            "yes" if g["peak_mb"] < 10 * g["grid_mb"] else "NO",
        )
    )
    rows.append(
        (
            "  max error vs direct formula (rel.)",
            f"{g['max_rel_err']:.1e}",
            "1e-09",
            "yes" if g["max_rel_err"] <= 1e-9 else "NO",
        )
    )
    s = results["speedup"]
    row(
        "speed-up vs the lecture's loop (1000 points)",
        s["ratio"],
        BUDGET["speedup"],
        ".0f",
        lower_is_better=False,
    )
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    lines = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="build runs per measurement")
    parser.add_argument("--skip-build", action="store_true", help="skip the build timings")
    parser.add_argument("--html", type=Path, default=ROOT / "docs" / "_build" / "html")
    parser.add_argument("--json", type=Path, default=ROOT / "bench.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "grid_cost": bench_grid_cost(),
        "speedup": bench_speedup(),
    }
    if not args.skip_build:
        results["build"] = bench_build(args.runs)
    if (args.html / "index.html").is_file():
        results["pages"] = bench_pages(args.html)
    else:
        results["pages"] = {"skipped": f"no site at {args.html}: run nox -s docs first"}
    text = table(results)
    print(text)
    results["table"] = text
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwritten {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
