"""The three-till property test through the PostgreSQL hub instead of bundle files: the tills
work offline in random ways, then push and pull in a random order (a pull applies every other
till's news in one transaction, till after till), and end with the same rows, the same conflict
flags and a clean ``check``. ``SYNC_EXAMPLES=60`` runs a longer hunt."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from terminal.sync.hub import sync_with_hub
from tests.unit.sync.conftest import new_hub_database
from tests.unit.sync.test_convergence_full_state import DAY, POINTS_USED_TWICE, play_two_days


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
@POINTS_USED_TWICE
def test_three_tills_converge_through_the_hub(pg_url, shared, offline, order) -> None:
    hub = new_hub_database(pg_url)
    with tempfile.TemporaryDirectory() as tmp:
        play_two_days(Path(tmp), shared, offline, lambda tills, _day: _sync_all(tills, hub, order))
