"""就业创业证 (employment and entrepreneurship certificate): numbering, issue, reissue and reads.

Writes here follow the services' pattern (scope -> validate -> one transaction -> audit); reads are
scoped through ``registry.queries``. Kept in its own module so that ``services.py`` and
``queries.py`` stay about the registry's core facts.

Issue on registration
    The registry's own receiver of ``events.registrations_recorded`` (connected in
    ``RegistryConfig.ready``) issues a certificate to every person named by the event who got an
    employment or unemployment registration and has no current certificate. The event is sent
    inside the writer's transaction (a service call, or one committed import chunk with all its
    ids), so the certificates commit or roll back with the registrations, and the work is
    set-based: per event one query for the new entries, one for the persons that already hold a
    certificate, one counter UPDATE per county, one bulk INSERT and one bulk audit write, whatever
    the chunk size. The operator is the registrations' own operator (the importer's, the web or API
    user), the issuing authority the registration's 登记地. The receiver keeps ``services.py`` and
    the import untouched, and any later channel that records registrations (self-service, jobs,
    assistance) issues certificates the same way.

Numbers
    ``<county code (6)><year (4)><sequence (7)>``, e.g. ``61010220260000001``: 17 digits, unique
    (a database constraint). The sequence comes from the ``CertificateCounter`` row of (county, year):
    the row is created if missing (INSERT … ON CONFLICT DO NOTHING, so two first issuers do not
    collide), then advanced with ONE ``UPDATE … SET last = last + n`` inside the issuing
    transaction and read back. The UPDATE takes the row lock on PostgreSQL (a second issuer waits
    until the first commits and then sees its value) and the write lock on SQLite (transactions
    start IMMEDIATE in settings), so concurrent issuers never draw the same numbers; a rolled-back
    transaction gives its numbers back. Numbers already taken by imported ledgers are skipped.
"""
from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import OutOfScope, ensure_can_write
from jiuye.registry import events, queries
from jiuye.registry.models import (
    Certificate,
    CertificateCounter,
    CertificateStatus,
    Person,
    Registration,
    ReissueReason,
)
from jiuye.registry.status import effective_entries

ISSUING_KINDS = (Registration.Kind.EMPLOYMENT, Registration.Kind.UNEMPLOYMENT)
#: Reasons a worker may give for a reissue (the ledger import uses LEDGER_IMPORT itself).
REISSUE_REASONS = [c for c in ReissueReason.choices if c[0] != ReissueReason.LEDGER_IMPORT]
SEQUENCE_DIGITS = 7


def format_number(county_code: str, year: int, sequence: int) -> str:
    return f"{county_code}{year:04d}{sequence:0{SEQUENCE_DIGITS}d}"


def next_numbers(county_code: str, year: int, count: int) -> list[str]:
    """``count`` fresh certificate numbers of ``county_code`` for ``year``; call inside a transaction."""
    if count <= 0:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_numbers must run inside the issuing transaction")
    CertificateCounter.objects.bulk_create([CertificateCounter(county_code=county_code, year=year, last=0)],
                                           ignore_conflicts=True)
    out: list[str] = []
    while len(out) < count:
        need = count - len(out)
        counter = CertificateCounter.objects.filter(county_code=county_code, year=year)
        counter.update(last=F("last") + need)
        last = counter.values_list("last", flat=True).get()
        candidates = [format_number(county_code, year, s) for s in range(last - need + 1, last + 1)]
        taken = set(Certificate.objects.filter(number__in=candidates).values_list("number", flat=True))
        out.extend(n for n in candidates if n not in taken)
    return out


