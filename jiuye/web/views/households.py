"""Households wing: search, the household page, creating and editing a household, adding and removing
members and changing their relation to the head."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jiuye.accounts import roles
from jiuye.accounts.scoping import in_scope
from jiuye.registry import queries, services
from jiuye.registry.models import Relation
from jiuye.web.forms import households as forms
from jiuye.web.exports import EXPORT_MAX, Column, export_xlsx, filters_of, is_export
from jiuye.web.views.common import list_page, post_data, service_form, staff_required, writer_required


#: The household list's columns as the page shows them (the export writes the same).
HOUSEHOLD_COLUMNS = [
    Column(_l("户编号"), lambda h: h.number),
    Column(_l("所在街道"), lambda h: h.region.parent.name if h.region.parent_id else ""),
    Column(_l("所在社区"), lambda h: h.region.name),
    Column(_l("地址"), lambda h: h.address),
    Column(_l("现有成员"), lambda h: h.member_count),
]


@staff_required
def household_search(request):
    form = forms.HouseholdSearchForm(request.GET, user=request.user)
    if is_export(request, form):
        s = form.search(limit=EXPORT_MAX)
        return export_xlsx(request, rows=queries.households_of_search(request.user, s).iterator(chunk_size=2000),
                           total=queries.count_households(request.user, s), columns=HOUSEHOLD_COLUMNS,
                           sheet=_("家庭户"), filename="households", object_type="household", filters=filters_of(form),
                           sort=queries.household_sort(s), summary=_("导出家庭户列表"))
    context = list_page(request, form, search=queries.search_households, count=queries.count_households,
                        sort=queries.household_sort)
    return render(request, "web/households/search.html", context)


def _household_page(request, pk: int, *, audit_read: bool = True, add_form=None, remove_error=None):
    page = queries.household_page(request.user, pk, audit_read=audit_read)
    may_write = roles.can_write_registry(request.user) and in_scope(request.user, page.household.region_id)
    return render(request, "web/households/detail.html", {
        "household": page.household,
        "members": page.members,
        "zero_employment": page.zero_employment,
        "may_write": may_write,
        "add_form": add_form or (forms.AddMemberForm(user=request.user, household=page.household) if may_write else None),
        "remove_error": remove_error,
        "relation_choices": Relation.choices,
    })


@login_required
def household_detail(request, pk: int):
    return _household_page(request, pk)


@writer_required
def household_add_member(request, pk: int):
    household = queries.get_household(request.user, pk, audit_read=False)
    if request.method != "POST":
        return redirect("web:household", pk=household.pk)
    form = forms.AddMemberForm(request.POST, user=request.user, household=household)
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
    return _household_page(request, household.pk, audit_read=False, add_form=form)


def _member_action(request, pk: int, form_class, invalid: str, act, success: str):
    """A POST about one current member (remove, change the relation): the member is looked up in the
    household, ``act(household, membership, cleaned_data)`` calls the service, and its refusal shows on
    the household page."""
    household = queries.get_household(request.user, pk, audit_read=False)
    if request.method != "POST":
        return redirect("web:household", pk=household.pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _household_page(request, household.pk, audit_read=False, remove_error=invalid)
    membership = queries.household_members(household).filter(person_id=form.cleaned_data["person_id"]).first()
    if membership is None:
        raise Http404(_("该人员不是本户现有成员"))
    try:
        act(household, membership, form.cleaned_data)
    except ValidationError as exc:
        return _household_page(request, household.pk, audit_read=False, remove_error="；".join(exc.messages))
    messages.success(request, success % {"n": membership.person.name})
    return redirect("web:household", pk=household.pk)


@writer_required
def household_remove_member(request, pk: int):
    def act(household, membership, data):
        services.remove_household_member(actor=request.user, household=household, person=membership.person,
                                         left_on=data["left_on"])

    return _member_action(request, pk, forms.RemoveMemberForm, _("请求无效"), act, _("已将%(n)s移出本户"))


def household_url(household) -> str:
    return reverse("web:household", args=[household.pk])


@writer_required
def household_create(request):
    form = forms.HouseholdForm(post_data(request), user=request.user)

    def call(f):
        return household_url(services.create_household(actor=request.user, **f.service_kwargs()))

    return service_form(request, form, call, success=_("家庭户已建立，请添加家庭成员"),
                        template="web/households/form.html", context={"title": _("新建家庭户")})


@writer_required
def household_edit(request, pk: int):
    household = queries.get_household(request.user, pk, audit_read=False)
    form = forms.HouseholdForm(post_data(request), user=request.user, household=household)

    def call(f):
        return household_url(services.update_household(actor=request.user, household=household, **f.service_kwargs()))

    return service_form(request, form, call, success=_("家庭户信息已保存"), template="web/households/form.html",
                        context={"title": _("修改家庭户信息"), "household": household})


@writer_required
def household_member_relation(request, pk: int):
    def act(household, membership, data):
        services.change_member_relation(actor=request.user, household=household, person=membership.person,
                                        relation=data["relation"])

    return _member_action(request, pk, forms.MemberRelationForm, _("请选择与户主关系"), act, _("已修改%(n)s与户主关系"))
