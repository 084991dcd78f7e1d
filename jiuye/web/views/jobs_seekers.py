"""求职登记 in the workbench and the portal: the seeker list, a seeker's page (registration history, profile
beside what the registry holds, applications), starting/stopping a registration, the profile form for
staff, and the resident's own profile page (/my/job-profile/, phone-first). Scope lives in
jiuye.jobs.queries/services."""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import OutOfScope
from jiuye.jobs.models import Occupation, SeekerRegistration, WorkType
from jiuye.jobs import flags
from jiuye.jobs.queries import seekers as queries
from jiuye.jobs.services import seekers as services
from jiuye.regions.models import Region
from jiuye.registry import queries as registry_queries
from jiuye.registry.identity import mask_id_number
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.forms import jobs_seekers as forms
from jiuye.web.views.common import list_page, require

jobs_reader_required = require(roles.can_read_jobs, gettext_lazy("您的角色无权使用岗位与招聘功能"))


def _is_own_resident(user) -> bool:
    return roles.is_resident(user) and bool(registry_queries.linked_person_id(user))


resident_required = require(_is_own_resident, gettext_lazy("求职登记仅供已关联本人档案的居民使用"))


def _region_label(region) -> str:
    return f"{region.parent.name} {region.name}" if region.parent_id else region.name


SEEKER_COLUMNS = [
    Column(_l("姓名"), lambda r: r.person.name),
    Column(_l("公民身份号码"), lambda r: r.person.id_number, mask=mask_id_number),
    Column(_l("居住社区"), lambda r: _region_label(r.person.region)),
    Column(_l("求职登记日期"), lambda r: r.started_on),
    Column(_l("结束日期"), lambda r: r.ended_on or ""),
    Column(_l("结束原因"), choice_label(SeekerRegistration, "end_reason")),
    Column(_l("已填求职意向"), lambda r: _("是") if getattr(r, "has_profile", False) else _("否")),
]


def _rows(rows):
    marks = flags.priority_flags([r.person_id for r in rows])
    return [{"r": r, "id_masked": mask_id_number(r.person.id_number), "flags": flags.labels(marks.get(r.person_id, []))}
            for r in rows]


@jobs_reader_required
def seeker_list(request):
    form = forms.SeekerSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.seekers_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_seekers(request.user, s), columns=SEEKER_COLUMNS, sheet=_("求职登记"),
                           filename="seekers", object_type="person", filters=filters_of(form),
                           sort=queries.seeker_sort(s), summary=_("导出求职登记列表"))
    context = list_page(request, form, search=queries.search_seekers, count=queries.count_seekers, sort=queries.seeker_sort)
    context["rows"] = _rows(context["page"]["rows"])
    context["title"] = _("求职登记")
    return render(request, "web/jobs/seekers/list.html", context)


# ---------------------------------------------------------------------------------------------
# One seeker


def _occupation_names(codes) -> list[dict]:
    names = dict(Occupation.objects.filter(code__in=codes or []).values_list("code", "name"))
    return [{"code": c, "name": names.get(c, "")} for c in codes or []]


def _profile_view(profile) -> dict | None:
    if profile is None:
        return None
    regions = dict(Region.objects.filter(code__in=profile.regions or []).values_list("code", "name"))
    return {"p": profile, "occupations": _occupation_names(profile.occupations),
            "regions": [regions.get(c, c) for c in profile.regions or []],
            "work_types": [WorkType(w).label for w in profile.work_types or [] if w in WorkType.values]}


def _seeker_context(request, person, *, portal: bool) -> dict:
    regs = queries.registrations_of(person)
    current = next((r for r in regs if r.ended_on is None), None)
    may_write = services.may_write_for(request.user, person)
    return {
        "person": person, "portal": portal, "id_masked": mask_id_number(person.id_number),
        "registrations": regs, "current": current, "profile": _profile_view(queries.profile_of(person)),
        "history": registry_queries.registrations_of(person), "applications": queries.applications_of(person),
        "flags": flags.labels(flags.priority_flags([person.pk]).get(person.pk, [])),
        "may_write": may_write, "start_form": forms.StartForm(), "stop_form": forms.StopForm(),
    }


@jobs_reader_required
def seeker_detail(request, person_id: int):
    person = queries.get_seeker_person(request.user, person_id)
    context = _seeker_context(request, person, portal=False)
    context["title"] = _("求职人员 %(n)s") % {"n": person.name}
    return render(request, "web/jobs/seekers/detail.html", context)


def _post_action(request, person, done):
    """start / stop a registration from a posted form; errors as messages (the page shows them)."""
    action = request.POST.get("action")
    try:
        if action == "start":
            form = forms.StartForm(request.POST)
            if form.is_valid():
                services.start_seeking(actor=request.user, person=person, started_on=form.cleaned_data["started_on"])
                messages.success(request, _("已办理求职登记"))
            else:
                messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
        elif action == "stop":
            form = forms.StopForm(request.POST)
            if form.is_valid():
                services.stop_seeking(actor=request.user, person=person, ended_on=form.cleaned_data["ended_on"],
                                      reason=form.cleaned_data["reason"])
                messages.success(request, _("已结束求职登记"))
            else:
                messages.error(request, "；".join(m for ms in form.errors.values() for m in ms))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except OutOfScope as exc:
        raise PermissionDenied(str(exc)) from None
    return done()


@jobs_reader_required
def seeker_registration(request, person_id: int):
    person = queries.get_seeker_person(request.user, person_id, audit_read=False)
    if request.method == "POST":
        return _post_action(request, person, lambda: redirect("web:seeker", person_id=person.pk))
    return redirect("web:seeker", person_id=person.pk)


def _lookup(request) -> list[Occupation]:
    text = (request.GET.get("occ_q") or "").strip()[:32]
    if not text:
        return []
    return list(Occupation.objects.filter(Q(name__contains=text) | Q(aliases__contains=text), is_occupation=True)
                .order_by("code")[:30])


def _profile_form_page(request, person, *, portal: bool, done):
    profile = queries.profile_of(person)
    if request.method == "POST":
        form = forms.ProfileForm(request.POST, person=person)
        if form.is_valid():
            try:
                services.save_profile(actor=request.user, person=person, **form.values())
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("已保存求职意向与简历"))
                return done()
        status = 400
    else:
        form = forms.ProfileForm(initial=forms.ProfileForm.initial_of(profile), person=person)
        status = 200
    context = _seeker_context(request, person, portal=portal)
    context.update(form=form, lookup_form=forms.OccupationLookupForm(request.GET or None), lookup=_lookup(request),
                   title=_("我的求职意向与简历") if portal else _("求职意向与简历：%(n)s") % {"n": person.name})
    return render(request, "web/jobs/seekers/profile.html", context, status=status)


@jobs_reader_required
def seeker_profile(request, person_id: int):
    person = queries.get_seeker_person(request.user, person_id, audit_read=request.method != "POST")
    if not services.may_write_for(request.user, person):
        raise PermissionDenied(_("您的角色无权修改求职意向"))
    return _profile_form_page(request, person, portal=False, done=lambda: redirect("web:seeker", person_id=person.pk))


@resident_required
def my_profile(request):
    person = registry_queries.get_person(request.user, registry_queries.linked_person_id(request.user), audit_read=False)
    if request.method == "POST" and request.POST.get("action") in ("start", "stop"):
        return _post_action(request, person, lambda: redirect("web:my_profile"))
    return _profile_form_page(request, person, portal=True, done=lambda: redirect("web:my_profile"))