def _audit_issue(actor, cert: Certificate, person_name: str, person_region: str, *, summary: str,
                 extra: dict | None = None) -> AuditEntry:
    return audit.build(
        actor, AuditEntry.Action.CREATE, object_type="person", object_id=cert.person_id, object_label=person_name,
        region_code=person_region,
        changes={"certificate": cert.number, "issued_on": cert.issued_on, "issued_by": cert.issued_by_id,
                 **(extra or {})},
        summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# Issue on registration (the receiver)


def issue_on_registrations(registration_ids: Iterable[int], *, today: datetime.date | None = None,
                           corrections_too: bool = False) -> list[Certificate]:
    """Certificates for the persons of these new registrations that hold none (set-based; see above).
    A correction issues nothing (its person was registered already) unless ``corrections_too``: the
    backfill names a person's first counting entry, which may be a correction."""
    today = today or timezone.localdate()
    ids = sorted(set(registration_ids))
    first: dict[int, dict] = {}
    entries = Registration.objects.filter(kind__in=ISSUING_KINDS)
    if not corrections_too:
        entries = entries.filter(corrects__isnull=True)
    for start in range(0, len(ids), 900):
        for row in (entries.filter(pk__in=ids[start:start + 900])
                    .order_by("pk").values("person_id", "operator_id", "registered_in_id")):
            first.setdefault(row["person_id"], row)
    if not first:
        return []
    person_ids = sorted(first)
    holders: set[int] = set()
    for start in range(0, len(person_ids), 900):
        holders.update(Certificate.objects.filter(person_id__in=person_ids[start:start + 900],
                                                  status=CertificateStatus.CURRENT).values_list("person_id", flat=True))
    todo = [pid for pid in person_ids if pid not in holders]
    if not todo:
        return []
    by_county: dict[str, list[int]] = defaultdict(list)
    for pid in todo:
        by_county[first[pid]["registered_in_id"][:6]].append(pid)
    certs = []
    for county, pids in sorted(by_county.items()):
        for pid, number in zip(pids, next_numbers(county, today.year, len(pids))):
            row = first[pid]
            certs.append(Certificate(person_id=pid, number=number, issued_on=today, issued_by_id=row["registered_in_id"],
                                     operator_id=row["operator_id"], status=CertificateStatus.CURRENT))
    Certificate.objects.bulk_create(certs, batch_size=500)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={c.operator_id for c in certs if c.operator_id})}
    people = {}
    for start in range(0, len(todo), 900):
        people.update({p["pk"]: p for p in Person.objects.filter(pk__in=todo[start:start + 900]).values("pk", "name", "region_id")})
    audit.record_many(
        _audit_issue(users.get(c.operator_id), c, people[c.person_id]["name"], people[c.person_id]["region_id"],
                     summary=_("发放就业创业证（办理登记时）"))
        for c in certs
    )
    return certs


def issue_missing(*, chunk: int = 10_000, progress=None) -> int:
    """Certificates for every person who has an employment or unemployment registration that counts and
    holds no current certificate: the backfill for a registry that was kept before certificates were
    issued here (``jiuye issue_certificates``; the demo runs it). The same set-based path as issuing on
    registration, a chunk of persons per transaction, the person's first counting registration naming
    the issuing community and operator. Returns how many were issued."""
    holders = Certificate.objects.filter(status=CertificateStatus.CURRENT).values("person_id")
    counting = Registration.objects.filter(kind__in=ISSUING_KINDS).exclude(corrections__isnull=False)
    person_ids = list(counting.exclude(person_id__in=holders)
                      .order_by("person_id").values_list("person_id", flat=True).distinct())
    issued = 0
    for start in range(0, len(person_ids), chunk):
        part = person_ids[start:start + chunk]
        with transaction.atomic():
            first = (counting.filter(person_id__in=part).values("person_id").annotate(first=Min("pk"))
                     .values_list("first", flat=True))
            issued += len(issue_on_registrations(list(first), corrections_too=True))
        if progress:
            progress(min(start + chunk, len(person_ids)), len(person_ids))
    return issued


def _on_registrations_recorded(sender, ids, **kwargs):
    issue_on_registrations(ids)


def connect() -> None:
    """Called from ``RegistryConfig.ready``."""
    events.registrations_recorded.connect(_on_registrations_recorded, dispatch_uid="registry_issue_certificates")


# ---------------------------------------------------------------------------------------------
# Issue and reissue by a worker


def _counting_registration(person: Person) -> bool:
    return any(e.kind in ISSUING_KINDS for e in effective_entries(list(person.registrations.all())))


def _locked_current(person: Person) -> Certificate | None:
    Person.objects.select_for_update().filter(pk=person.pk).first()
    return Certificate.objects.select_for_update().filter(person=person, status=CertificateStatus.CURRENT).first()


