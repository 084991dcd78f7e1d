"""The screening export of ``jiuye screen --export`` (CSV): exactly ``policy_id,beneficiary,person,amount,unit,months``.

beneficiary: the identity number (a person) or credit code (an employer) paid; person: the identity number
the entitlement is about (empty for an employer-only event); amount empty when not set; unit once|month;
months empty for a one-time subsidy. Identity numbers masked unless ``full``. The run's results are all
within its starter's scope already (services/screening.py).
"""
from __future__ import annotations

from typing import Iterator

from jiuye.policies.models import ScreeningRun
from jiuye.registry.identity import mask_id_number

CSV_HEADER = ["policy_id", "beneficiary", "person", "amount", "unit", "months"]


def _amount(value) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text


def csv_rows(run: ScreeningRun, *, full: bool) -> Iterator[list[str]]:
    mask = (lambda s: s or "") if full else (lambda s: mask_id_number(s) if s else "")
    qs = (run.results.order_by("policy_code", "pk")
          .values_list("policy_code", "beneficiary", "person__id_number", "employer__credit_code", "amount", "unit", "months"))
    for code, beneficiary, id_number, credit_code, amount, unit, months in qs.iterator(chunk_size=5000):
        paid = mask(id_number) if beneficiary == "person" else (credit_code or "")
        yield [code, paid, mask(id_number), _amount(amount), unit, "" if unit == "once" or months is None else str(months)]
