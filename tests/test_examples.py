"""The example scripts the pages show with literalinclude run, and do what they say."""

from __future__ import annotations

import runpy
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_quickstart_trains_to_the_closed_form_and_saves_its_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        names = runpy.run_path(str(EXAMPLES / "quickstart.py"))
    finally:
        plt.close("all")
    # GD on x = [1, 2, 3], y = 2x from w0 = 1: w_k = 2 - q^k with q = 1 - 2 lr mean(x^2)
    q = 1.0 - 2.0 * 0.01 * (1 + 4 + 9) / 3
    assert names["history"].final_w == pytest.approx(2.0 - q**100, rel=1e-12)
    assert (tmp_path / "cost.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
