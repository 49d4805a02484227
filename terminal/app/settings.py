"""Shop settings: declared once with their default and meaning, stored in the database (so they
are journaled and synced), read and written only through here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from terminal.db.models import ShopSetting


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    title: str


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("shop_id", "", "Shop identity shared by all its tills"),
        Option("shop_name", "My shop", "Shop name on cards and screens"),
        Option("currency", "UAH", "Currency (ISO code)"),
        Option("phone_region", "UA", "How phone numbers without a country code are read"),
        Option("configured", False, "First-start questions answered"),
        Option("nps_enabled", True, "Ask the customer's NPS score after a sale"),
        Option("shop_phone", "", "Shop phone printed on the back of cards"),
        Option("logo_path", "", "Logo printed on cards"),
        Option("language", "", "Interface language override (empty: the system's)"),
        Option("slip_enabled", False, "Print a loyalty slip after each sale with a card"),
        Option("slip_printer", "", "Slip printer: usb:VID:PID, serial:/dev/ttyUSB0, network:IP"),
        Option("slip_width", 80, "Slip printer paper width in mm (58 or 80)"),
        Option("backup_mirror_dir", "", "Second folder for backups (USB stick, network share)"),
        # This till's own: who works at which till (and its staff list) is the till's business.
        Option(
            "cashier_sign_out_minutes",
            0,
            "Sign the cashier at this till out after so many minutes without a key (0: never)",
        ),
        # This till's own sync preferences: written without a journal event, so they never
        # travel to other tills (the hub address may carry a password).
        Option("sync_folder", "", "Shared or USB folder this till syncs bundles through"),
        Option("sync_folder_minutes", 0, "Minutes between folder syncs (0: off)"),
        Option("sync_hub_url", "", "PostgreSQL sync server (postgresql://user:password@host/db)"),
    )
}


def get_setting(session: Session, key: str) -> Any:
    row = session.get(ShopSetting, key)
    if row is None:
        return OPTIONS[key].default if key in OPTIONS else None
    return json.loads(row.value)


def all_settings(session: Session) -> dict[str, Any]:
    values = {key: option.default for key, option in OPTIONS.items()}
    for row in session.exec(select(ShopSetting)).all():
        values[row.key] = json.loads(row.value)
    return values


def put_setting(session: Session, key: str, value: Any, now: Any) -> None:
    row = session.get(ShopSetting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(ShopSetting(key=key, value=text, updated_at=now))
    else:
        row.value = text
        row.updated_at = now
