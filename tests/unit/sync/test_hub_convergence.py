"""The three-till property test through the PostgreSQL hub instead of bundle files: the tills
work offline in random ways, then push and pull in a random order (a pull applies every other
till's news in one transaction, till after till), and end with the same rows, the same conflict
flags and a clean ``check``. ``SYNC_EXAMPLES=60`` runs a longer hunt."""

from __future__ import annotations

import os
import random
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from terminal.app.integrity import Integrity
from terminal.app.staff import StaffRoster
from terminal.sync.hub import sync_with_hub
from tests.conftest import FixedClock
from tests.unit.sync.conftest import make_shop
from tests.unit.sync.test_convergence_full_state import DAY, _play, _state


def _fresh_hub(pg_url: str) -> str:
    name = "hub_" + uuid.uuid4().hex[:12]
    admin = create_engine(
        pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return pg_url.rsplit("/", 1)[0] + "/" + name


def _sync_all(tills, hub: str, order: random.Random) -> None:
    """Every till pushes and pulls, in a random order, twice: the first round's early tills
    pull before the later ones pushed, so the second round brings them the rest."""
    for _ in range(2):
        for till in order.sample(tills, len(tills)):
            sync_with_hub(till, hub)


@settings(
    max_examples=int(os.environ.get("SYNC_EXAMPLES", "4")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(shared=DAY, offline=DAY, order=st.randoms(use_true_random=False))
def test_three_tills_converge_through_the_hub(pg_url, shared, offline, order) -> None:
    hub = _fresh_hub(pg_url)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 3, 2, 10, 0, 0))
        tills = make_shop(Path(tmp), clock, 3)
        try:
            owners = [StaffRoster(t).set_first_owner("Owner", "2468").id for t in tills]
            known = [{"cards": [], "sales": [], "owner": owner} for owner in owners]
            for who, action, pick in shared:
                clock.advance(seconds=37)
                _play(tills[who], action, pick, known[who], clock)
            _sync_all(tills, hub, order)
            for mine in known:
                mine["cards"] = [c for k in known for c in k["cards"]]
                mine["sales"] = [s for k in known for s in k["sales"]]
            for who, action, pick in offline:
                clock.advance(seconds=41)
                _play(tills[who], action, pick, known[who], clock)
            _sync_all(tills, hub, order)
            states = [_state(t) for t in tills]
            assert states[0] == states[1] == states[2]
            for till in tills:
                report = Integrity(till).check()
                assert report.ok, report.problems
        finally:
            for till in tills:
                till.close()
