"""Where the build's tools keep their state: ``.cache/`` in the repository, never HOME or /tmp.

Used by ``docs/conf.py`` (so any ``sphinx-build`` and the kernels it starts stay inside the
repository) and by ``noxfile.py`` (so pytest and the benchmarks do too).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path

#: environment variable -> sub-folder of ``.cache/``
TOOL_DIRS = {
    "MPLCONFIGDIR": "matplotlib",
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter/config",
    "JUPYTER_DATA_DIR": "jupyter/data",
    "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
    "XDG_CACHE_HOME": "xdg",
    "XDG_CONFIG_HOME": "xdg-config",
    "TMPDIR": "tmp",
}


def keep_state_in(root: Path, env: MutableMapping[str, str], *, override: bool = False) -> None:
    """Point every tool folder of ``env`` into ``root/.cache`` (only unset ones unless told)."""
    for var, sub in TOOL_DIRS.items():
        if override or var not in env:
            env[var] = str(root / ".cache" / sub)
        Path(env[var]).mkdir(parents=True, exist_ok=True)
