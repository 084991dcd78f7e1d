"""Loading policy packs: every load is a new version; earlier versions are kept (decisions point at them)."""
from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.parameters import Source
from jiuye.policies import engine
from jiuye.policies.models import PackVersion, Policy, PolicyPack
from jiuye.policies.pack import PackFile, check, shipped_packs, text_sha, value_to_json



class PackInvalid(ValidationError):
    """A pack with mistakes: nothing was loaded. ``errors`` lists them (file:line: message)."""

    def __init__(self, errors):
        self.file_errors = list(errors)
        super().__init__([str(e) for e in self.file_errors])


def can_load_packs(user) -> bool:
    return user is None or roles.can_manage_policies(user)


def load(source: str | Path | Source, *, actor=None, note: str = "") -> PackVersion:
    """Check and load one pack file as a new version of its pack. Unchanged text loads nothing new and
    returns the current version. Raises ``PackInvalid`` with every mistake (nothing stored)."""
    if actor is not None and not can_load_packs(actor):
        raise PermissionDenied("只有区县、市人社局工作人员和政策审核员可以加载政策包")
    if isinstance(source, Source):
        name, text = source.name, source.text
    else:
        name, text = str(source), Path(source).read_text(encoding="utf-8")
    checked = check([Source(name, text)])
    if checked.errors:
        raise PackInvalid(checked.errors)
    if len(checked.packs) != 1:
        raise PackInvalid([f"{name}:1: 一个文件只能包含一个政策包"])
    pf: PackFile = checked.packs[0]
    if actor is not None and not getattr(actor, "is_superuser", False):
        from jiuye.accounts.scoping import scope_prefix

        prefix = scope_prefix(actor) or ""
        if prefix and not (pf.jurisdiction or "").startswith(prefix):
            raise PermissionDenied("政策包的辖区不在您的管辖范围内")
    sha = text_sha(text)
    with transaction.atomic():
        pack, created = PolicyPack.objects.select_for_update().get_or_create(code=pf.code, defaults={
            "jurisdiction": pf.jurisdiction, "jurisdiction_name": pf.jurisdiction_name, "title": pf.title,
            "document": pf.document, "issued_on": pf.issued_on})
        if not created and pack.jurisdiction != pf.jurisdiction:
            raise PackInvalid([f"{name}:1: 政策包“{pf.code}”已属于辖区 {pack.jurisdiction or '全国'}，不能改为 {pf.jurisdiction or '全国'}"])
        current = pack.versions.order_by("-number").first()
        if current is not None and current.sha256 == sha:
            return current
        PolicyPack.objects.filter(pk=pack.pk).update(jurisdiction_name=pf.jurisdiction_name, title=pf.title,
                                                     document=pf.document, issued_on=pf.issued_on)
        version = PackVersion.objects.create(
            pack=pack, number=(current.number + 1) if current else 1, source_name=Path(name).name, text=text, sha256=sha,
            values=[value_to_json(v) for v in checked.values], loaded_by=actor, note=note)
        Policy.objects.bulk_create([
            Policy(version=version, code=p["id"], name=p["name"], summary=p["summary"], kind=p["kind"],
                   beneficiary=p["beneficiary"], event=p["event"], unit=p["benefit"]["unit"],
                   period_from=_d(p["period"]["from"]), period_to=_d(p["period"]["to"]), spec=p,
                   basis_document=p["basis"]["document"], basis_article=p["basis"]["article"])
            for p in pf.policies])
        audit.record(actor, AuditEntry.Action.CREATE, object_type="policy_pack", object_id=version.pk,
                     object_label=f"{pf.code} v{version.number}",
                     summary=f"加载政策包 {pf.code}（{pf.document}）第 {version.number} 版，{len(pf.policies)} 项政策",
                     changes={"sha256": sha, "policies": [p["id"] for p in pf.policies]})
    engine.clear_tables()
    return version


def load_shipped(*, actor=None) -> list[PackVersion]:
    """Load the packs shipped with Jiuye (jiuye/policies/packs/): the demo and the tests use them."""
    return [load(path, actor=actor, note="随系统提供") for path in shipped_packs()]


def _d(value):
    return datetime.date.fromisoformat(value) if value else None
