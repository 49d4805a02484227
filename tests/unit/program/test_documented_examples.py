"""Every worked example in docs/program-rules.md is computed here by the real rules.

The document is the source: programs come from its ``json program=NAME`` blocks, expectations
from its examples table. Editing the doc without the code (or the code without the doc) fails.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from terminal.core.checkout import CustomerState, Redeem, quote
from terminal.core.money import parse_amount
from terminal.core.program import DEFAULT_PROGRAM, Program

DOC = Path(__file__).resolve().parents[3] / "docs" / "program-rules.md"


def _programs() -> dict[str, Program]:
    text = DOC.read_text(encoding="utf-8")
    programs = {"default": DEFAULT_PROGRAM}
    for name, body in re.findall(r"```json program=([\w-]+)\n(.*?)```", text, flags=re.S):
        programs[name] = Program.from_dict({**DEFAULT_PROGRAM.to_dict(), **json.loads(body)})
    return programs


def _examples() -> list[dict[str, str]]:
    text = DOC.read_text(encoding="utf-8").split("## Worked examples", 1)[1]
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


PROGRAMS = _programs()
EXAMPLES = _examples()


def test_the_doc_has_examples_for_every_program_it_defines() -> None:
    assert len(EXAMPLES) >= 15
    assert {row["Program"] for row in EXAMPLES} == set(PROGRAMS)


@pytest.mark.parametrize("row", EXAMPLES, ids=[f"example {row['#']}" for row in EXAMPLES])
def test_documented_example(row: dict[str, str]) -> None:
    program = PROGRAMS[row["Program"]]
    tier = next(t for t in program.tiers if t.name == row["Tier"])
    state = CustomerState(balance=int(row["Balance"]), lifetime_paid=tier.threshold, visits=3)
    result = quote(
        program,
        state,
        parse_amount(row["Check"]),
        Redeem.parse(row["Pay with points"]),
        datetime.strptime(row["When"], "%Y-%m-%d %H:%M"),
        category=row["Category"] or None,
    )
    assert result.discount == parse_amount(row["Discount"], allow_zero=True)
    assert result.points_redeemed == int(row["Points used"])
    assert result.to_pay == parse_amount(row["To pay"])
    assert result.points_earned == int(row["Points earned"])
    assert result.explanation == row["Explanation"]
