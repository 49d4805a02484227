"""``sync folder DIR`` as a script or cron job runs it: two tills meet in one folder, a bad file
there is reported (and the exit code says so) without stopping the round."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.e2e.cli_helpers import run_cli, run_json


def test_two_tills_sync_through_a_folder_with_the_command(tmp_path: Path):
    one, two = tmp_path / "one" / "loyalty.db", tmp_path / "two" / "loyalty.db"
    one.parent.mkdir()
    two.parent.mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    pairing = tmp_path / "till2.pair"
    run_json(one, "sync", "pair-create", "--till", "2", "--out", str(pairing))
    run_json(two, "sync", "pair-join", str(pairing))
    olena = run_json(one, "customer", "add", "--name", "Олена Коваленко", "--phone", "0671234567")
    run_json(one, "sale", "--card", olena["card"], "--amount", "300,00")

    first = run_json(one, "sync", "folder", str(shared))
    assert first["exported"] == 2 and first["ok"] is True
    got = run_json(two, "sync", "folder", str(shared))
    assert got["applied"] == 2
    run_json(two, "sale", "--card", olena["card"], "--amount", "100")
    run_json(two, "sync", "folder", str(shared))
    run_json(one, "sync", "folder", str(shared))
    assert run_json(one, "customer", "show", olena["card"])["visits"] == 2
    assert (
        run_json(one, "balance", olena["card"])["balance"]
        == run_json(two, "balance", olena["card"])["balance"]
    )

    # a changed copy in the folder: refused by name, the round still writes and reads the rest
    bundle = next(shared.glob("till2-*.ltb"))
    changed = gzip.decompress(bundle.read_bytes()).replace(b"10000", b"90000")
    run_json(two, "sale", "--card", olena["card"], "--amount", "50")
    run_json(two, "sync", "folder", str(shared))
    (shared / "changed.ltb").write_bytes(gzip.compress(changed))
    text = run_cli(one, "sync", "folder", str(shared))
    assert text.returncode == 5  # REFUSED: something in the folder needs a look
    assert "Applied 1 event from 1 bundle" in text.stdout
    assert "Refused changed.ltb: The bundle's signature does not match" in text.stdout
    assert run_json(one, "customer", "show", olena["card"])["visits"] == 3

    missing = run_cli(one, "sync", "folder", str(tmp_path / "unplugged"))
    assert missing.returncode != 0
    assert "is not available" in missing.stderr
