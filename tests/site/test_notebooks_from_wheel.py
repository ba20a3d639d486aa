"""The learner's path: a fresh virtual environment with only the site's wheel (plus Jupyter) runs
every downloaded notebook top to bottom.

What it assumes and does:

* the site is built (``_wheels/*.whl`` and ``_notebooks/**/*.ipynb``, see ``tests/conftest.py``);
* ``python -m venv`` makes an environment without system packages, and pip installs into it the
  wheel, ``nbclient`` and ``ipykernel`` (nothing of this repository's checkout, no ``myst-nb``,
  no ``visdom``). pip uses its own cache and configuration (the caller's ``XDG_CACHE_HOME``, which
  ``nox`` points into ``.cache/``, is dropped), so on a machine where the packages were installed
  before nothing is downloaded again; the index is still consulted unless pip is configured
  otherwise;
* matplotlib's font list is built once before the notebooks run (in a fresh ``MPLCONFIGDIR``
  its first import says so on stderr, which would look like a cell's output);
* each notebook runs in that environment's own kernel with nbclient; no cell may fail or write
  to stderr. The visdom cell of lecture 2 must say that visdom is missing, not raise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from site_contract import LECTURES

pytestmark = [pytest.mark.site, pytest.mark.slow]

PIP_TIMEOUT = 900
RUN_TIMEOUT = 600
JUPYTER = ("nbclient>=0.10", "ipykernel>=6.29")

#: Runs one notebook with nbclient in the environment under test; prints what it found as JSON.
RUNNER = r"""
import json, sys
import nbclient, nbformat

path, workdir = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(
    nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": workdir}}
)
error = None
try:
    client.execute()
except Exception as exc:  # report it with the outputs so far
    error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
cells = []
for cell in nb.cells:
    if cell.cell_type != "code":
        continue
    outs = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        text = out.get("text", "") if kind == "stream" else out.get("evalue", "")
        outs.append({"type": kind, "name": out.get("name"), "text": str(text)[:500]})
    cells.append({"source": cell.source[:120], "outputs": outs})
print(json.dumps({"error": error, "cells": cells}, ensure_ascii=False))
"""


def _clean_env(tmp: Path) -> dict[str, str]:
    """The caller's environment without anything that points into this checkout."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "JUPYTER_PATH")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("JUPYTER_")}
    env.pop("MPLBACKEND", None)
    env.pop("LECTURELIB_LIVE_PLOTS", None)
    env["MPLCONFIGDIR"] = str(tmp / "mplconfig")
    env["IPYTHONDIR"] = str(tmp / "ipython")
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(tmp / "jupyter-data")  # no user kernelspec shadows the venv's
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "jupyter-runtime")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd: list[str], env: dict[str, str], timeout: int, cwd: Path) -> str:
    proc = subprocess.run(
        cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"{' '.join(cmd)}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def wheel_env(site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(python of a fresh venv with the site's wheel and Jupyter installed, its environment)."""
    wheels = sorted((site / "_wheels").glob("*.whl"))
    assert len(wheels) == 1, f"one wheel expected in _wheels/: {wheels}"
    tmp = tmp_path_factory.mktemp("wheel-env")
    env = _clean_env(tmp)
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], env, 300, tmp)
    python = venv / "bin" / "python"
    _run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheels[0]), *JUPYTER],
        env,
        PIP_TIMEOUT,
        tmp,
    )
    probe = (
        "import importlib.util as u, json, lecturelib\n"
        "print(json.dumps({'lecturelib': lecturelib.__file__, "
        "'absent': [m for m in ('myst_nb', 'visdom') if u.find_spec(m) is None]}))\n"
        "import matplotlib.font_manager\n"  # builds the font list once, before any kernel
    )
    found = json.loads(_run([str(python), "-c", probe], env, 300, tmp).splitlines()[0])
    assert Path(found["lecturelib"]).is_relative_to(venv), found
    assert found["absent"] == ["myst_nb", "visdom"], found
    return python, env


@pytest.mark.parametrize("name", LECTURES)
def test_downloaded_notebook_runs_with_only_the_wheel(
    site: Path, wheel_env: tuple[Path, dict[str, str]], name: str, tmp_path: Path
) -> None:
    python, env = wheel_env
    notebook = site / "_notebooks" / "lectures" / f"{name}.ipynb"
    cmd = [str(python), "-c", RUNNER, str(notebook), str(tmp_path)]
    out = _run(cmd, env, RUN_TIMEOUT, tmp_path)
    result = json.loads(out.splitlines()[-1])
    problems = [result["error"]] if result["error"] else []
    for i, cell in enumerate(result["cells"]):
        for o in cell["outputs"]:
            if o["type"] == "error" or o["name"] == "stderr":
                problems.append(f"code cell {i} ({cell['source']!r}): {o['text']!r}")
    assert not problems, f"{name}.ipynb:\n" + "\n".join(problems)
    printed = "\n".join(o["text"] for c in result["cells"] for o in c["outputs"])
    if name == "02-linear-model":
        assert "没有安装 visdom" in printed  # the optional visdom part says it is skipped
        assert "写出的事件文件" in printed  # TensorBoardLogger ran: tensorboardX is a dependency
