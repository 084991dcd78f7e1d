"""The jobs hub (/jobs/): the figures of the user's view and the links to every part of the jobs app
(the sub-navigation lists the parts whose pages exist)."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuye.accounts import roles
from jiuye.jobs.queries import applications as application_queries
from jiuye.jobs.queries import events as event_queries
from jiuye.jobs.queries import gigs as gig_queries
from jiuye.jobs.queries import occupations as occupation_queries
from jiuye.jobs.queries import pool as pool_queries
from jiuye.jobs.queries import seekers as seeker_queries
from jiuye.jobs.queries import vacancies as queries
from jiuye.web.views.common import require


@require(roles.can_read_jobs, gettext_lazy("您的角色无权使用岗位与招聘功能"))
def jobs_home(request):
    counts = queries.hub_counts(request.user)
    user = request.user
    # the same searches as the lists the figures link to, so a figure is the linked list's total
    work = {
        "seekers": seeker_queries.count_seekers(user, seeker_queries.SeekerSearch(status="open")),
        "priority_seekers": seeker_queries.count_seekers(user, seeker_queries.SeekerSearch(status="open", priority=True)),
        "live_applications": application_queries.count_applications(user, application_queries.ApplicationSearch(status="live")),
        "hired": application_queries.count_applications(user, application_queries.ApplicationSearch(status="hired")),
        "gigs": gig_queries.count_gigs(user, gig_queries.GigSearch(status="open")),
        "events": event_queries.count_events(user, event_queries.EventSearch(upcoming=True)),
        "pool": pool_queries.count_pool(user, pool_queries.PoolSearch()),
    }
    return render(request, "web/jobs/home.html", {
        "counts": counts, "work": work, "title": _("岗位与招聘"), "may_create": roles.can_work_jobs(request.user),
        "may_review": roles.can_review_vacancies(request.user),
        "occupations": sum(r["occupations"] for r in occupation_queries.level_counts())})
