"""The talent reserve pool (人力资源储备池): leavers and joiners of employers, from the registry's registrations.

``on_registrations(ids)`` runs in the registering transaction (a receiver of ``registrations_recorded``,
``jobs.receivers_pool``), set-based per event whatever its size: one read of the new entries, one UPDATE
closing the live entries of persons who found work (placed), one read of the live entries left, one read of
occupations named like the entries' 工种, one bulk INSERT. Rules:
- a leaver: an unemployment registration after a job (失业前单位 named, or the reason is a job that ended:
  contract ended, dismissed, resigned, employer closed), or an ending with reason 就业终止;
- a joiner: an employment registration (the person's live entry, if any, is first closed as placed);
- one live entry per person (a database constraint): a leaver already in the pool keeps the entry; a live
  joiner entry of a person who leaves is withdrawn and a leaver entry added.
"""
from __future__ import annotations

from django.utils import timezone

from jiuye.jobs.models import Occupation, PoolReason, PoolStatus, TalentPoolEntry
from jiuye.registry.models import Registration

LEFT_A_JOB = {"contract_ended", "dismissed", "resigned", "employer_closed"}


def on_registrations(ids) -> dict[str, int]:
    ids = list(ids or [])
    if not ids:
        return {"placed": 0, "added": 0}
    rows = list(Registration.objects.filter(pk__in=ids).exclude(kind=Registration.Kind.VOID).values(
        "pk", "person_id", "kind", "effective_date", "employer_id", "former_employer_id", "unemployment_reason",
        "ending_reason", "occupation", "person__region_id").order_by("effective_date", "pk"))
    hired = {r["person_id"] for r in rows if r["kind"] == Registration.Kind.EMPLOYMENT}
    placed = 0
    if hired:
        placed = TalentPoolEntry.objects.filter(person_id__in=hired, status=PoolStatus.ACTIVE).update(status=PoolStatus.PLACED)
    wanted: dict[int, tuple[str, dict]] = {}
    for r in rows:  # the latest entry of a person in this event decides
        if r["kind"] == Registration.Kind.EMPLOYMENT:
            wanted[r["person_id"]] = (PoolReason.JOINER, r)
        elif r["kind"] == Registration.Kind.UNEMPLOYMENT and (r["former_employer_id"] or r["unemployment_reason"] in LEFT_A_JOB):
            wanted[r["person_id"]] = (PoolReason.LEAVER, r)
        elif r["kind"] == Registration.Kind.ENDING and r["ending_reason"] == "job_ended":
            wanted[r["person_id"]] = (PoolReason.LEAVER, r)
        else:
            wanted.pop(r["person_id"], None)
    if not wanted:
        return {"placed": placed, "added": 0}
    leavers = [pid for pid, (reason, _r) in wanted.items() if reason == PoolReason.LEAVER]
    if leavers:  # a joiner who left is a leaver now: the joiner entry is withdrawn
        TalentPoolEntry.objects.filter(person_id__in=leavers, status=PoolStatus.ACTIVE, reason=PoolReason.JOINER).update(
            status=PoolStatus.WITHDRAWN)
    live = set(TalentPoolEntry.objects.filter(person_id__in=list(wanted), status=PoolStatus.ACTIVE)
               .values_list("person_id", flat=True))
    names = {r["occupation"].strip() for _reason, r in wanted.values() if (r["occupation"] or "").strip()}
    occupations = dict(Occupation.objects.filter(name__in=names, is_occupation=True).values_list("name", "pk")) if names else {}
    now = timezone.now()
    entries = [TalentPoolEntry(person_id=pid, reason=reason, registration_id=r["pk"], occurred_on=r["effective_date"],
                               employer_id=r["employer_id"] if reason == PoolReason.JOINER else r["former_employer_id"],
                               occupation_id=occupations.get((r["occupation"] or "").strip()),
                               region_id=r["person__region_id"], created_at=now)
               for pid, (reason, r) in wanted.items() if pid not in live]
    TalentPoolEntry.objects.bulk_create(entries, batch_size=2000)
    return {"placed": placed, "added": len(entries)}
