"""``nox -s bench``: build and page budgets, and the lecturelib grid-cost benchmark.

Prints one table with each measurement beside its budget and writes it to ``bench.json``.

* docs build: cold (empty output and execution cache, venv present), warm (nothing changed) and
  after a one-line edit of one page; wall time, median of ``--runs`` runs, in a temporary copy of
  ``docs/`` and ``src/`` so the working tree is never touched;
* every page: bytes the browser loads and the number of requests (headless Chromium through
  Playwright; the maths stylesheet with its embedded fonts counted), and whether any request
  left the local server; on pages with explorers, the bytes they add (their markup with its
  tables, and the script ``_static/explorers.js``);
* search: time from typing a query into the search page to its first results on screen
  (Pagefind UI, headless Chromium), each query once with a cold cache, then again after a reload
  with the browser cache warm;
* lecturelib: the cost over a 2001 × 2001 (w, b) grid on 10⁵ points (time, peak memory, accuracy
  against the direct formula) and the speed ratio against the lecture's exhaustive-search loop;
  the time of ``import lecturelib`` in a fresh interpreter (matplotlib is imported only on first
  use of a figure name);
* training: ``gradient_descent`` and ``sgd`` against the lecture's plain-Python loops doing the
  same work (recording every w, and the cost per epoch for GD), at N = 3 (10⁴ epochs) and
  N = 10⁵ (3 epochs); the results must agree to 1e-12;
* PDF edition: ``nox -s pdf``'s two steps (LaTeX builder, then latexmk) with a warm execution
  cache, in a temporary copy whose site was built once (untimed) to fill the cache, as CI's
  HTML build does; and the size of the book (skipped without xelatex);
* checkpoints: training with a checkpoint every epoch against training without one (N = 10⁴,
  batch 1, 40 epochs, in a directory under ``.cache/`` on the project's disk), and the bytes
  written per epoch (growing linearly: 40 epochs write 4× what 10 epochs write).

Times are the minimum over interleaved repeats (wall clock), so a busy machine hurts both sides.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import re
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
sys.path.insert(0, str(ROOT / "tests"))
from chromium import ChromiumNotFound  # noqa: E402  (tests/chromium.py: the tests' browser)
from chromium import launch as launch_chromium  # noqa: E402

PAGES = [
    "index",
    "lectures/01-overview",
    "lectures/02-linear-model",
    "lectures/03-gradient-descent",
    "lectures/04-sgd",
    "glossary",
    "api",
    "api-figures",
    "search",
]
BUDGET = {
    "build_cold_s": 30.0,
    "build_warm_s": 3.0,
    "build_edit_s": 6.0,
    "page_bytes": 1.0e6,
    "page_requests": 25,
    "explorer_bytes": 150e3,
    "grid_cost_s": 1.0,
    "speedup": 1000.0,
    "import_s": 0.3,
    "train_ratio": 2.0,
    "checkpoint_ratio": 2.0,
    "checkpoint_linearity": 4.5,
    "pdf_s": 60.0,
    "pdf_mb": 15.0,
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


# -- training against the lecture's loops ---------------------------------------------------------
def _lecture_gd(xs: list[float], ys: list[float], epochs: int, w: float, lr: float) -> Any:
    """The lecture's gradient descent: the cost and the gradient summed over the samples."""

    def cost(w: float) -> float:
        return sum((x * w - y) ** 2 for x, y in zip(xs, ys, strict=True)) / len(xs)

    ws, costs = [w], [cost(w)]
    for _ in range(epochs):
        grad = sum(2 * x * (x * w - y) for x, y in zip(xs, ys, strict=True)) / len(xs)
        w -= lr * grad
        ws.append(w)
        costs.append(cost(w))
    return ws, costs


def _lecture_sgd(xs: list[float], ys: list[float], epochs: int, w: float, lr: float) -> Any:
    """The lecture's SGD: one update per sample, every w recorded."""
    ws = [w]
    for _ in range(epochs):
        for x, y in zip(xs, ys, strict=True):
            grad = 2 * x * (x * w - y)
            w -= lr * grad
            ws.append(w)
    return ws


def _lecture_minibatch(
    xs: list[float], ys: list[float], epochs: int, w: float, lr: float, size: int
) -> Any:
    """Mini-batches in plain Python: the mean gradient over each batch, every w recorded."""
    batches = [(xs[i : i + size], ys[i : i + size]) for i in range(0, len(xs), size)]
    ws = [w]
    for _ in range(epochs):
        for bx, by in batches:
            grad = sum(2 * x * (x * w - y) for x, y in zip(bx, by, strict=True)) / len(bx)
            w -= lr * grad
            ws.append(w)
    return ws