@transaction.atomic
def issue(*, actor, person: Person, note: str = "") -> Certificate:
    """Issues a certificate to a person with an employment or unemployment registration and none current
    (e.g. registered before certificates were kept here)."""
    ensure_can_write(actor, person.region_id)
    if _locked_current(person) is not None:
        raise ValidationError({"person": _("本人已有有效的就业创业证；如遗失或损坏，请办理补发/换发")})
    if not _counting_registration(person):
        raise ValidationError({"person": _("本人尚未办理就业或失业登记，办理登记时发放就业创业证")})
    today = timezone.localdate()
    cert = Certificate.objects.create(
        person=person, number=next_numbers(person.region_id[:6], today.year, 1)[0], issued_on=today,
        issued_by_id=person.region_id, operator=actor if getattr(actor, "is_authenticated", False) else None,
        note=note.strip(),
    )
    _audit_issue(actor, cert, person.name, person.region_id, summary=_("发放就业创业证")).save()
    return cert


@transaction.atomic
def reissue(*, actor, person: Person, reason: str, note: str = "") -> Certificate:
    """补发/换发: the current certificate becomes ``replaced`` and a new number is issued."""
    ensure_can_write(actor, person.region_id)
    if reason not in dict(REISSUE_REASONS):
        raise ValidationError({"reason": _("请选择补发/换发原因")})
    if reason == ReissueReason.OTHER and not note.strip():
        raise ValidationError({"note": _("原因为“其他”时请填写说明")})
    old = _locked_current(person)
    if old is None:
        raise ValidationError({"reason": _("本人没有有效的就业创业证，无需补发/换发")})
    old.status = CertificateStatus.REPLACED
    old.save(update_fields=["status"])
    today = timezone.localdate()
    cert = Certificate.objects.create(
        person=person, number=next_numbers(person.region_id[:6], today.year, 1)[0], issued_on=today,
        issued_by_id=person.region_id, operator=actor if getattr(actor, "is_authenticated", False) else None,
        replaces=old, reissue_reason=reason, note=note.strip(),
    )
    _audit_issue(actor, cert, person.name, person.region_id,
                 summary=_("补发/换发就业创业证：%(r)s") % {"r": ReissueReason(reason).label},
                 extra={"replaces": old.number, "reissue_reason": reason, "note": note.strip()}).save()
    return cert


# ---------------------------------------------------------------------------------------------
# Reads


def certificates_of(person: Person) -> list[Certificate]:
    """A person's certificates, the current one first, then newest first (the caller has read the person)."""
    certs = list(person.employment_certificates.select_related("issued_by", "issued_by__parent", "operator", "replaces"))
    certs.sort(key=lambda c: (c.status != CertificateStatus.CURRENT, -c.issued_on.toordinal(), -c.pk))
    return certs


def certificates_for(user, person_id: int) -> tuple[Person, list[Certificate]]:
    """The person (scoped, an audited read) and their certificates."""
    person = queries.get_person(user, person_id)
    return person, certificates_of(person)


def issuing_authority(region) -> str:
    """发证机构 as printed: the street and community names."""
    if region is None:
        return ""
    parent = region.parent.name if region.parent_id and region.level == region.Level.COMMUNITY else ""
    return f"{parent}{region.name}"


@dataclass
class PrintPage:
    person: Person
    certificate: Certificate
    authority: str
    history: list[Registration]


def print_page(user, person_id: int) -> PrintPage:
    """The printable certificate: it carries the full identity number, so only roles that may see full
    numbers print it, and each print is audited as a read of the full number."""
    person = queries.get_person(user, person_id, audit_read=False)
    if not queries.may_see_full_id_number(user, person):
        raise OutOfScope(_("您的角色无权打印就业创业证（含完整公民身份号码）"))
    cert = next((c for c in certificates_of(person) if c.status == CertificateStatus.CURRENT), None)
    if cert is None:
        raise ValidationError({"certificate": _("本人没有有效的就业创业证")})
    audit.record(user, AuditEntry.Action.VIEW, object_type="person", object_id=person.pk, object_label=person.name,
                 region_code=person.region_id, changes={"fields": ["id_number"], "certificate": cert.number},
                 summary=_("打印就业创业证（含完整公民身份号码）"))
    history = [e for e in effective_entries(queries.registrations_of(person)) if e.kind != Registration.Kind.VOID]
    return PrintPage(person=person, certificate=cert, authority=issuing_authority(cert.issued_by), history=history)


def import_key(number: str) -> str:
    return hashlib.sha256(f"certificate|{number}".encode("utf-8")).hexdigest()
