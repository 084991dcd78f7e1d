from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy

from jiuye.web.views import audit, employers, home, households, imports, moves, persons, portal, users
from jiuye.web.views import assistance_zero
from jiuye.web.views import favicon, help as help_pages
from jiuye.web.views import assistance_posts
from jiuye.web.views import assistance_cases
from jiuye.web.views import assistance_calendar, assistance_ledgers  # issue 8, helper "ledger"
from jiuye.web.views import assistance_recognitions
from jiuye.web.views import policies_claims  # policies: claims

app_name = "web"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(template_name="web/password_change.html",
                                                            success_url=reverse_lazy("web:home")),
         name="password_change"),
    path("", home.home, name="home"),
    path("persons/", persons.person_search, name="person_search"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<int:pk>/", persons.person_detail, name="person"),
    path("persons/<int:pk>/id-number/", persons.person_id_number, name="person_id_number"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:pk>/employment/", persons.register_employment, name="register_employment"),
    path("persons/<int:pk>/unemployment/", persons.register_unemployment, name="register_unemployment"),
    path("persons/<int:pk>/ending/", persons.end_status, name="end_status"),
    path("persons/<int:pk>/registrations/<int:rid>/correct/", persons.correct_registration, name="correct_registration"),
    path("households/", households.household_search, name="household_search"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/members/add/", households.household_add_member, name="household_add_member"),
    path("households/<int:pk>/members/remove/", households.household_remove_member, name="household_remove_member"),
    path("employers/", employers.employer_search, name="employer_search"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer"),
    # complete forms (H4): employers and households created and edited on the web
    path("employers/new/", employers.employer_create, name="employer_create"),
    path("employers/<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/members/relation/", households.household_member_relation, name="household_member_relation"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:pk>/", imports.import_batch, name="import_batch"),
    path("imports/<int:pk>/report", imports.import_report, name="import_report"),
    path("audit/", audit.audit_log, name="audit"),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path("users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    # online self-registration (网上自助) and pending registrations (H1)
    path("portal/", portal.portal_home, name="portal"),
    re_path(r"^portal/(?P<kind>employment|unemployment)/$", portal.portal_register, name="portal_register"),
    path("portal/requests/<int:pk>/withdraw/", portal.portal_withdraw, name="portal_withdraw"),
    path("self-registrations/", portal.self_registration_list, name="self_registrations"),
    path("self-registrations/<int:pk>/", portal.self_registration_detail, name="self_registration"),

    # 就业创业证 and 迁入/迁出 (issue 7, H2)
    path("persons/<int:pk>/certificate/print/", moves.certificate_print, name="certificate_print"),
    path("persons/<int:pk>/certificate/reissue/", moves.certificate_reissue, name="certificate_reissue"),
    path("persons/<int:pk>/certificate/issue/", moves.certificate_issue, name="certificate_issue"),
    path("persons/<int:pk>/transfer/", moves.transfer_request, name="transfer_request"),
    path("transfers/", moves.transfer_list, name="transfers"),
    path("transfers/<int:tid>/", moves.transfer_decide, name="transfer_decide"),

    # 公益性岗位 (issue 8, assistance part "posts")
    path("assistance/posts/", assistance_posts.post_list, name="posts"),
    path("assistance/posts/new/", assistance_posts.post_create, name="post_create"),
    path("assistance/posts/<int:pk>/", assistance_posts.post_detail, name="post"),
    path("assistance/posts/<int:pk>/edit/", assistance_posts.post_edit, name="post_edit"),
    path("assistance/posts/<int:pk>/candidates/", assistance_posts.post_candidates, name="post_candidates"),
    path("assistance/posts/<int:pk>/place/", assistance_posts.post_place, name="post_place"),
    path("assistance/posts/placements/", assistance_posts.placement_list, name="post_placements"),
    path("assistance/posts/placements/<int:pk>/exit/", assistance_posts.placement_exit, name="post_placement_exit"),
    path("assistance/posts/placements/<int:pk>/attendance/", assistance_posts.placement_attendance,
         name="post_placement_attendance"),
    path("assistance/posts/payroll/", assistance_posts.payroll, name="post_payroll"),
    # 就业援助: the assistance home and the case workbench (issue 8, helper "cases")
    path("assistance/", assistance_cases.assistance_home, name="assistance"),
    path("assistance/cases/", assistance_cases.case_list, name="cases"),
    path("assistance/cases/<int:pk>/", assistance_cases.case_detail, name="case"),
    path("assistance/cases/<int:pk>/reassign/", assistance_cases.case_reassign, name="case_reassign"),
    path("assistance/overview/", assistance_cases.case_overview, name="assistance_overview"),
    # 零就业家庭 and capacity marks (issue 8, helper "zero")
    path("assistance/zero/", assistance_zero.zero_households, name="zero_households"),
    path("assistance/zero/history/", assistance_zero.zero_spells, name="zero_spells"),
    path("assistance/zero/overview/", assistance_zero.zero_overview, name="zero_overview"),
    path("assistance/zero/marks/", assistance_zero.capacity_marks, name="capacity_marks"),
    path("assistance/zero/marks/<int:mid>/", assistance_zero.capacity_mark_lift, name="capacity_mark_lift"),
    path("assistance/zero/marks/<int:mid>/files/<int:aid>/", assistance_zero.capacity_mark_file, name="capacity_mark_file"),
    path("persons/<int:pk>/capacity-mark/", assistance_zero.capacity_mark_new, name="capacity_mark_new"),
    # 易地搬迁社区三本台账 and the bureau holiday calendar (issue 8, helper "ledger")
    path("assistance/relocation-ledgers/", assistance_ledgers.relocation_ledgers, name="relocation_ledgers"),
    path("assistance/relocation-ledgers/new/", assistance_ledgers.relocation_flag, name="relocation_flag"),
    path("assistance/relocation-ledgers/<str:code>/", assistance_ledgers.relocation_ledger, name="relocation_ledger"),
    path("assistance/relocation-ledgers/<str:code>/edit/", assistance_ledgers.relocation_edit, name="relocation_edit"),
    path("assistance/relocation-ledgers/<str:code>/end/", assistance_ledgers.relocation_end, name="relocation_end"),
    path("assistance/work-calendar/", assistance_calendar.work_calendar, name="work_calendar"),
    path("assistance/work-calendar/<int:year>/", assistance_calendar.work_calendar_year, name="work_calendar_year"),
    # 就业困难人员认定 (issue 8, recognitions)
    path("recognitions/", assistance_recognitions.recognition_list, name="recognitions"),
    path("recognitions/<int:pk>/", assistance_recognitions.recognition_detail, name="recognition"),
    path("recognitions/<int:pk>/decide/", assistance_recognitions.recognition_decide, name="recognition_decide"),
    path("recognitions/<int:pk>/exit/", assistance_recognitions.recognition_exit, name="recognition_exit"),
    path("recognitions/<int:pk>/withdraw/", assistance_recognitions.recognition_withdraw, name="recognition_withdraw"),
    path("recognitions/<int:pk>/evidence/", assistance_recognitions.recognition_upload, name="recognition_upload"),
    path("persons/<int:pk>/recognition/new/", assistance_recognitions.recognition_new, name="recognition_new"),
    path("assistance/files/<int:aid>/", assistance_recognitions.attachment_download, name="assistance_file"),

    # favicon and help pages (操作指南)
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("help/", help_pages.help_page, name="help"),
    path("help/<slug:role>/", help_pages.help_page, name="help_role"),

    # policies: claims (issue 9: 补贴申领、审核、公示、异议、核准)
    path("policies/claims/", policies_claims.claim_list, name="claims"),
    path("policies/claims/new/", policies_claims.claim_new, name="claim_new"),
    path("policies/claims/<int:pk>/", policies_claims.claim_detail, name="claim"),
    path("policies/claims/<int:pk>/review/", policies_claims.claim_review, name="claim_review"),
    path("policies/claims/<int:pk>/objections/", policies_claims.claim_objection, name="claim_objection"),
    path("policies/claims/<int:pk>/objections/<int:oid>/resolve/", policies_claims.objection_resolve, name="objection_resolve"),
    path("policies/claims/<int:pk>/approve/", policies_claims.claim_approve, name="claim_approve"),
    path("policies/claims/<int:pk>/withdraw/", policies_claims.claim_withdraw, name="claim_withdraw"),
    path("policies/claims/<int:pk>/evidence/", policies_claims.claim_evidence, name="claim_evidence"),
    path("policies/claims/<int:pk>/files/<int:aid>/", policies_claims.claim_file, name="claim_file"),
    path("policies/publicity/", policies_claims.publicity_lists, name="publicity_lists"),
    path("policies/publicity/new/", policies_claims.publicity_new, name="publicity_new"),
    path("policies/publicity/<int:pk>/", policies_claims.publicity_detail, name="publicity"),
    path("policies/publicity/<int:pk>/print/", policies_claims.publicity_print, name="publicity_print"),
    path("portal/claims/", policies_claims.my_claims, name="my_claims"),
    path("portal/claims/new/", policies_claims.my_claim_new, name="my_claim_new"),
    path("portal/claims/<int:pk>/", policies_claims.my_claim, name="my_claim"),
    path("portal/claims/<int:pk>/withdraw/", policies_claims.my_claim_withdraw, name="my_claim_withdraw"),
    path("portal/claims/<int:pk>/evidence/", policies_claims.my_claim_evidence, name="my_claim_evidence"),
    path("portal/claims/<int:pk>/files/<int:aid>/", policies_claims.my_claim_file, name="my_claim_file"),
]

# policies: facts (补贴依据数据, issue 9 part "facts")
from jiuye.web.views import policies_facts  # noqa: E402

urlpatterns += [
    path("policies/facts/", policies_facts.facts_home, name="policy_facts"),
    path("policies/facts/<slug:slug>/", policies_facts.fact_list, name="policy_fact_list"),
    path("policies/facts/<slug:slug>/new/", policies_facts.fact_create, name="policy_fact_create"),
    path("policies/facts/<slug:slug>/<int:pk>/correct/", policies_facts.fact_correct, name="policy_fact_correct"),
]

# policies: screening (issue 9: catalogue, explanation, screening runs and outreach, "policies I may qualify for")
from jiuye.web.views import policies as policies_views  # noqa: E402

urlpatterns += [
    path("policies/", policies_views.policy_catalogue, name="policies"),
    path("policies/load/", policies_views.policy_pack_load, name="policy_pack_load"),
    path("policies/explain/", policies_views.policy_explain, name="policy_explain"),
    path("policies/screening/", policies_views.screening_runs, name="screening"),
    path("policies/screening/<int:pk>/", policies_views.screening_run, name="screening_run"),
    path("policies/screening/<int:pk>/outreach/", policies_views.outreach, name="outreach"),
    path("portal/policies/", policies_views.my_policies, name="my_policies"),
    # one policy: its id has a digit (xc2020-hiring-once), so the other parts' /policies/<word>/ pages never match
    re_path(r"^policies/(?P<code>[a-z0-9-]*[0-9][a-z0-9-]*)/$", policies_views.policy_detail, name="policy"),
]

# policies: payments (issue 9: payment batches, the ledger, budgets)
from jiuye.web.views import policies_payments  # noqa: E402

urlpatterns += [
    path("policies/payments/", policies_payments.batch_list, name="payment_batches"),
    path("policies/payments/new/", policies_payments.batch_new, name="payment_batch_new"),
    path("policies/payments/<int:pk>/", policies_payments.batch_detail, name="payment_batch"),
    path("policies/payments/<int:pk>/bank-file/", policies_payments.batch_send, name="payment_batch_send"),
    path("policies/payments/<int:pk>/reconcile/", policies_payments.batch_reconcile, name="payment_batch_reconcile"),
    path("policies/ledger/", policies_payments.ledger, name="ledger"),
    path("policies/ledger/<int:pk>/", policies_payments.ledger_entry, name="ledger_entry"),
    path("policies/budgets/", policies_payments.budget_list, name="budgets"),
    path("policies/budgets/new/", policies_payments.budget_new, name="budget_new"),
    path("policies/budgets/<int:pk>/", policies_payments.budget_detail, name="budget"),
    path("policies/budgets/<int:pk>/edit/", policies_payments.budget_edit, name="budget_edit"),
]

# jobs: match (issue 10, item 5: 岗位匹配, 智能推荐)
from jiuye.web.views import jobs_matching  # noqa: E402

urlpatterns += [
    path("jobs/seekers/<int:person_id>/jobs/", jobs_matching.person_jobs, name="person_jobs"),
    path("jobs/vacancies/<int:pk>/seekers/", jobs_matching.vacancy_seekers, name="vacancy_seekers"),
    path("jobs/recommendations/", jobs_matching.recommendation_runs, name="recommendation_runs"),
    path("jobs/recommendations/<int:pk>/", jobs_matching.recommendation_run, name="recommendation_run"),
    path("my/jobs/", jobs_matching.my_jobs, name="my_jobs"),
]
# jobs: seek (issue 10: job seekers, profiles, applications)
from jiuye.web.views import jobs_applications, jobs_seekers  # noqa: E402

urlpatterns += [
    path("jobs/seekers/", jobs_seekers.seeker_list, name="seekers"),
    path("jobs/seekers/<int:person_id>/", jobs_seekers.seeker_detail, name="seeker"),
    path("jobs/seekers/<int:person_id>/registration/", jobs_seekers.seeker_registration, name="seeker_registration"),
    path("jobs/seekers/<int:person_id>/profile/", jobs_seekers.seeker_profile, name="seeker_profile"),
    path("my/job-profile/", jobs_seekers.my_profile, name="my_profile"),
    path("jobs/applications/", jobs_applications.application_list, name="applications"),
    path("jobs/applications/recommend/", jobs_applications.application_recommend, name="application_recommend"),
    path("jobs/applications/apply/", jobs_applications.application_apply, name="application_apply"),
    path("jobs/applications/<int:pk>/", jobs_applications.application_detail, name="application"),
    path("jobs/applications/<int:pk>/<slug:action>/", jobs_applications.application_step, name="application_step"),
    path("my/applications/", jobs_applications.my_applications, name="my_applications"),
]
# jobs: market (issue 10: gig market, labour sharing, recruitment events)
from jiuye.web.views import jobs_market  # noqa: E402

urlpatterns += [
    path("jobs/gigs/", jobs_market.gigs, name="gigs"),
    path("jobs/gigs/new/", jobs_market.gig_create, name="gig_create"),
    path("jobs/gigs/<int:pk>/", jobs_market.gig, name="gig"),
    path("jobs/gigs/<int:pk>/take/", jobs_market.gig_take, name="gig_take"),
    path("jobs/gigs/<int:pk>/takes/<int:take_pk>/cancel/", jobs_market.gig_take_cancel, name="gig_take_cancel"),
    path("jobs/gigs/<int:pk>/outcome/", jobs_market.gig_outcome, name="gig_outcome"),
    path("jobs/gigs/<int:pk>/cancel/", jobs_market.gig_cancel, name="gig_cancel"),
    path("jobs/sharing/", jobs_market.sharing, name="sharing"),
    path("jobs/sharing/new/", jobs_market.sharing_create, name="sharing_create"),
    path("jobs/sharing/<int:pk>/", jobs_market.sharing_offer, name="sharing_offer"),
    path("jobs/sharing/placements/new/", jobs_market.sharing_placement, name="sharing_placement"),
    path("jobs/events/", jobs_market.events, name="events"),
    path("jobs/events/new/", jobs_market.event_create, name="event_create"),
    path("jobs/events/<int:pk>/", jobs_market.event, name="event"),
    path("jobs/events/<int:pk>/<slug:action>/", jobs_market.event_action, name="event_action"),
]
# jobs: vac (issue 10: the jobs hub, vacancies, the employer's own vacancies, occupations)
from jiuye.web.views import jobs_home, jobs_vacancies  # noqa: E402

urlpatterns += [
    path("jobs/", jobs_home.jobs_home, name="jobs"),
    path("jobs/vacancies/", jobs_vacancies.vacancy_list, name="vacancies"),
    path("jobs/vacancies/new/", jobs_vacancies.vacancy_new, name="vacancy_new"),
    path("jobs/vacancies/review/", jobs_vacancies.review_list, name="vacancy_review"),
    path("jobs/vacancies/<int:pk>/", jobs_vacancies.vacancy_detail, name="vacancy"),
    path("jobs/vacancies/<int:pk>/edit/", jobs_vacancies.vacancy_edit, name="vacancy_edit"),
    path("jobs/vacancies/<int:pk>/publish/", jobs_vacancies.vacancy_publish, name="vacancy_publish"),
    path("jobs/vacancies/<int:pk>/close/", jobs_vacancies.vacancy_close, name="vacancy_close"),
    path("jobs/vacancies/<int:pk>/occupation/", jobs_vacancies.vacancy_occupation, name="vacancy_occupation"),
    path("jobs/vacancies/<int:pk>/review/", jobs_vacancies.vacancy_review_decide, name="vacancy_review_decide"),
    path("jobs/occupations/", jobs_vacancies.occupation_browse, name="occupations"),
    path("my/vacancies/", jobs_vacancies.my_vacancies, name="my_vacancies"),
    path("jobs/pool/", jobs_vacancies.talent_pool, name="talent_pool"),
    path("jobs/demand/", jobs_vacancies.demand_list, name="demand_list"),
]
# monitoring: supply (issue 11: 人力资源市场供求 and the shortage-occupation catalogue)
from jiuye.web.views import monitoring_supply  # noqa: E402

urlpatterns += [
    path("monitoring/supply/", monitoring_supply.supply_demand, name="supply_demand"),
    path("monitoring/supply/records/", monitoring_supply.supply_records, name="supply_records"),
    path("monitoring/shortage/", monitoring_supply.shortage_catalogues, name="shortage_catalogues"),
    path("monitoring/shortage/new/", monitoring_supply.shortage_catalogue_compute, name="shortage_catalogue_compute"),
    path("monitoring/shortage/<int:pk>/", monitoring_supply.shortage_catalogue, name="shortage_catalogue"),
    path("monitoring/shortage/<int:pk>/publish/", monitoring_supply.shortage_catalogue_publish,
         name="shortage_catalogue_publish"),
]
# monitoring: enterprises (issue 11: the enterprise sample, monthly reports, missing/late reports, job-loss analysis)
from jiuye.web.views import monitoring_enterprises  # noqa: E402

urlpatterns += [
    path("monitoring/enterprises/", monitoring_enterprises.monitored_enterprises, name="monitored_enterprises"),
    path("monitoring/enterprises/new/", monitoring_enterprises.enterprise_enrol, name="enterprise_enrol"),
    path("monitoring/enterprises/<int:pk>/", monitoring_enterprises.monitored_enterprise, name="monitored_enterprise"),
    path("monitoring/enterprises/<int:pk>/leave/", monitoring_enterprises.enterprise_leave, name="enterprise_leave"),
    path("monitoring/enterprises/<int:pk>/report/", monitoring_enterprises.enterprise_report_new,
         name="enterprise_report_new"),
    path("monitoring/enterprises/<int:pk>/chase/", monitoring_enterprises.report_chase, name="report_chase"),
    path("monitoring/reports/", monitoring_enterprises.enterprise_reports, name="enterprise_reports"),
    path("monitoring/reports/due/", monitoring_enterprises.reports_due, name="reports_due"),
    path("monitoring/reports/<int:pk>/", monitoring_enterprises.enterprise_report, name="enterprise_report"),
    path("monitoring/job-loss/", monitoring_enterprises.job_loss, name="job_loss"),
    path("my/enterprise-reports/", monitoring_enterprises.my_enterprise_reports, name="my_enterprise_reports"),
    path("my/enterprise-reports/new/", monitoring_enterprises.my_enterprise_report_new, name="my_enterprise_report_new"),
    path("my/enterprise-reports/<int:pk>/", monitoring_enterprises.my_enterprise_report, name="my_enterprise_report"),
]
# monitoring: unemployment (issue 11: 失业率, 统计部门数据, drill-down to the registered unemployed)
from jiuye.web.views import monitoring_unemployment  # noqa: E402

urlpatterns += [
    path("monitoring/unemployment/", monitoring_unemployment.unemployment, name="unemployment"),
    path("monitoring/unemployment/<str:code>/", monitoring_unemployment.unemployment_region, name="unemployment_region"),
    path("monitoring/unemployment/<str:code>/unemployed/", monitoring_unemployment.unemployed_records,
         name="unemployed_records"),
    path("monitoring/series/", monitoring_unemployment.stat_series, name="stat_series"),
    path("monitoring/series/new/", monitoring_unemployment.stat_series_new, name="stat_series_new"),
    path("monitoring/series/<str:code>/<slug:indicator>/<str:month>/", monitoring_unemployment.stat_series_history,
         name="stat_series_history"),
]
# monitoring: board (issue 11: the monitoring home, the warning board, rural labour transfer)
from jiuye.web.views import monitoring_board, monitoring_rural  # noqa: E402

urlpatterns += [
    path("monitoring/", monitoring_board.monitoring_home, name="monitoring"),
    path("monitoring/warnings/", monitoring_board.warning_list, name="warnings"),
    path("monitoring/warnings/<int:pk>/", monitoring_board.warning_detail, name="warning"),
    path("monitoring/warnings/<int:pk>/<slug:action>/", monitoring_board.warning_action, name="warning_action"),
    path("monitoring/rural/", monitoring_rural.rural_transfer, name="rural_transfer"),
    path("monitoring/rural/persons/", monitoring_rural.rural_persons, name="rural_persons"),
]
# targets: targets (issue 12: targets management, breakdown, input values; the dashboard part owns url "targets")
from jiuye.web.views import targets_admin  # noqa: E402

urlpatterns += [
    path("targets/list/", targets_admin.target_list, name="target_list"),
    path("targets/list/new/", targets_admin.target_new, name="target_new"),
    path("targets/list/<int:target_id>/", targets_admin.target, name="target"),
    path("targets/list/<int:target_id>/replace/", targets_admin.target_replace, name="target_replace"),
    path("targets/list/<int:target_id>/breakdown/", targets_admin.target_breakdown, name="target_breakdown"),
    path("targets/inputs/", targets_admin.input_values, name="input_values"),
    path("targets/inputs/new/", targets_admin.input_value_new, name="input_value_new"),
]
# targets: tasks (issue 12: the plans' key-work tasks with weekly progress; full-employment communities)
from jiuye.web.views import targets_communities, targets_tasks  # noqa: E402

urlpatterns += [
    path("targets/tasks/", targets_tasks.plan_tasks, name="plan_tasks"),
    path("targets/tasks/week/", targets_tasks.plan_tasks_week, name="plan_tasks_week"),
    path("targets/tasks/<int:pk>/", targets_tasks.plan_task, name="plan_task"),
    path("targets/tasks/<int:pk>/progress/", targets_tasks.task_progress_new, name="task_progress_new"),
    path("targets/departments/<int:pk>/", targets_tasks.department, name="department"),
    path("targets/communities/", targets_communities.fe_communities, name="fe_communities"),
    path("targets/communities/assess/", targets_communities.fe_assess, name="fe_assess"),
    path("targets/communities/<str:code>/", targets_communities.fe_community, name="fe_community"),
]

# targets: reports (issue 12: kept reports, generation with progress, download, schedules)
from jiuye.web.views import reports as reports_views  # noqa: E402

urlpatterns += [
    path("reports/", reports_views.report_list, name="reports"),
    path("reports/new/", reports_views.report_new, name="report_new"),
    path("reports/<int:pk>/", reports_views.report_detail, name="report"),
    path("reports/<int:pk>/download/", reports_views.report_download, name="report_download"),
    path("reports/<int:pk>/regenerate/", reports_views.report_regenerate, name="report_regenerate"),
    path("reports/schedules/", reports_views.report_schedules, name="report_schedules"),
    path("reports/schedules/new/", reports_views.report_schedule_new, name="report_schedule_new"),
    path("reports/schedules/<int:pk>/pause/", reports_views.report_schedule_pause, name="report_schedule_pause"),
]
# targets: dashboard (issue 12: 目标考核看板, 大屏, drill-down to a KPI's children and records, the KPI catalogue)
from jiuye.web.views import targets_dashboard  # noqa: E402

urlpatterns += [
    path("targets/", targets_dashboard.dashboard, name="targets"),
    path("targets/screen/", targets_dashboard.targets_screen, name="targets_screen"),
    path("targets/screen/data/", targets_dashboard.targets_screen_data, name="targets_screen_data"),
    path("targets/kpi/<slug:kpi>/", targets_dashboard.kpi_detail, name="kpi_detail"),
    path("targets/kpi/<slug:kpi>/records/", targets_dashboard.kpi_records, name="kpi_records"),
    path("targets/catalogue/", targets_dashboard.kpi_catalogue, name="kpi_catalogue"),
]