def _race(lib: Any, ref: Any, repeats: int) -> tuple[float, float, Any, Any]:
    """Minimum wall time of each over interleaved repeats, and their last results."""
    t_lib = t_ref = float("inf")
    out_lib = out_ref = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out_lib = lib()
        t_lib = min(t_lib, time.perf_counter() - t0)
        t0 = time.perf_counter()
        out_ref = ref()
        t_ref = min(t_ref, time.perf_counter() - t0)
    return t_lib, t_ref, out_lib, out_ref


def bench_training() -> dict[str, Any]:
    rng = np.random.default_rng(2)
    big_x = rng.uniform(0.0, 4.0, 100_000)
    big_y = 2.0 * big_x + rng.normal(0.0, 0.5, big_x.size)
    small_x, small_y = list(ll.X_DATA), list(ll.Y_DATA)
    bx, by = big_x.tolist(), big_y.tolist()
    cases: list[tuple[str, Any, Any, int]] = [
        (
            "GD, N=3, 10⁴ epochs",
            lambda: ll.gradient_descent(small_x, small_y, w0=1.0, lr=0.01, epochs=10_000),
            lambda: _lecture_gd(small_x, small_y, 10_000, 1.0, 0.01),
            15,
        ),
        (
            "SGD, N=3, 10⁴ epochs",
            lambda: ll.sgd(small_x, small_y, w0=1.0, lr=0.01, epochs=10_000),
            lambda: _lecture_sgd(small_x, small_y, 10_000, 1.0, 0.01),
            15,
        ),
        (
            "SGD batch 1, N=10⁵, 3 epochs",
            lambda: ll.sgd(big_x, big_y, w0=1.0, lr=0.001, epochs=3),
            lambda: _lecture_sgd(bx, by, 3, 1.0, 0.001),
            7,
        ),
        (
            "mini-batch 10, N=10⁵, 3 epochs",
            lambda: ll.sgd(big_x, big_y, w0=1.0, lr=0.001, epochs=3, batch_size=10),
            lambda: _lecture_minibatch(bx, by, 3, 1.0, 0.001, 10),
            5,
        ),
    ]
    out: dict[str, Any] = {}
    for name, lib, ref, repeats in cases:
        t_lib, t_ref, history, reference = _race(lib, ref, repeats)
        ws = reference[0] if isinstance(reference, tuple) else reference
        error = float(np.max(np.abs(history.w - np.asarray(ws))))
        if isinstance(reference, tuple):
            error = max(error, float(np.max(np.abs(history.cost - np.asarray(reference[1])))))
        out[name] = {
            "lib_s": t_lib,
            "lecture_s": t_ref,
            "ratio": t_lib / t_ref,
            "max_abs_diff": error,
        }
    return out


def _bytes_written() -> int | None:
    try:
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("wchar:"))
    except (OSError, StopIteration):
        return None


def bench_checkpoint(repeats: int = 5) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    x = rng.uniform(0.0, 4.0, 10_000)
    y = 2.0 * x + rng.normal(0.0, 0.5, x.size)
    cache = ROOT / ".cache"
    cache.mkdir(exist_ok=True)

    def train(epochs: int, with_checkpoint: bool) -> tuple[float, int]:
        with tempfile.TemporaryDirectory(prefix="bench-checkpoint-", dir=cache) as tmp:
            path = Path(tmp) / "run.json" if with_checkpoint else None
            before = _bytes_written()
            t0 = time.perf_counter()
            ll.sgd(x, y, lr=0.001, epochs=epochs, checkpoint=path)
            elapsed = time.perf_counter() - t0
            after = _bytes_written()
            written = 0 if before is None or after is None else after - before
            if path is not None and before is None:  # no /proc: count what the files hold
                written = path.stat().st_size + (path.parent / "run.json.history").stat().st_size
            return elapsed, written

    plain = saving = float("inf")
    for _ in range(repeats):
        plain = min(plain, train(40, False)[0])
        saving = min(saving, train(40, True)[0])
    written_10, written_40 = train(10, True)[1], train(40, True)[1]
    return {
        "n": int(x.size),
        "epochs": 40,
        "without_s": plain,
        "with_s": saving,
        "ratio": saving / plain,
        "bytes_per_epoch": written_40 / 40,
        "bytes_40_over_10": written_40 / written_10 if written_10 else float("nan"),
    }


