"""What each role may do. Region scope comes from the user's region node (see scoping.py)."""
from __future__ import annotations

from jiuye.accounts.models import Role

# Roles that keep the registry: read and write persons, households, employers and registrations.
REGISTRY_WRITERS = {Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_OFFICER}
# Roles that may read registry records within their region.
REGISTRY_READERS = REGISTRY_WRITERS | {Role.CITY_OFFICER, Role.POLICY_REVIEWER, Role.AUDITOR}
# Roles that see a full identity number on a person's detail page (lists are always masked).
FULL_ID_NUMBER_ROLES = {Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.POLICY_REVIEWER}
# Roles that decide hard-to-employ recognitions (就业困难人员认定: an act of the street, or the district).
RECOGNITION_DECIDERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER}
# Roles that work assistance cases (援助个案), record services and propose recognitions: the registry's keepers.
ASSISTANCE_WORKERS = REGISTRY_WRITERS
# Roles that may import files.
IMPORTERS = REGISTRY_WRITERS
# Roles that may read the audit log (of their region).
AUDIT_READERS = {Role.AUDITOR, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
# Staff roles use the workbench; employer users and residents use the portals.
# Leadership (领导) reads dashboards, targets, reports and monitoring figures of its region, never a person's
# record; a responsible department's liaison (责任单位联络员) enters the weekly progress of its plan tasks.
STAFF_ROLES = REGISTRY_READERS | {Role.LEADER, Role.DEPARTMENT_USER}
# Roles that administer the accounts of their region (create, role and region, password, unlock, disable).
USER_ADMINS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
# Rank of the staff roles an officer may hand out: never a role above their own. Auditors are not in it:
# they audit the officers, so only a superuser creates or changes them (separation of duties); employer
# users and residents are linked to their records on the registry's side.
ROLE_RANK = {Role.COMMUNITY_WORKER: 1, Role.STREET_OFFICER: 2, Role.DISTRICT_OFFICER: 3, Role.POLICY_REVIEWER: 3,
             Role.DEPARTMENT_USER: 3, Role.CITY_OFFICER: 4, Role.LEADER: 4}


def can_read_registry(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGISTRY_READERS))


def can_write_registry(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGISTRY_WRITERS))


def can_import(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in IMPORTERS))


def can_see_full_id_number(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in FULL_ID_NUMBER_ROLES))


def can_read_audit(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in AUDIT_READERS))


def can_admin_users(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in USER_ADMINS))


def assignable_roles(user) -> list[str]:
    """Roles ``user`` may give an account (and so the roles of accounts they may change)."""
    if not can_admin_users(user):
        return []
    if user.is_superuser:
        return list(Role.values)
    rank = ROLE_RANK.get(user.role, 0)
    return [r for r in Role.values if r in ROLE_RANK and ROLE_RANK[r] <= rank]


def can_decide_recognition(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in RECOGNITION_DECIDERS))


def can_work_cases(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in ASSISTANCE_WORKERS))


# Policies (issue 9): who loads packs, submits claims for others, reviews, approves and pays.
POLICY_OFFICERS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.POLICY_REVIEWER}  # load packs, run screening
CLAIM_AGENTS = REGISTRY_WRITERS  # submit a claim on someone's behalf (经办代办)
CLAIM_REVIEWERS = {Role.POLICY_REVIEWER, Role.STREET_OFFICER, Role.DISTRICT_OFFICER}  # review, never their own submission
CLAIM_APPROVERS = {Role.POLICY_REVIEWER, Role.DISTRICT_OFFICER}  # publicity, approval, payment batches
BUDGET_OFFICERS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # budgets and the override beyond a budget
POLICY_READERS = REGISTRY_READERS  # catalogue, screening results, ledger views


def _in(user, roles) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role in roles))


def can_manage_policies(user) -> bool:
    return _in(user, POLICY_OFFICERS)


def can_submit_claims_for_others(user) -> bool:
    return _in(user, CLAIM_AGENTS)


def can_review_claims(user) -> bool:
    return _in(user, CLAIM_REVIEWERS)


def can_approve_claims(user) -> bool:
    return _in(user, CLAIM_APPROVERS)


def can_manage_budgets(user) -> bool:
    return _in(user, BUDGET_OFFICERS)


def can_read_policies(user) -> bool:
    return _in(user, POLICY_READERS)


# Jobs (issue 10): vacancies, seekers, matching, applications, gigs, labour sharing, events.
JOB_WORKERS = REGISTRY_WRITERS  # record vacancies for employers, seekers' registrations and profiles, applications
JOB_REVIEWERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # review flagged vacancies (age limits)
EVENT_ORGANISERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # recruitment events
JOB_READERS = REGISTRY_READERS  # staff reading jobs lists, matches and pipelines in their region


def can_work_jobs(user) -> bool:
    return _in(user, JOB_WORKERS)


def can_review_vacancies(user) -> bool:
    return _in(user, JOB_REVIEWERS)


def can_organise_events(user) -> bool:
    return _in(user, EVENT_ORGANISERS)


def can_read_jobs(user) -> bool:
    return _in(user, JOB_READERS)


def is_employer_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role == Role.EMPLOYER_USER)


def is_resident(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role == Role.RESIDENT)


# Monitoring and early warning (issue 11): supply and demand, monitored enterprises, unemployment, rural transfer.
MONITORING_READERS = REGISTRY_READERS  # staff and leadership read every figure of their region and drill down
MONITORING_MANAGERS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # the sample, statistics series, catalogues, thresholds
REPORT_ENTERERS = REGISTRY_WRITERS  # enter or import an enterprise's monthly report on its behalf, chase late ones
WARNING_HANDLERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # acknowledge and close warnings


def can_read_monitoring(user) -> bool:
    return _in(user, MONITORING_READERS)


def can_manage_monitoring(user) -> bool:
    return _in(user, MONITORING_MANAGERS)


def can_enter_enterprise_reports(user) -> bool:
    return _in(user, REPORT_ENTERERS)


def can_handle_warnings(user) -> bool:
    return _in(user, WARNING_HANDLERS)


# Targets, KPIs and reports (issue 12): figures computed from the registry against five-year targets.
TARGET_READERS = REGISTRY_READERS | {Role.LEADER}  # the dashboard, KPIs, targets, progress and ranking of their region
TARGET_MANAGERS = {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # targets, breakdowns, input series, criteria
TASK_REPORTERS = {Role.DEPARTMENT_USER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}  # weekly progress of plan tasks
REPORT_READERS = TARGET_READERS | {Role.DEPARTMENT_USER}  # the kept reports of their region
REPORT_MAKERS = {Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.LEADER}  # generate, schedule
# Who may open the records behind a figure (persons, households): the registry's readers; leadership sees
# counts and regions only.
FIGURE_RECORD_READERS = REGISTRY_READERS


def can_read_targets(user) -> bool:
    return _in(user, TARGET_READERS)


def can_manage_targets(user) -> bool:
    return _in(user, TARGET_MANAGERS)


def can_report_tasks(user) -> bool:
    return _in(user, TASK_REPORTERS)


def can_read_reports(user) -> bool:
    return _in(user, REPORT_READERS)


def can_make_reports(user) -> bool:
    return _in(user, REPORT_MAKERS)


def can_open_figure_records(user) -> bool:
    return _in(user, FIGURE_RECORD_READERS)


def can_read_warnings(user) -> bool:
    """The warnings' titles and levels of the region (the dashboard and the big screen): monitoring readers and
    leadership. Opening a warning's records stays with the monitoring readers."""
    return _in(user, MONITORING_READERS | {Role.LEADER})
