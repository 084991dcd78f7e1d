"""The assistance app's part of a bulk-filled registry (``registry.events.registry_loaded``: ``jiuye
seed`` and ``jiuye demo``): rebuild what assistance derives from the registry (zero-employment
households and hard-to-employ persons, with their spells, proposals and cases), and for the demo city
some history a bureau would have: cases opened weeks ago (some overdue and escalated), recognitions
decided by the demo street officer, services recorded by the demo community worker, public-welfare
posts with placements, and a relocation community.

Everything goes through the services (scope, rules, audit), as the demo accounts."""
from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from jiuye.registry import events

logger = logging.getLogger(__name__)
DEMO_COMMUNITY = "610102001001"  # 民乐社区, the demo community worker's (registry/demo/users.py)


def rebuild(today: datetime.date) -> dict[str, dict]:
    from jiuye.assistance.services.recognitions import reconcile_hard_to_employ
    from jiuye.assistance.services.zero import reconcile_zero_employment

    return {"zero": reconcile_zero_employment(today, fix=True), "hte": reconcile_hard_to_employ(today, fix=True)}


def _backdate_cases(today: datetime.date) -> int:
    """Move a third of the cases opened today back 45 days and a third back 12 days, as the bureau's
    history would have them (deadlines recomputed from the earlier date; the zero-employment spells and
    the timeline follow). Demo data only."""
    from jiuye.assistance.models import Case, CaseDeadline, CaseEvent, CaseStatus, ZeroEmploymentSpell
    from jiuye.assistance.services import cases

    ids = list(Case.objects.filter(status=CaseStatus.OPEN, opened_on=today).order_by("pk").values_list("pk", flat=True))
    moved = 0
    for offset, part in ((45, 0), (12, 1)):
        on = today - datetime.timedelta(days=offset)
        for case in Case.objects.filter(pk__in=ids[part::3]):
            CaseDeadline.objects.filter(case=case).delete()
            case.opened_on = on
            case.save(update_fields=["opened_on"])
            cases._add_deadlines(case, on, cases._deadline_lengths(case.kind, case.region_id, on))
            cases.refresh_due(case)
            CaseEvent.objects.filter(case=case).update(on=on)
            ZeroEmploymentSpell.objects.filter(case=case, ended_on__isnull=True).update(started_on=on)
            moved += 1
    return moved


def _demo_users():
    from jiuye.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=["demo_community", "demo_street", "demo_district"])}


def _decide_recognitions(users, today: datetime.date) -> int:
    from jiuye.accounts.scoping import region_q
    from jiuye.assistance.models import Recognition, RecognitionStatus
    from jiuye.assistance.services import recognitions

    street = users.get("demo_street")
    if street is None:
        return 0
    acts = list(Recognition.objects.filter(region_q(street), status=RecognitionStatus.PROPOSED).order_by("pk")[:60])
    decided = 0
    for i, act in enumerate(acts):
        if i % 6 == 5:
            continue  # left for the officer to decide in the demo
        try:
            with transaction.atomic():
                if i % 6 == 4:
                    recognitions.decide(actor=street, act=act, recognised=False,
                                        note=_("经入户核实，申请人已在外地稳定务工，不符合认定条件"))
                else:
                    recognitions.decide(actor=street, act=act, recognised=True, note=_("经审核，材料齐全，符合认定条件"),
                                        valid_from=min(today, act.applied_on + datetime.timedelta(days=7)))
            decided += 1
        except Exception:  # a demo act that a rule refuses is left undecided  # noqa: BLE001
            logger.info("demo recognition %s left undecided", act.pk)
    return decided


def _record_services(users, today: datetime.date) -> int:
    from jiuye.accounts.scoping import region_q
    from jiuye.assistance.models import Case, CaseStatus, ServiceKind
    from jiuye.assistance.services import cases

    worker = users.get("demo_street")  # the street's officer works the street's cases beside the community worker
    if worker is None:
        return 0
    done = 0
    for i, case in enumerate(Case.objects.filter(region_q(worker), status=CaseStatus.OPEN).order_by("opened_on", "pk")[:60]):
        if i % 3 == 2:
            continue  # not contacted yet: these go overdue
        served = min(today, case.opened_on + datetime.timedelta(days=3))
        try:
            with transaction.atomic():
                cases.record_service(actor=worker, case=case, kind=ServiceKind.VISIT, served_on=served,
                                     outcome=_("入户走访，了解家庭成员就业意愿和技能，登记求职意向"), today=today)
                if i % 3 == 0:
                    cases.record_service(actor=worker, case=case, kind=ServiceKind.PLAN,
                                         served_on=min(today, served + datetime.timedelta(days=4)),
                                         outcome=_("制定一对一援助计划：职业指导、推荐岗位、技能培训"), today=today)
            done += 1
        except Exception:  # noqa: BLE001
            logger.info("demo service on case %s skipped", case.pk)
    return done


