"""Workbench views. Thin: parse the request, read through jiuye.registry.queries (scoped), write through
jiuye.registry.services, render. A ValidationError from a service goes back onto its form; PermissionDenied
gives the 403 page; a record outside the user's scope gives the 404 page (queries.NotFound)."""
from __future__ import annotations

import importlib
import os
import tempfile
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.registry import groups as group_rules
from jiuye.registry import queries, services
from jiuye.registry.identity import mask_id_number
from jiuye.imports import queries as import_queries
from jiuye.imports.models import ImportBatch
from jiuye.registry.models import EmploymentStatus, Registration
from jiuye.registry.retirement import age_on, is_working_age
from jiuye.registry.status import status_on, timeline
from jiuye.web import forms, reads

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# Access decorators (role checks only; region scope is applied by queries and services)


def _require(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


staff_required = _require(roles.can_read_registry, gettext_lazy("您的角色无权使用登记查询功能"))
writer_required = _require(roles.can_write_registry, gettext_lazy("您的角色无权修改登记信息"))
importer_required = _require(roles.can_import, gettext_lazy("您的角色无权导入数据"))
audit_reader_required = _require(roles.can_read_audit, gettext_lazy("您的角色无权查看审计日志"))


# ---------------------------------------------------------------------------------------------
# Helpers


def _page(request, form, rows_and_more):
    """Previous/next links for offset pagination (no COUNT over big tables)."""
    rows, has_more = rows_and_more
    offset = (form.cleaned_data.get("offset") or 0) if form.is_valid() else 0

    def link(new_offset):
        params = request.GET.copy()
        params["offset"] = str(max(0, new_offset))
        return "?" + params.urlencode()

    return {
        "rows": rows,
        "offset": offset,
        "first_index": offset + 1,
        "last_index": offset + len(rows),
        "prev_url": link(offset - PAGE_SIZE) if offset > 0 else "",
        "next_url": link(offset + PAGE_SIZE) if has_more else "",
    }


def _slice(qs, offset):
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _service_form(request, form, call, *, success, template, context):
    """Validate ``form``, call the service; service errors go onto the form, success redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            target = call(form)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, template, {"form": form, **context})


def _post_data(request):
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------------------------------------
# Home


@login_required
def home(request):
    user = request.user
    context = {"today": timezone.localdate()}
    if roles.can_read_registry(user):
        context["counts"] = reads.registry_counts(user)
        if roles.can_import(user):
            context["recent_imports"] = list(import_queries.import_batches_visible_to(user)[:5])
    elif user.role == Role.RESIDENT:
        context["own_person_id"] = user.person_id
    elif user.role == Role.EMPLOYER_USER:
        context["own_employer_id"] = user.employer_id
    return render(request, "web/home.html", context)


# ---------------------------------------------------------------------------------------------
# Persons


@staff_required
def person_search(request):
    form = forms.PersonSearchForm(request.GET, user=request.user)
    result = ([], False)
    if form.is_valid():
        d = form.cleaned_data
        result = queries.search_persons(request.user, queries.PersonSearch(
            text=d["q"], region_code=d["region"], status=d["status"], group=d["group"], hukou_type=d["hukou_type"],
            limit=PAGE_SIZE, offset=d["offset"] or 0,
        ))
    page = _page(request, form, result)
    page["rows"] = [{"person": p, "id_masked": mask_id_number(p.id_number)} for p in page["rows"]]
    return render(request, "web/person_search.html", {"form": form, "page": page})


def _timeline_rows(entries: list[Registration]) -> list[dict]:
    superseded_by = {e.corrects_id: e for e in entries if e.corrects_id is not None}
    return [
        {"entry": entry, "counts": counts, "superseded_by": superseded_by.get(entry.pk),
         "correctable": counts and entry.kind != Registration.Kind.VOID}
        for entry, counts in timeline(entries)
    ]


@login_required
def person_detail(request, pk: int):
    user = request.user
    person = queries.get_person(user, pk)
    entries = queries.registrations_of(person)
    today = timezone.localdate()
    on_form = forms.StatusOnForm(request.GET) if request.GET.get("on") else forms.StatusOnForm(initial={"on": today})
    on = on_form.cleaned_data["on"] if on_form.is_bound and on_form.is_valid() else None
    status_then = None
    if on is not None:
        st = status_on(entries, on)
        entry = next((e for e in entries if e.pk == st.registration_id), None)
        status_then = {"on": on, "status": st, "label": EmploymentStatus(st.status).label,
                       "employer": entry.employer if entry is not None and st.employer_id else None}
    membership = queries.current_household(person)
    return render(request, "web/person_detail.html", {
        "person": person,
        "show_full_id": roles.can_see_full_id_number(user) or user.person_id == person.pk,
        "id_masked": mask_id_number(person.id_number),
        "age": age_on(person.birth_date, today),
        "working_age": is_working_age(person.birth_date, person.retirement_date, today),
        "membership": membership,
        "groups": group_rules.groups_of(person, on),
        "groups_on": on or today,
        "status_then": status_then,
        "on_form": on_form,
        "timeline": _timeline_rows(entries),
        "may_write": roles.can_write_registry(user),
    })


def _person_url(person) -> str:
    return reverse("web:person", args=[person.pk])


def _person_context(person, title):
    return {"person": person, "id_masked": mask_id_number(person.id_number), "title": title}


@writer_required
def person_create(request):
    form = forms.PersonForm(_post_data(request), user=request.user)

    def call(f):
        return _person_url(services.create_person(actor=request.user, **f.service_kwargs()))

    return _service_form(request, form, call, success=_("人员档案已建立"), template="web/person_form.html",
                         context={"title": _("新建人员档案")})


@writer_required
def person_edit(request, pk: int):
    person = queries.get_person_for_change(request.user, pk)
    form = forms.PersonForm(_post_data(request), user=request.user, person=person)

    def call(f):
        return _person_url(services.update_person(actor=request.user, person=person, **f.service_kwargs()))

    return _service_form(request, form, call, success=_("人员信息已保存"), template="web/person_form.html",
                         context=_person_context(person, _("修改人员信息")))


def _registration_view(request, pk, form_class, service, title, success, **form_kwargs):
    person = queries.get_person_for_change(request.user, pk)
    form = form_class(_post_data(request), initial={"effective_date": timezone.localdate()}, **form_kwargs)

    def call(f):
        service(actor=request.user, person=person, **f.service_kwargs())
        return _person_url(person)

    return _service_form(request, form, call, success=success % {"n": person.name},
                         template="web/registration_form.html", context=_person_context(person, title))


@writer_required
def register_employment(request, pk: int):
    return _registration_view(request, pk, forms.EmploymentRegistrationForm, services.register_employment,
                              _("就业登记"), _("已为%(n)s办理就业登记"), user=request.user)


@writer_required
def register_unemployment(request, pk: int):
    return _registration_view(request, pk, forms.UnemploymentRegistrationForm, services.register_unemployment,
                              _("失业登记"), _("已为%(n)s办理失业登记"))


@writer_required
def end_status(request, pk: int):
    return _registration_view(request, pk, forms.EndStatusForm, services.end_status,
                              _("终止就业/失业状态"), _("已终止%(n)s的当前状态"))


@writer_required
def correct_registration(request, pk: int, rid: int):
    person = queries.get_person_for_change(request.user, pk)
    entries = queries.registrations_of(person)
    entry = next((e for e in entries if e.pk == rid), None)
    if entry is None or entry.kind == Registration.Kind.VOID:
        # A void entry is itself a correction: it is not corrected again.
        raise Http404(_("登记不存在"))
    form = forms.CorrectionForm(_post_data(request), user=request.user, registration=entry)

    def call(f):
        if f.voiding:
            services.void_registration(actor=request.user, registration=entry, reason=f.cleaned_data["reason"])
        else:
            services.correct_registration(actor=request.user, registration=entry, reason=f.cleaned_data["reason"],
                                          **f.replacement())
        return _person_url(person)

    row = next(r for r in _timeline_rows(entries) if r["entry"].pk == entry.pk)
    context = _person_context(person, _("更正或作废登记"))
    context.update({"row": row, "entry": entry})
    return _service_form(request, form, call, success=_("登记已更正/作废，原登记保留在历史中"),
                         template="web/correction_form.html", context=context)


# ---------------------------------------------------------------------------------------------
# Households


@staff_required
def household_search(request):
    form = forms.HouseholdSearchForm(request.GET)
    result = ([], False)
    if form.is_valid():
        qs = reads.search_households(request.user, number_prefix=form.cleaned_data["q"],
                                     zero_employment=form.cleaned_data["zero_employment"])
        result = _slice(qs, form.cleaned_data["offset"] or 0)
    return render(request, "web/household_search.html", {"form": form, "page": _page(request, form, result)})


def _household_page(request, household, *, add_form=None, remove_error=None):
    today = timezone.localdate()
    members = [
        {"m": m, "id_masked": mask_id_number(m.person.id_number),
         "working_age": is_working_age(m.person.birth_date, m.person.retirement_date, today),
         "age": age_on(m.person.birth_date, today)}
        for m in queries.household_members(household)
    ]
    may_write = roles.can_write_registry(request.user)
    return render(request, "web/household_detail.html", {
        "household": household,
        "members": members,
        "zero_employment": group_rules.is_zero_employment_household(household),
        "may_write": may_write,
        "add_form": add_form or (forms.AddMemberForm(user=request.user) if may_write else None),
        "remove_error": remove_error,
    })


@login_required
def household_detail(request, pk: int):
    return _household_page(request, queries.get_household(request.user, pk))


@writer_required
def household_add_member(request, pk: int):
    household = queries.get_household(request.user, pk, audit_read=False)
    if request.method != "POST":
        return redirect("web:household", pk=household.pk)
    form = forms.AddMemberForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.add_household_member(
                actor=request.user, household=household, person=form.person, relation=form.cleaned_data["relation"],
                joined_on=form.cleaned_data["joined_on"], move=form.cleaned_data["move"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已将%(n)s加入本户") % {"n": form.person.name})
            return redirect("web:household", pk=household.pk)
    return _household_page(request, household, add_form=form)


@writer_required
def household_remove_member(request, pk: int):
    household = queries.get_household(request.user, pk, audit_read=False)
    if request.method != "POST":
        return redirect("web:household", pk=household.pk)
    form = forms.RemoveMemberForm(request.POST)
    if not form.is_valid():
        return _household_page(request, household, remove_error=_("请求无效"))
    membership = queries.household_members(household).filter(person_id=form.cleaned_data["person_id"]).first()
    if membership is None:
        raise Http404(_("该人员不是本户现有成员"))
    try:
        services.remove_household_member(actor=request.user, household=household, person=membership.person,
                                         left_on=form.cleaned_data["left_on"])
    except ValidationError as exc:
        return _household_page(request, household, remove_error="；".join(exc.messages))
    messages.success(request, _("已将%(n)s移出本户") % {"n": membership.person.name})
    return redirect("web:household", pk=household.pk)


# ---------------------------------------------------------------------------------------------
# Employers


@staff_required
def employer_search(request):
    form = forms.EmployerSearchForm(request.GET)
    result = ([], False)
    if form.is_valid():
        result = _slice(reads.search_employers(request.user, form.cleaned_data["q"]), form.cleaned_data["offset"] or 0)
    return render(request, "web/employer_search.html", {"form": form, "page": _page(request, form, result)})


@login_required
def employer_detail(request, pk: int):
    employer = queries.get_employer(request.user, pk)
    context = {"employer": employer}
    if roles.can_read_registry(request.user):
        employees = reads.visible_employees(request.user, employer)
        context["employee_count"] = employees.count()
        context["employees"] = [{"person": p, "id_masked": mask_id_number(p.id_number)}
                                for p in employees.order_by("name", "pk")[:PAGE_SIZE]]
    return render(request, "web/employer_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Imports


def _import_module():
    try:
        module = importlib.import_module("jiuye.imports.services")
    except ImportError:
        return None
    return module if hasattr(module, "run_import") else None


@importer_required
def imports(request):
    form = forms.ImportForm(request.POST if request.method == "POST" else None,
                            request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        importer = _import_module()
        if importer is None:
            form.add_error(None, _("导入功能尚未安装"))
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(prefix="jiuye-upload-", suffix=suffix, delete=False) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
            try:
                batch = importer.run_import(kind=form.cleaned_data["kind"], path=Path(tmp.name), actor=request.user,
                                            dry_run=form.cleaned_data["dry_run"], original_name=upload.name)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("文件已处理：%(s)s") % {"s": batch.get_status_display()})
                return redirect("web:import_batch", pk=batch.pk)
            finally:
                os.unlink(tmp.name)
    batches = list(import_queries.import_batches_visible_to(
        request.user, kind=request.GET.get("kind", ""), status=request.GET.get("status", ""))[:20])
    return render(request, "web/imports.html", {"form": form, "batches": batches,
                                                "import_available": _import_module() is not None})


def _visible_batch(request, pk: int) -> ImportBatch:
    return import_queries.get_import_batch(request.user, pk)


@importer_required
def import_batch(request, pk: int):
    return render(request, "web/import_batch.html", {"batch": _visible_batch(request, pk)})


@importer_required
def import_report(request, pk: int):
    path = import_queries.open_import_report(request.user, _visible_batch(request, pk))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


# ---------------------------------------------------------------------------------------------
# Audit log


@audit_reader_required
def audit_log(request):
    form = forms.AuditFilterForm(request.GET)
    result = ([], False)
    if form.is_valid():
        d = form.cleaned_data
        qs = reads.search_audit(request.user, operator=d["operator"], object_type=d["object_type"],
                                object_id=d["object_id"], action=d["action"], date_from=d["date_from"],
                                date_to=d["date_to"])
        result = _slice(qs, d["offset"] or 0)
    return render(request, "web/audit_log.html", {"form": form, "page": _page(request, form, result)})
