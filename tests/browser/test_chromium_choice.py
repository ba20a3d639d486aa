"""``tests/chromium.py``: which Chromium the browser tests drive (no browser is started here)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import chromium
import pytest


def fake_playwright(executable: Path) -> SimpleNamespace:
    return SimpleNamespace(chromium=SimpleNamespace(executable_path=str(executable)))


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Three candidate executables (the system one moved into ``tmp_path``); none exists yet."""
    paths = {k: tmp_path / k / "chrome" for k in ("env", "own", "system")}
    monkeypatch.setattr(chromium, "SYSTEM", paths["system"])
    monkeypatch.delenv(chromium.ENV, raising=False)
    return paths


def make(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    return path


def test_the_environment_variable_comes_first(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    make(files["own"])
    make(files["system"])
    monkeypatch.setenv(chromium.ENV, str(make(files["env"])))
    assert chromium.chromium_path(fake_playwright(files["own"])) == files["env"]


def test_a_wrong_environment_variable_is_an_error_not_a_fallback(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    make(files["system"])
    monkeypatch.setenv(chromium.ENV, str(files["env"]))
    with pytest.raises(FileNotFoundError, match=chromium.ENV):
        chromium.chromium_path(fake_playwright(files["own"]))


def test_playwrights_own_chromium_before_the_system_one(files: dict[str, Path]) -> None:
    make(files["own"])
    make(files["system"])
    assert chromium.chromium_path(fake_playwright(files["own"])) == files["own"]


def test_the_system_chromium_when_playwright_has_none(files: dict[str, Path]) -> None:
    make(files["system"])
    assert chromium.chromium_path(fake_playwright(files["own"])) == files["system"]


def test_no_chromium_names_all_three_ways_to_get_one(files: dict[str, Path]) -> None:
    with pytest.raises(chromium.ChromiumNotFound) as caught:
        chromium.chromium_path(fake_playwright(files["own"]))
    message = str(caught.value)
    assert "playwright install chromium" in message
    assert "/usr/bin/chromium" in message
    assert chromium.ENV in message