# -- docs build ----------------------------------------------------------------------------------
def _copy_tree(dst: Path) -> Path:
    ignore = shutil.ignore_patterns("_build", "__pycache__", "*.mo", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "docs", dst / "docs", ignore=ignore)
    shutil.copytree(ROOT / "src", dst / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):  # the site's wheel is built from them
        shutil.copy2(ROOT / name, dst / name)
    return dst / "docs"


# -- import time ---------------------------------------------------------------------------------
_IMPORT_PROBE = """
import json, sys, time
t0 = time.perf_counter()
import lecturelib
dt = time.perf_counter() - t0
heavy = [m for m in ("matplotlib", "matplotlib.pyplot", "mpl_toolkits.mplot3d") if m in sys.modules]
print(json.dumps({"s": dt, "heavy": heavy}))
"""


def bench_import(runs: int = 7) -> dict[str, Any]:
    """``import lecturelib`` in fresh interpreters (the first run, compiling .pyc, is dropped)."""
    probes = []
    for _ in range(runs + 1):
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE], check=True, capture_output=True, text=True
        )
        probes.append(json.loads(done.stdout))
    times = [p["s"] for p in probes[1:]]
    return {"median_s": statistics.median(times), "all_s": times, "heavy": probes[-1]["heavy"]}


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


# -- PDF edition ---------------------------------------------------------------------------------
def bench_pdf() -> dict[str, Any]:
    """``nox -s pdf`` with a warm execution cache (fresh LaTeX output), and the book's size."""
    if shutil.which("xelatex") is None or shutil.which("latexmk") is None:
        return {"skipped": "xelatex/latexmk not installed (.ci/pdf-packages.txt)"}
    env = dict(os.environ)
    env["PYTHONPATH"] = ""  # kernels import the installed lecturelib
    with tempfile.TemporaryDirectory(prefix="lecturelib-bench-pdf-") as tmp:
        docs = _copy_tree(Path(tmp))
        _build(docs, env)  # executes every page once: the cache is warm, as after nox -s docs
        latex = docs / "_build" / "latex"
        pdf = docs / "_build" / "pdf" / "course.pdf"
        sphinx = [sys.executable, "-m", "sphinx", "-b", "latex", "-n", "-W", "--keep-going"]
        t0 = time.perf_counter()
        done = subprocess.run(
            [*sphinx, "-j", "auto", str(docs), str(latex)], env=env, capture_output=True
        )
        executed = b"Executing notebook" in done.stdout + done.stderr
        subprocess.run(
            [sys.executable, str(docs / "_ext" / "pdf_edition.py"), str(latex), str(pdf)],
            check=True,
            env=env,
            capture_output=True,
        )
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace")[-2000:])
        return {"warm_cache_s": seconds, "bytes": pdf.stat().st_size, "executed": executed}


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
    out: dict[str, Any] = {}
    with _serve(html) as base, sync_playwright() as p:
        try:
            browser = launch_chromium(p)
        except ChromiumNotFound as exc:
            return {"skipped": str(exc)}
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
            markup = _explorer_markup(html / f"{page_name}.html")
            if markup:
                script = sum(n for url, n in sizes.items() if "/_static/explorers.js" in url)
                out[page_name]["explorer_bytes"] = markup + script
            page.close()
        browser.close()
    return out


def _explorer_markup(page: Path) -> int:
    """Bytes of the page's explorers as served: each ``data-explorer`` element, its tables in."""
    text = page.read_text("utf-8") if page.is_file() else ""
    found = re.findall(r'<div class="explorer" data-explorer=.*?</script>\s*</div>', text, re.S)
    return sum(len(markup.encode()) for markup in found)


# -- search latency ------------------------------------------------------------------------------
#: Results on screen within this many ms of typing, warm cache (issue 17).
SEARCH_BUDGET_MS = 300.0
SEARCH_QUERIES = (
    "梯度下降",
    "学习率太大",
    "线性回归",
    "每轮更新次数",
    "指数加权平均",
    "mini-batch",
    "SGD 并行",
    "均方误差 MSE",
    "鞍点",
    "断点重开",
)

#: Type ``query`` into the search box; resolve with the ms until the first results are shown
#: (the UI's message names the query and the first three results have their titles).
_TIME_SEARCH = """async (query) => {
  const root = document.getElementById('search-results');
  const input = root.querySelector('input.pagefind-ui__search-input');
  const done = () => {
    const message = root.querySelector('.pagefind-ui__message');
    const m = message && message.textContent.trim()
      .match(/^(?:找到 \\d+ 个 (.*) 的相关结果|未找到 (.*) 的相关结果)$/);
    if (!m || (m[1] ?? m[2]) !== query) return false;
    const items = [...root.querySelectorAll('li.pagefind-ui__result')].slice(0, 3);
    return items.every(li => li.querySelector('.pagefind-ui__result-link'));
  };
  const t0 = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return await new Promise(resolve => {
    const check = () => done() ? resolve(performance.now() - t0) : requestAnimationFrame(check);
    check();
  });
}"""


