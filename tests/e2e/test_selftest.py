"""``loyalty-terminal --self-test`` is what support asks a shop to run: it must pass on a working
installation and say which step failed on a broken one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(env_extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), **env_extra)
    env.pop("LOYALTY_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "terminal", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_self_test_passes_and_touches_no_user_data(tmp_path: Path) -> None:
    done = _run({"QT_QPA_PLATFORM": "offscreen"}, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("database", "checkout", "check", "cards"):
        assert f"ok    {step}:" in done.stdout
    assert "self-test passed" in done.stdout
    assert not (tmp_path / "data").exists(), "the self-test must not create the real database"


def test_self_test_names_the_failing_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import terminal.cardprint
    from terminal.selftest import self_test

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no fonts")

    monkeypatch.setattr(terminal.cardprint, "render_card_pdf", broken)
    assert self_test() == 1
    out = capsys.readouterr().out
    assert "ok    checkout:" in out
    assert "FAIL  cards: no fonts" in out
    assert "self-test FAILED" in out
