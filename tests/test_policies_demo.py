"""The demo city's policies: packs loaded, facts, budgets, a screening run and claims in every state; and a
seeded city can be wiped and seeded again with all of it in place."""
import io

import pytest
from django.core.management import call_command

from jiuye.policies.models import (
    Budget, Claim, ClaimStatus, LedgerEntry, LedgerSlot, PackVersion, PaymentItem, ScreeningRun,
)
from jiuye.registry.models import Person


@pytest.mark.django_db
def test_demo_has_claims_in_every_state_and_seed_force_wipes_them(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, persons=8000, stdout=out)
    text = out.getvalue()
    assert "政策包：ak2022 第1版、xc2020 第1版" in text and "演示申领" in text
    assert PackVersion.objects.count() == 2
    states = set(Claim.objects.values_list("status", flat=True))
    assert states == set(ClaimStatus.values), states
    reviewed_waiting = Claim.objects.filter(status=ClaimStatus.SUBMITTED, reviewed_at__isnull=False)
    assert reviewed_waiting.exists() and Claim.objects.filter(status=ClaimStatus.SUBMITTED, reviewed_at__isnull=True).exists()
    assert PaymentItem.objects.filter(status="paid").exists() and LedgerEntry.objects.filter(kind="payment").exists()
    assert Budget.objects.exists() and ScreeningRun.objects.filter(status="done", result_count__gt=0).exists()
    # every approval holds its slots; nothing is paid twice
    assert LedgerSlot.objects.values("claim").distinct().count() == LedgerEntry.objects.filter(kind="commitment").count()
    # seeding again over it (a new city) clears the claims, ledger and facts that pointed at the old one
    call_command("seed", persons=1000, force=True, no_samples=True, stdout=io.StringIO())
    assert Person.objects.count() == 1000
    assert not Claim.objects.exists() and not LedgerEntry.objects.exists() and not PaymentItem.objects.exists()
    assert PackVersion.objects.count() == 2  # the packs stay (they are no registry data)