def bench_search(html: Path) -> dict[str, Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright not installed"}
    with _serve(html) as base, sync_playwright() as p:
        try:
            browser = launch_chromium(p)
        except ChromiumNotFound as exc:
            return {"skipped": str(exc)}
        page = browser.new_page()
        page.goto(f"{base}/search.html", wait_until="networkidle")
        cold = [page.evaluate(_TIME_SEARCH, q) for q in SEARCH_QUERIES]
        page.reload(wait_until="networkidle")
        warm = [page.evaluate(_TIME_SEARCH, q) for q in SEARCH_QUERIES]
        browser.close()
    return {
        "queries": list(SEARCH_QUERIES),
        "cold_ms": cold,
        "warm_ms": warm,
        "warm_median_ms": statistics.median(warm),
        "warm_max_ms": max(warm),
    }


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
    pdf = results.get("pdf")
    if pdf and "warm_cache_s" in pdf:
        row("nox -s pdf, warm execution cache (s)", pdf["warm_cache_s"], BUDGET["pdf_s"], ".1f")
        rows.append(
            (
                "  notebooks executed again by it",
                "yes" if pdf["executed"] else "none",
                "none",
                "NO" if pdf["executed"] else "yes",
            )
        )
        row("PDF size (MB)", pdf["bytes"] / 1e6, BUDGET["pdf_mb"], ".1f")
    elif pdf:
        rows.append(("nox -s pdf", pdf["skipped"], "-", "-"))
    for name, p in results.get("pages", {}).items():
        if isinstance(p, dict):
            row(f"page {name}: kB loaded", p["bytes"] / 1e3, BUDGET["page_bytes"] / 1e3, ".0f")
            row(f"page {name}: requests", p["requests"], BUDGET["page_requests"], "d")
            row(f"page {name}: requests to other hosts", p["foreign_requests"], 0, "d")
            if "explorer_bytes" in p:
                budget = BUDGET["explorer_bytes"] / 1e3
                row(f"page {name}: kB added by explorers", p["explorer_bytes"] / 1e3, budget, ".0f")
    q = results.get("search")
    if q and "warm_max_ms" in q:
        n = len(q["warm_ms"])
        name = f"search: typing → results, warm cache (ms, max of {n})"
        row(name, q["warm_max_ms"], SEARCH_BUDGET_MS, ".0f")
        rows.append(("  first search, cold cache (ms)", f"{q['cold_ms'][0]:.0f}", "-", "-"))
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
    imp = results.get("import")
    if imp:
        row(
            "import lecturelib (s, median of fresh processes)",
            imp["median_s"],
            BUDGET["import_s"],
            ".2f",
        )
        rows.append(
            (
                "  matplotlib modules imported by it",
                ", ".join(imp["heavy"]) or "none",
                "no pyplot, no mplot3d",
                "yes"
                if not {"matplotlib.pyplot", "mpl_toolkits.mplot3d"} & set(imp["heavy"])
                else "NO",
            )
        )
    for name, t in results.get("training", {}).items():
        row(f"{name}: time / lecture loop", t["ratio"], BUDGET["train_ratio"], ".2f")
        rows.append(
            (
                "  max abs. difference from the lecture loop",
                f"{t['max_abs_diff']:.1e}",
                "1e-12",
                "yes" if t["max_abs_diff"] <= 1e-12 else "NO",
            )
        )
    c = results.get("checkpoint")
    if c:
        row(
            f"checkpoint every epoch, N=10⁴, {c['epochs']} epochs: time / without",
            c["ratio"],
            BUDGET["checkpoint_ratio"],
            ".2f",
        )
        rows.append(
            (
                "  kB written per epoch; 40 epochs / 10 epochs",
                f"{c['bytes_per_epoch'] / 1e3:.0f}; {c['bytes_40_over_10']:.2f}",
                f"linear (≤ {BUDGET['checkpoint_linearity']})",
                "yes" if c["bytes_40_over_10"] <= BUDGET["checkpoint_linearity"] else "NO",
            )
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
        "import": bench_import(),
        "training": bench_training(),
        "checkpoint": bench_checkpoint(),
    }
    if not args.skip_build:
        results["build"] = bench_build(args.runs)
        results["pdf"] = bench_pdf()
    if (args.html / "index.html").is_file():
        results["pages"] = bench_pages(args.html)
        results["search"] = bench_search(args.html)
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
