"""The market wing (issue 10, part "market"): the gig board (零工市场), labour sharing (用工余缺调剂) and
recruitment events (招聘活动). Reads through ``jobs.queries.gigs/sharing/events``, writes through
``jobs.services.gigs/sharing/events``; views stay thin. Pages serve staff, employer users and residents
alike: what each sees is decided by the queries (out of scope is "not found")."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.jobs.models import EventKind, GigStatus, GigTake, Vacancy
from jiuye.jobs.queries import events as event_queries
from jiuye.jobs.queries import gigs as gig_queries
from jiuye.jobs.queries import sharing as sharing_queries
from jiuye.jobs.services import events as event_services
from jiuye.jobs.services import gigs as gig_services
from jiuye.jobs.services import sharing as sharing_services
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import jobs_market as forms
from jiuye.web.views.common import list_page, post_data, service_form


def _region_name(region) -> str:
    if region is None:
        return ""
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


def _market_user(user) -> bool:
    return roles.can_read_jobs(user) or roles.is_resident(user) or roles.is_employer_user(user)


def _require_market(user):
    if not _market_user(user):
        raise PermissionDenied(_("您的角色无权使用岗位与招聘功能"))


def _run(request, call, success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, success)
    return True


# ---------------------------------------------------------------------------------------------
# Gigs

GIG_COLUMNS = [
    ("work_date", Column(_l("工作日期"), lambda t: t.work_date)),
    ("", Column(_l("时间"), lambda t: f"{t.start_time:%H:%M}-{t.end_time:%H:%M}")),
    ("title", Column(_l("零工任务"), lambda t: t.title)),
    ("", Column(_l("发布方"), lambda t: t.employer.name if t.employer_id else t.poster_name)),
    ("region", Column(_l("工作地点"), lambda t: f"{_region_name(t.region)} {t.address}".strip())),
    ("daily_pay", Column(_l("日薪（元）"), lambda t: float(t.daily_pay))),
    ("headcount", Column(_l("需要人数"), lambda t: t.headcount)),
    ("", Column(_l("已接单"), lambda t: getattr(t, "taken_count", 0))),
    ("status", Column(_l("状态"), choice_label(gig_services.GigTask, "status"))),
]


@login_required
def gigs(request):
    _require_market(request.user)
    form = forms.GigSearchForm(request.GET, user=request.user)
    staff = roles.can_read_jobs(request.user)
    if staff and is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=gig_queries.gigs_of_search(request.user, s).iterator(chunk_size=2000),
                           total=gig_queries.count_gigs(request.user, s), columns=[c for _k, c in GIG_COLUMNS],
                           sheet=_("零工任务"), filename="gigs", object_type=gig_services.OBJECT_TYPE,
                           filters=filters_of(form), sort=gig_queries.gig_sort(form.search(limit=1)),
                           summary=_("导出零工任务列表"))
    context = list_page(request, form, search=gig_queries.search_gigs, count=gig_queries.count_gigs,
                        sort=gig_queries.gig_sort)
    context.update(
        staff=staff, headers=[{"sort": k, "label": str(c.header)} for k, c in GIG_COLUMNS],
        is_resident=roles.is_resident(request.user), is_employer=roles.is_employer_user(request.user),
        may_post=roles.can_work_jobs(request.user) or bool(registry_queries.linked_employer_id(request.user)),
        today=timezone.localdate())
    if context["is_resident"]:
        person_id = registry_queries.linked_person_id(request.user)
        context["history"] = gig_queries.gigs_of_person(request.user, person_id, limit=20) if person_id else None
    return render(request, "web/jobs/gigs/list.html", context)


@login_required
def gig_create(request):
    if not (roles.can_work_jobs(request.user) or registry_queries.linked_employer_id(request.user)):
        raise PermissionDenied(_("您的角色无权发布零工"))
    form = forms.GigForm(post_data(request), user=request.user)

    def call(f):
        task = gig_services.post_gig(actor=request.user, **f.values())
        return reverse("web:gig", args=[task.pk])

    return service_form(request, form, call, success=_("零工已发布"), template="web/jobs/gigs/form.html",
                        context={"title": _("发布零工"), "back": reverse("web:gigs")})


def _gig_page(request, task, *, take_form=None, outcome_form=None, status=200):
    user = request.user
    takes = gig_queries.takes_of_gig(user, task)
    manage = gig_services.may_manage(user, task)
    started = timezone.now() >= gig_services.starts_at(task)
    own = gig_queries.own_take(user, task)
    return render(request, "web/jobs/gigs/detail.html", {
        "task": task, "takes": takes, "manage": manage, "started": started, "own_take": own,
        "summary": gig_queries.gig_summary(task) if manage else None,
        "may_take": (not started and task.status == GigStatus.OPEN and own is None
                     and (roles.is_resident(user) or roles.can_work_jobs(user))),
        "is_resident": roles.is_resident(user), "take_form": take_form or forms.PersonIdForm(user=user),
        "outcome_form": outcome_form, "may_cancel": manage and not started and task.status in (GigStatus.OPEN, GigStatus.TAKEN),
        "show_ids": gig_queries.may_see_takers(user, task), "mask": mask_id_number,
    }, status=status)


@login_required
def gig(request, pk: int):
    _require_market(request.user)
    return _gig_page(request, gig_queries.get_gig(request.user, pk))


@login_required
@require_POST
def gig_take(request, pk: int):
    task = gig_queries.get_gig(request.user, pk)
    if roles.is_resident(request.user):
        _run(request, lambda: gig_services.take_gig(actor=request.user, task=task), _("接单成功"))
        return redirect("web:gig", pk=task.pk)
    form = forms.PersonIdForm(request.POST, user=request.user)
    if not form.is_valid():
        return _gig_page(request, task, take_form=form, status=400)
    _run(request, lambda: gig_services.take_gig(actor=request.user, task=task, person=form.person), _("已为该人员接单"))
    return redirect("web:gig", pk=task.pk)


def _take_of(request, task, pk) -> GigTake:
    take = next((t for t in gig_queries.takes_of_gig(request.user, task) if t.pk == pk), None)
    if take is None:
        raise Http404(_("接单记录不存在"))
    return take


@login_required
@require_POST
def gig_take_cancel(request, pk: int, take_pk: int):
    task = gig_queries.get_gig(request.user, pk)
    take = _take_of(request, task, take_pk)
    _run(request, lambda: gig_services.cancel_take(actor=request.user, take=take), _("已取消接单"))
    return redirect("web:gig", pk=task.pk)


@login_required
@require_POST
def gig_outcome(request, pk: int):
    task = gig_queries.get_gig(request.user, pk)
    form = forms.GigOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("web:gig", pk=task.pk)
    take = _take_of(request, task, form.cleaned_data["take"])
    d = form.cleaned_data
    _run(request, lambda: gig_services.record_outcome(actor=request.user, take=take, outcome=d["outcome"], paid=d["paid"],
                                                      note=d["note"]), _("已登记完成情况"))
    return redirect("web:gig", pk=task.pk)


@login_required
@require_POST
def gig_cancel(request, pk: int):
    task = gig_queries.get_gig(request.user, pk)
    _run(request, lambda: gig_services.cancel_gig(actor=request.user, task=task,
                                                  reason=request.POST.get("reason", "")[:200]), _("零工任务已取消"))
    return redirect("web:gig", pk=task.pk)


# ---------------------------------------------------------------------------------------------
# Labour sharing

OFFER_COLUMNS = [
    ("kind", Column(_l("类型"), choice_label(sharing_services.SharingOffer, "kind"))),
    ("employer", Column(_l("单位"), lambda o: o.employer.name)),
    ("", Column(_l("岗位/工种"), lambda o: o.title)),
    ("", Column(_l("职业"), lambda o: f"{o.occupation.code} {o.occupation.name}" if o.occupation_id else "")),
    ("headcount", Column(_l("人数"), lambda o: o.headcount)),
    ("", Column(_l("已对接人数"), lambda o: getattr(o, "placed", 0))),
    ("starts_on", Column(_l("开始日期"), lambda o: o.starts_on)),
    ("ends_on", Column(_l("结束日期"), lambda o: o.ends_on)),
    ("wage", Column(_l("月薪/报酬（元）"), lambda o: o.wage)),
    ("status", Column(_l("状态"), choice_label(sharing_services.SharingOffer, "status"))),
]


def _sharing_user(user):
    if not (roles.can_read_jobs(user) or roles.is_employer_user(user)):
        raise PermissionDenied(_("您的角色无权使用用工余缺调剂"))


@login_required
def sharing(request):
    _sharing_user(request.user)
    form = forms.SharingSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=sharing_queries.offers_of_search(request.user, s).iterator(chunk_size=2000),
                           total=sharing_queries.count_offers(request.user, s), columns=[c for _k, c in OFFER_COLUMNS],
                           sheet=_("用工余缺调剂"), filename="labour-sharing", object_type=sharing_services.OBJECT_TYPE,
                           filters=filters_of(form), sort=sharing_queries.offer_sort(s), summary=_("导出用工余缺调剂信息"))
    context = list_page(request, form, search=sharing_queries.search_offers, count=sharing_queries.count_offers,
                        sort=sharing_queries.offer_sort)
    context.update(headers=[{"sort": k, "label": str(c.header)} for k, c in OFFER_COLUMNS],
                   may_write=roles.can_work_jobs(request.user) or bool(registry_queries.linked_employer_id(request.user)),
                   placements=sharing_queries.placements_of(request.user, limit=20))
    return render(request, "web/jobs/sharing/list.html", context)


@login_required
def sharing_create(request):
    if not (roles.can_work_jobs(request.user) or registry_queries.linked_employer_id(request.user)):
        raise PermissionDenied(_("您的角色无权发布用工调剂信息"))
    form = forms.SharingOfferForm(post_data(request), user=request.user, initial={"kind": request.GET.get("kind", "offer")})

    def call(f):
        offer = sharing_services.create_offer(actor=request.user, **f.values())
        return reverse("web:sharing_offer", args=[offer.pk])

    return service_form(request, form, call, success=_("已发布"), template="web/jobs/_market_form.html",
                        context={"title": _("发布用工余缺信息"), "back": reverse("web:sharing")})


@login_required
def sharing_offer(request, pk: int):
    _sharing_user(request.user)
    offer = sharing_queries.get_offer(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "close":
        _run(request, lambda: sharing_services.close_offer(actor=request.user, offer=offer), _("已关闭"))
        return redirect("web:sharing_offer", pk=offer.pk)
    return render(request, "web/jobs/sharing/detail.html", {
        "offer": offer, "counterparts": sharing_queries.counterparts(request.user, offer),
        "placements": sharing_queries.placements_of(request.user, offer),
        "placed": sharing_services.placed(offer, side=offer.kind),
        "may_write": sharing_services.may_write_for(request.user, offer.employer),
        "may_place": roles.can_work_jobs(request.user) or roles.is_employer_user(request.user)})


@login_required
def sharing_placement(request):
    if not (roles.can_work_jobs(request.user) or registry_queries.linked_employer_id(request.user)):
        raise PermissionDenied(_("您的角色无权登记用工调剂"))
    initial = {k: request.GET.get(k) for k in ("offer", "request") if (request.GET.get(k) or "").isdigit()}
    form = forms.PlacementForm(post_data(request), user=request.user, initial=initial)

    def call(f):
        sharing_services.record_placement(actor=request.user, **f.values())
        return reverse("web:sharing")

    return service_form(request, form, call, success=_("已登记用工调剂"), template="web/jobs/_market_form.html",
                        context={"title": _("登记用工调剂"), "back": reverse("web:sharing"),
                                 "intro": _("调出和调入单位不能是同一家；调剂期间须在共享信息和缺工信息的期间之内。")})


# ---------------------------------------------------------------------------------------------
# Events

EVENT_COLUMNS = [
    ("starts_at", Column(_l("开始时间"), lambda e: e.starts_at)),
    ("", Column(_l("结束时间"), lambda e: e.ends_at)),
    ("kind", Column(_l("活动类型"), choice_label(event_services.RecruitmentEvent, "kind"))),
    ("title", Column(_l("活动名称"), lambda e: e.title)),
    ("", Column(_l("主办单位"), lambda e: e.organiser)),
    ("region", Column(_l("主办区划"), lambda e: e.region.name)),
    ("", Column(_l("地点/直播"), lambda e: e.place or e.stream_url)),
    ("", Column(_l("参会单位"), lambda e: getattr(e, "employer_count", 0))),
    ("", Column(_l("报名人数"), lambda e: getattr(e, "registration_count", 0))),
    ("status", Column(_l("状态"), choice_label(event_services.RecruitmentEvent, "status"))),
]
REGISTRATION_COLUMNS = [
    Column(_l("姓名"), lambda r: r.person.name),
    Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number),
    Column(_l("所在社区"), lambda r: _region_name(r.person.region)),
    Column(_l("报名时间"), lambda r: r.registered_at),
    Column(_l("签到时间"), lambda r: r.attended_at),
]


@login_required
def events(request):
    _require_market(request.user)
    form = forms.EventSearchForm(request.GET, user=request.user)
    if roles.can_read_jobs(request.user) and is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=event_queries.events_of_search(request.user, s).iterator(chunk_size=2000),
                           total=event_queries.count_events(request.user, s), columns=[c for _k, c in EVENT_COLUMNS],
                           sheet=_("招聘活动"), filename="recruitment-events", object_type=event_services.OBJECT_TYPE,
                           filters=filters_of(form), sort=event_queries.event_sort(s), summary=_("导出招聘活动列表"))
    context = list_page(request, form, search=event_queries.search_events, count=event_queries.count_events,
                        sort=event_queries.event_sort)
    context.update(headers=[{"sort": k, "label": str(c.header)} for k, c in EVENT_COLUMNS],
                   staff=roles.can_read_jobs(request.user), may_create=roles.can_organise_events(request.user))
    return render(request, "web/jobs/events/list.html", context)


@login_required
def event_create(request):
    if not roles.can_organise_events(request.user):
        raise PermissionDenied(_("您的角色无权组织招聘活动"))
    form = forms.EventForm(post_data(request), user=request.user)

    def call(f):
        event = event_services.create_event(actor=request.user, **f.cleaned_data)
        return reverse("web:event", args=[event.pk])

    return service_form(request, form, call, success=_("招聘活动已创建"), template="web/jobs/_market_form.html",
                        context={"title": _("新建招聘活动"), "back": reverse("web:events"),
                                 "intro": _("直播带岗须填写直播地址；其他活动填写举办地点。")})


def _event_page(request, event, *, employer_form=None, register_form=None, status=200):
    user = request.user
    staff = roles.can_read_jobs(user)
    employer_id = registry_queries.linked_employer_id(user) if roles.is_employer_user(user) else None
    regs = event_queries.with_flags(event_queries.registrations_of_event(user, event)[:200]) if staff else []
    own_vacancies = []
    if employer_id and event.status in event_services.SIGNUP_STATUSES:
        taken = set(event.vacancies.values_list("vacancy_id", flat=True))
        own_vacancies = [v for v in Vacancy.objects.filter(employer_id=employer_id, status="published").order_by("title")
                         if v.pk not in taken]
    return render(request, "web/jobs/events/detail.html", {
        "event": event, "staff": staff, "manage": event_queries.may_manage(user, event),
        "employers": event_queries.employers_of_event(user, event),
        "vacancies": event_queries.vacancies_of_event(user, event), "registrations": regs,
        "outcomes": event_queries.outcomes(user, event) if (staff or employer_id) else None,
        "own_registration": event_queries.own_registration(user, event), "is_resident": roles.is_resident(user),
        "employer_id": employer_id, "own_vacancies": own_vacancies,
        "open": event.status in event_services.SIGNUP_STATUSES, "may_register": roles.can_work_jobs(user),
        "employer_form": employer_form or forms.EventEmployerForm(user=user),
        "register_form": register_form or forms.PersonIdForm(user=user), "mask": mask_id_number,
        "is_live": event.kind == EventKind.LIVE_STREAM,
    }, status=status)


@login_required
def event(request, pk: int):
    _require_market(request.user)
    event = event_queries.get_event(request.user, pk)
    if request.GET.get("format") == "xlsx" and roles.can_read_jobs(request.user):
        qs = event_queries.registrations_of_event(request.user, event)
        return export_xlsx(request, rows=qs.iterator(chunk_size=2000), total=qs.count(), columns=REGISTRATION_COLUMNS,
                           sheet=_("活动报名"), filename=f"event-{event.pk}-registrations",
                           object_type=event_services.OBJECT_TYPE, filters={"event": event.pk}, sort="registered_at",
                           summary=_("导出活动报名名单：%(t)s") % {"t": event.title})
    return _event_page(request, event)


@login_required
@require_POST
def event_action(request, pk: int, action: str):
    user = request.user
    event = event_queries.get_event(user, pk)
    back = redirect("web:event", pk=event.pk)
    if action == "employer":
        if roles.is_employer_user(user):
            from jiuye.registry.models import Employer

            employer = Employer.objects.filter(pk=registry_queries.linked_employer_id(user) or 0).first()
            _run(request, lambda: event_services.add_employer(actor=user, event=event, employer=employer), _("已报名参会"))
            return back
        form = forms.EventEmployerForm(request.POST, user=user)
        if not form.is_valid():
            return _event_page(request, event, employer_form=form, status=400)
        _run(request, lambda: event_services.add_employer(actor=user, event=event, employer=form.employer,
                                                          booth=form.cleaned_data["booth"]), _("已添加参会单位"))
    elif action == "vacancy":
        form = forms.EventVacancyForm(request.POST)
        vacancy = Vacancy.objects.select_related("employer").filter(pk=form.data.get("vacancy") or 0).first() \
            if form.is_valid() else None
        if vacancy is None:
            messages.error(request, _("岗位不存在或不在您的管辖范围内"))
            return back
        _run(request, lambda: event_services.add_vacancy(actor=user, event=event, vacancy=vacancy), _("已添加活动岗位"))
    elif action == "register":
        if roles.is_resident(user):
            _run(request, lambda: event_services.register(actor=user, event=event), _("报名成功"))
            return back
        form = forms.PersonIdForm(request.POST, user=user)
        if not form.is_valid():
            return _event_page(request, event, register_form=form, status=400)
        _run(request, lambda: event_services.register(actor=user, event=event, person=form.person), _("已报名"))
    elif action == "checkin":
        form = forms.CheckInForm(request.POST)
        if form.is_valid():
            row = event_queries.get_registration(user, event, form.cleaned_data["registration"])
            _run(request, lambda: event_services.check_in(actor=user, registration=row), _("已签到"))
    elif action in ("open", "ended", "cancelled"):
        _run(request, lambda: event_services.set_status(actor=user, event=event, status=action), _("活动状态已更新"))
    else:
        raise Http404
    return back
