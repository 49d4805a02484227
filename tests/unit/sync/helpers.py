"""Moving every till's news to every other till, as the owner's USB stick or shared folder would;
two tills joined from one pairing file, as an owner might by mistake."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from terminal.app.enrollment import Enrollment
from terminal.app.till import Till, open_till
from terminal.core.customer_form import CustomerForm
from terminal.sync.exchange import SyncExchange
from terminal.sync.pairing import create_pairing, join_pairing


def exchange_all(tills: list[Till], folder: Path) -> None:
    """Each till exports its whole journal; every other till imports it."""
    bundles = []
    for till in tills:
        result = SyncExchange(till).export(folder / till.terminal_id, since=0)
        if result.path is not None:
            bundles.append((till, result.path))
    for till in tills:
        for origin, path in bundles:
            if origin is not till:
                SyncExchange(till).import_file(path)


@contextmanager
def twins_of_one_pairing_file(
    first: Till, number: int, folder: Path, clock: Callable[[], datetime]
) -> Iterator[list[Till]]:
    """Two new tills joined from the one pairing file for till ``number`` that ``first`` made
    (the owner's mistake), each with a customer of its own; closed afterwards."""
    create_pairing(first, number, folder / f"till{number}.pair")
    twins = [open_till(folder / f"twin{n}" / "loyalty.db", clock=clock) for n in (1, 2)]
    try:
        for twin in twins:
            join_pairing(twin, folder / f"till{number}.pair")
            Enrollment(twin).register(CustomerForm(name=f"Client of {twin.terminal_id[-4:]}"))
        yield twins
    finally:
        for twin in twins:
            twin.close()
