"""A bundle refused on import says why in the till's language (the Sync screen shows this)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from terminal.app.counter import Counter, SaleRequest
from terminal.app.enrollment import Enrollment
from terminal.core.customer_form import CustomerForm
from terminal.i18n_text import error_text
from terminal.sync.bundle import BundleRefused
from terminal.sync.exchange import SyncExchange
from tests.unit.sync.conftest import make_shop


@pytest.mark.parametrize(
    ("code", "words"),
    [("uk", "Підпис пакета не збігається"), ("ru", "Подпись пакета не совпадает")],
)
def test_a_tampered_bundle_is_refused_in_the_tills_language(
    tmp_path: Path, clock, language, code: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    one, two = make_shop(tmp_path, clock, 2)
    try:
        card = Enrollment(one).register(CustomerForm(name="Olena", phone="+380501112233")).card
        Counter(one).checkout(SaleRequest(card=card, amount=100_00))
        path = SyncExchange(one).export(tmp_path / "out", since=0).path
        assert path is not None
        text = gzip.decompress(path.read_bytes()).replace(b"10000", b"90000", 1)
        path.write_bytes(gzip.compress(text))
        with pytest.raises(BundleRefused) as refused:
            SyncExchange(two).import_file(path)
        language(code)
        shown = error_text(refused.value)
        assert words in shown
        assert "signature" not in shown
    finally:
        one.close()
        two.close()
