"""The layout rules a print shop and a cheap scanner care about."""

from __future__ import annotations

import itertools

from terminal.cardprint import geometry as g


def test_code_sizes_are_big_enough_for_cheap_scanners() -> None:
    assert g.EAN_X / g.MM >= 0.26
    assert g.QR_MODULE / g.MM >= 0.5
    # both are whole multiples of a 300 dpi dot, so a 300 dpi printer draws every module alike
    assert abs(g.EAN_X / g.DOT_300 - round(g.EAN_X / g.DOT_300)) < 1e-9
    assert abs(g.QR_MODULE / g.DOT_300 - round(g.QR_MODULE / g.DOT_300)) < 1e-9


def test_front_keeps_codes_inside_the_safe_area_and_apart() -> None:
    layout = g.front_layout()
    for box in (layout.ean, layout.qr, layout.number):
        assert box.x >= g.SAFE and box.right <= g.CARD_W - g.SAFE
        assert box.y >= layout.header.bottom and box.bottom <= g.CARD_H - g.SAFE
    assert layout.ean.right < layout.qr.x, "barcode quiet zone runs into the QR"
    assert layout.number.right < layout.qr.x
    assert layout.ean.bottom <= layout.number.y


def test_sheet_has_ten_cards_centred_inside_printable_margins() -> None:
    slots = g.sheet_slots()
    assert len(slots) == 10
    left = min(s.x for s in slots)
    right = g.A4_W - max(s.right for s in slots)
    top = min(s.y for s in slots)
    bottom = g.A4_H - max(s.bottom for s in slots)
    assert abs(left - right) < 1 and abs(top - bottom) < 1
    assert min(left, top) - g.BLEED >= g.PRINTER_MARGIN
    for a, b in itertools.combinations(slots, 2):
        apart_x = a.right + 2 * g.BLEED <= b.x or b.right + 2 * g.BLEED <= a.x
        apart_y = a.bottom + 2 * g.BLEED <= b.y or b.bottom + 2 * g.BLEED <= a.y
        assert apart_x or apart_y, "cards (with bleed) overlap"


def test_crop_marks_mark_every_cut_and_never_touch_a_card() -> None:
    slots = g.sheet_slots()
    marks = g.crop_marks()
    cut_xs = {s.x for s in slots} | {s.right for s in slots}
    cut_ys = {s.y for s in slots} | {s.bottom for s in slots}
    assert {m.x1 for m in marks if m.x1 == m.x2} == cut_xs
    assert {m.y1 for m in marks if m.y1 == m.y2} == cut_ys
    for m in marks:
        assert min(m.x1, m.x2) >= g.PRINTER_MARGIN and max(m.x1, m.x2) <= g.A4_W - g.PRINTER_MARGIN
        assert min(m.y1, m.y2) >= g.PRINTER_MARGIN and max(m.y1, m.y2) <= g.A4_H - g.PRINTER_MARGIN
        assert abs(m.x2 - m.x1) + abs(m.y2 - m.y1) >= 250, "a crop mark too short to see"
        for s in slots:
            inside_x = s.x - g.BLEED < max(m.x1, m.x2) and min(m.x1, m.x2) < s.right + g.BLEED
            inside_y = s.y - g.BLEED < max(m.y1, m.y2) and min(m.y1, m.y2) < s.bottom + g.BLEED
            assert not (inside_x and inside_y), f"crop mark {m} runs into a card"


def test_back_slots_mirror_columns_for_long_edge_duplex() -> None:
    fronts, backs = g.sheet_slots(), g.mirrored_slots()
    for front, back in zip(fronts, backs, strict=True):
        assert back.y == front.y
        assert abs((back.x + back.w / 2) - (g.A4_W - (front.x + front.w / 2))) < 1