def _posts(users, today: datetime.date) -> tuple[int, int]:
    from jiuye.assistance.models import PostCategory
    from jiuye.assistance.queries import posts as post_queries
    from jiuye.assistance.services import posts
    from jiuye.registry.models import Employer

    officer = users.get("demo_street")
    if officer is None:
        return 0, 0
    employer = Employer.objects.filter(region__code__startswith=officer.region_id[:9]).order_by("pk").first()
    if employer is None:
        return 0, 0
    specs = [(_("社区保洁员"), PostCategory.URBAN, 4), (_("社区治安巡逻员"), PostCategory.URBAN, 3),
             (_("公共卫生消杀员"), PostCategory.TEMPORARY, 2)]
    created, placed = 0, 0
    for title, category, openings in specs:
        try:
            with transaction.atomic():
                post = posts.create_post(actor=officer, employer=employer, title=title, category=category,
                                         region=DEMO_COMMUNITY, openings=openings,
                                         monthly_subsidy=Decimal("1950.00"), starts_on=today - datetime.timedelta(days=60),
                                         duties=_("按社区安排从事公共服务"))
            created += 1
        except Exception:  # noqa: BLE001
            logger.info("demo post %s not created", title)
            continue
        candidates, _more = post_queries.search_candidates(officer, post, post_queries.CandidateSearch(limit=5))
        for candidate in candidates[:2]:
            try:
                with transaction.atomic():
                    posts.place(actor=officer, post=post, person=candidate,
                                started_on=today)
                placed += 1
            except Exception:  # noqa: BLE001
                logger.info("demo placement on post %s skipped", post.pk)
    return created, placed


def _relocation(users, today: datetime.date) -> int:
    from jiuye.assistance.models import RelocationCommunity
    from jiuye.assistance.services import relocation

    officer = users.get("demo_district")
    if officer is None or RelocationCommunity.objects.exists():
        return 0
    try:
        relocation.flag_community(actor=officer, region=DEMO_COMMUNITY, project_name=_("新城区易地搬迁集中安置点（示例）"),
                                  households_relocated=120, persons_relocated=410, since=datetime.date(2019, 6, 1),
                                  note=_("演示数据"))
        return 1
    except Exception:  # noqa: BLE001
        logger.info("demo relocation community not flagged")
        return 0


def populate_demo(today: datetime.date) -> str:
    from jiuye.assistance.services import cases

    from jiuye.assistance.models import CaseService

    counts = rebuild(today)
    fresh = not CaseService.objects.exists()  # a demo city nobody has worked on yet
    if fresh:
        _backdate_cases(today)
    if not fresh:
        return summary(counts)
    users = _demo_users()
    decided = _decide_recognitions(users, today)
    served = _record_services(users, today)
    cases.daily(today)
    created, placed = _posts(users, today)
    flagged = _relocation(users, today)
    return summary(counts) + _("；演示：认定决定%(d)d件，帮扶服务%(s)d件，公益性岗位%(p)d个（安置%(n)d人），易地搬迁安置社区%(r)d个") % {
        "d": decided, "s": served, "p": created, "n": placed, "r": flagged}


def summary(counts: dict[str, dict]) -> str:
    from jiuye.assistance.models import Case, CaseStatus

    active = Case.objects.filter(status__in=[CaseStatus.OPEN, CaseStatus.FOLLOW_UP]).count()
    return _("就业援助：零就业家庭%(z)d户，援助中个案%(c)d件") % {"z": counts["zero"].get("households", 0), "c": active}


@receiver(events.registry_loaded, dispatch_uid="assistance_registry_loaded")
def _on_registry_loaded(sender, today=None, demo=False, **kwargs):
    from django.utils import timezone

    today = today or timezone.localdate()
    if demo:
        return populate_demo(today)
    return summary(rebuild(today))
