"""Template context for every page: what the user may use, the side navigation, the top bar."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from jiuye.accounts import roles
from jiuye.accounts.models import Role
from jiuye.registry import queries


def own_records(user) -> dict:
    """The registry records the user acts for: a resident's own person, an employer user's employer."""
    return {
        "own_person_id": queries.linked_person_id(user) if user.role == Role.RESIDENT else None,
        "own_employer_id": queries.linked_employer_id(user) if user.role == Role.EMPLOYER_USER else None,
    }


def _nav_items(user, own: dict) -> list[dict]:
    items = [("web:home", _("工作台"), True)]
    reader = roles.can_read_registry(user)
    items += [
        ("web:person_search", _("人员查询"), reader),
        ("web:person_create", _("新建人员档案"), roles.can_write_registry(user)),
        ("web:household_search", _("家庭户"), reader),
        ("web:employer_search", _("用人单位"), reader),
        ("web:transfers", _("人员迁移"), reader),  # issue 7, H2
        ("web:assistance", _("就业援助"), reader),  # issue 8
        ("web:policies", _("政策与补贴"), reader),  # issue 9
        ("web:jobs", _("岗位与招聘"), roles.can_read_jobs(user)),  # issue 10
        ("web:monitoring", _("就业监测预警"), roles.can_read_monitoring(user)),  # issue 11
        ("web:targets", _("目标考核"), roles.can_read_targets(user)),  # issue 12: dashboard, targets, KPIs
        ("web:plan_tasks", _("重点任务"), roles.can_report_tasks(user) or roles.can_read_targets(user)),  # issue 12
        ("web:reports", _("统计报告"), roles.can_read_reports(user)),  # issue 12
        ("web:self_registrations", _("网上自助登记"), roles.can_write_registry(user)),
        ("web:imports", _("数据导入"), roles.can_import(user)),
        ("web:audit", _("审计日志"), roles.can_read_audit(user)),
        ("web:users", _("用户管理"), roles.can_admin_users(user)),
    ]
    out = [{"url": _url(name), "label": label, "exact": name == "web:home"} for name, label, allowed in items if allowed]
    if own["own_person_id"]:
        out.append({"url": reverse("web:person", args=[own["own_person_id"]]), "label": _("本人档案"), "exact": False})
        out.append({"url": reverse("web:portal"), "label": _("网上办理登记"), "exact": False})
    if own["own_employer_id"]:
        out.append({"url": reverse("web:employer", args=[own["own_employer_id"]]), "label": _("本单位信息"),
                    "exact": False})
    if own["own_person_id"]:  # issue 10: the seeker's side
        out.append({"url": _url("web:my_jobs"), "label": _("推荐岗位"), "exact": False})
        out.append({"url": _url("web:my_applications"), "label": _("我的求职"), "exact": False})
        out.append({"url": _url("web:my_profile"), "label": _("求职意向与简历"), "exact": False})
    if own["own_employer_id"]:  # issue 10: the employer's side
        out.append({"url": _url("web:my_vacancies"), "label": _("招聘岗位管理"), "exact": False})
        out.append({"url": _url("web:applications"), "label": _("求职申请"), "exact": False})
        out.append({"url": _url("web:sharing"), "label": _("用工余缺调剂"), "exact": False})
        out.append({"url": _url("web:my_enterprise_reports"), "label": _("用工监测月报"), "exact": False})  # issue 11
    if own["own_person_id"] or own["own_employer_id"]:
        out.append({"url": _url("web:gigs"), "label": _("零工市场"), "exact": False})
        out.append({"url": _url("web:events"), "label": _("招聘活动"), "exact": False})
        out.append({"url": _url("web:shortage_catalogues"), "label": _("紧缺职业目录"), "exact": False})  # issue 11
    if own["own_person_id"] or own["own_employer_id"]:
        out.append({"url": _url("web:my_policies"), "label": _("可享受的政策"), "exact": False})
        out.append({"url": _url("web:my_claims"), "label": _("我的补贴申领"), "exact": False})
    return [item for item in out if item["url"]]


def _url(name: str) -> str:
    """The page's address, or "" while the page does not exist (a part not built yet)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    own = own_records(user)
    nav = _nav_items(user, own)
    matches = [item for item in nav if (path == item["url"] if item["exact"] else path.startswith(item["url"]))]
    best = max(matches, key=lambda item: len(item["url"]), default=None)
    for item in nav:
        item["active"] = item is best
    region = user.region if user.region_id else None
    return {
        "can_read_registry": roles.can_read_registry(user),
        "can_write_registry": roles.can_write_registry(user),
        "can_import": roles.can_import(user),
        "can_read_audit": roles.can_read_audit(user),
        "nav_items": nav,
        "user_role_label": user.get_role_display(),
        "user_region_name": (region.full_name or region.name) if region else "",
        **own,
    }
