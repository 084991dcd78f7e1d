"""Persons wing: search, the person page, create and edit, registrations and their corrections."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.registry import queries, services
from jiuye.registry.identity import mask_id_number, mask_phone
from jiuye.registry.status import status_label
from jiuye.registry.models import Person, Registration
from jiuye.registry.retirement import under_working_age_notice
from jiuye.web.forms import persons as forms
from jiuye.web.exports import EXPORT_MAX, Column, choice_label, export_xlsx, filters_of, is_export
from jiuye.web.views.common import list_page, post_data, service_form, staff_required, writer_required


#: The person list's columns as the page shows them (the export writes the same).
PERSON_COLUMNS = [
    Column(_l("姓名"), lambda p: p.name),
    Column(_l("公民身份号码"), lambda p: p.id_number, mask=mask_id_number),
    Column(_l("性别"), choice_label(Person, "sex")),
    Column(_l("出生日期"), lambda p: p.birth_date),
    Column(_l("所在街道"), lambda p: p.region.parent.name if p.region.parent_id else ""),
    Column(_l("居住社区"), lambda p: p.region.name),
    Column(_l("户籍"), choice_label(Person, "hukou_type")),
    Column(_l("就业状态"), lambda p: status_label(p.employment_status, p.status_since)),
    Column(_l("联系电话"), lambda p: p.phone, mask=mask_phone),
]


@staff_required
def person_search(request):
    form = forms.PersonSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.persons_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_persons(request.user, s), columns=PERSON_COLUMNS, sheet=_("人员"),
                           filename="persons", object_type="person", filters=filters_of(form),
                           sort=queries.person_sort(s), summary=_("导出人员列表"))
    context = list_page(request, form, search=queries.search_persons, count=queries.count_persons,
                        sort=queries.person_sort)
    page = context["page"]
    page["rows"] = [{"person": p, "id_masked": mask_id_number(p.id_number)} for p in page["rows"]]
    return render(request, "web/persons/search.html", context)


@login_required
def person_detail(request, pk: int):
    user = request.user
    on_form = (forms.StatusOnForm(request.GET) if request.GET.get("on")
               else forms.StatusOnForm(initial={"on": timezone.localdate()}))
    on = on_form.cleaned_data["on"] if on_form.is_bound and on_form.is_valid() else None
    page = queries.person_page(user, pk, on=on)
    # The page carries the masked number only; "显示完整号码" asks person_id_number (audited). A resident
    # sees their own number in full (the page view is their audited read).
    may_reveal = roles.can_see_full_id_number(user)
    return render(request, "web/persons/detail.html", {
        "person": page.person,
        "status_label": page.status_label,
        "show_full_id": page.show_full_id,
        "may_reveal_id": may_reveal,
        "own_full_id": page.show_full_id and not may_reveal,
        "id_masked": mask_id_number(page.person.id_number),
        "age": page.age,
        "working_age": page.working_age,
        "membership": page.membership,
        "groups": page.groups,
        "groups_on": page.groups_on,
        "status_then": vars(page.status_then) if page.status_then else None,  # on, status, label, employer
        "on_form": on_form,
        "timeline": page.timeline,
        "change_log": page.change_log,
        "may_write": roles.can_write_registry(user),
        "pending": queries.open_pending_of(page.person),  # 待生效
    })


@require_POST
@staff_required
def person_id_number(request, pk: int):
    """The full identity number for "显示完整号码" (POST, so that no prefetch or link reveals it); audited."""
    return JsonResponse({"id_number": queries.reveal_id_number(request.user, pk)},
                        headers={"Cache-Control": "no-store"})


def _shown(request, person, response):
    """A form that showed the person (not a redirect after success) is an audited read."""
    if response.status_code == 200:
        queries.record_person_read(request.user, person, summary=_("查看人员档案（办理表单）"))
    return response


def person_url(person) -> str:
    return reverse("web:person", args=[person.pk])


def _person_context(person, title):
    return {"person": person, "id_masked": mask_id_number(person.id_number), "title": title}


@writer_required
def person_create(request):
    form = forms.PersonForm(post_data(request), user=request.user)

    def call(f):
        person = services.create_person(actor=request.user, **f.service_kwargs())
        notice = under_working_age_notice(person.birth_date, timezone.localdate())
        if notice:
            messages.warning(request, notice)
        return person_url(person)

    return service_form(request, form, call, success=_("人员档案已建立"), template="web/persons/form.html",
                        context={"title": _("新建人员档案")})


@writer_required
def person_edit(request, pk: int):
    person = queries.get_person_for_change(request.user, pk)
    form = forms.PersonForm(post_data(request), user=request.user, person=person)

    def call(f):
        return person_url(services.update_person(actor=request.user, person=person, **f.service_kwargs()))

    return _shown(request, person, service_form(request, form, call, success=_("人员信息已保存"),
                                                template="web/persons/form.html",
                                                context=_person_context(person, _("修改人员信息"))))


def _registration_view(request, pk, form_class, service, title, success, **form_kwargs):
    person = queries.get_person_for_change(request.user, pk)
    if form_kwargs.pop("person", False):
        form_kwargs["person"] = person
    form = form_class(post_data(request), initial={"effective_date": timezone.localdate()}, **form_kwargs)

    def call(f):
        service(actor=request.user, person=person, **f.service_kwargs())
        return person_url(person)

    return _shown(request, person, service_form(request, form, call, success=success % {"n": person.name},
                                                template="web/persons/registration_form.html",
                                                context=_person_context(person, title)))


@writer_required
def register_employment(request, pk: int):
    return _registration_view(request, pk, forms.EmploymentRegistrationForm, services.register_employment,
                              _("就业登记"), _("已为%(n)s办理就业登记"), user=request.user)


@writer_required
def register_unemployment(request, pk: int):
    return _registration_view(request, pk, forms.UnemploymentRegistrationForm, services.register_unemployment,
                              _("失业登记"), _("已为%(n)s办理失业登记"), person=True, user=request.user)


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
    form = forms.CorrectionForm(post_data(request), user=request.user, registration=entry)

    def call(f):
        if f.voiding:
            services.void_registration(actor=request.user, registration=entry, reason=f.cleaned_data["reason"])
        else:
            services.correct_registration(actor=request.user, registration=entry, reason=f.cleaned_data["reason"],
                                          **f.replacement())
        return person_url(person)

    row = next(r for r in queries.timeline_rows(entries) if r.entry.pk == entry.pk)
    context = _person_context(person, _("更正或作废登记"))
    context.update({"row": row, "entry": entry})
    return _shown(request, person, service_form(request, form, call, success=_("登记已更正/作废，原登记保留在历史中"),
                                                template="web/persons/correction_form.html", context=context))
