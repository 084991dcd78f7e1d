"""The REST API under /api/v1 (django-ninja); OpenAPI schema at /api/v1/openapi.json, docs at /api/v1/docs.

Input: every parameter and body field is a type from ``jiuye.apitypes`` (bounded numbers and dates,
text without control characters); a bad value is a 422 whose ``detail`` lists, per field, the value
received and the reason in Chinese. The docs page and the schema need a login (session or token);
Swagger UI is served from django-ninja's own static files (no CDN).
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as NinjaValidationError

from jiuye.accounts.api_auth import SessionOrToken, token_user
from jiuye.apitypes import chinese_error


def _login_required_for_docs(view):
    """The docs page and the OpenAPI schema: a logged-in session or a valid bearer token."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and token_user(request) is None:
            if request.path.endswith(".json"):
                return JsonResponse({"detail": "请先登录"}, status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


class JiuyeAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> NinjaValidationError:
        errors = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False):
                e["loc"] = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"])
                errors.append(chinese_error(e))
        return NinjaValidationError(errors)


api = JiuyeAPI(
    title="Jiuye API",
    version="1",
    description="就业服务与监测平台接口。认证：浏览器会话，或 Authorization: Bearer <令牌>（jiuye create_api_token）。"
    "参数或字段无效时返回 422，detail 列出每个字段（field）、收到的值（input）与中文原因（msg）。",
    urls_namespace="api",
    auth=SessionOrToken(),
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=_login_required_for_docs,
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    # One answer for "does not exist" and "outside your scope", whatever the record.
    return api.create_response(request, {"detail": "记录不存在或不在您的管辖范围内"}, status=404)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


from jiuye.accounts.api import router as accounts_router  # noqa: E402
from jiuye.regions.api import router as regions_router  # noqa: E402
from jiuye.registry.api import router as registry_router  # noqa: E402
from jiuye.imports.api import router as imports_router  # noqa: E402
from jiuye.registry.api_moves import router as moves_router  # noqa: E402  (issue 7, H2: 就业创业证, 迁移)

api.add_router("/regions", regions_router)
api.add_router("/accounts", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", imports_router)
api.add_router("/", moves_router)
from jiuye.assistance.api.posts import router as welfare_posts_router  # noqa: E402  (issue 8: 公益性岗位)
api.add_router("/", welfare_posts_router)
from jiuye.assistance.api.cases import router as assistance_cases_router  # noqa: E402  (issue 8: 援助个案)

api.add_router("/", assistance_cases_router)
from jiuye.assistance.api.zero import router as zero_router  # noqa: E402  (issue 8: 零就业家庭, 劳动能力/就业意愿标记)
api.add_router("/", zero_router)
from jiuye.assistance.api.ledgers import router as relocation_ledgers_router  # noqa: E402  (issue 8, helper "ledger")
from jiuye.assistance.api.calendar import router as work_calendar_router  # noqa: E402  (issue 8, helper "ledger")
api.add_router("/", relocation_ledgers_router)
api.add_router("/", work_calendar_router)

from jiuye.assistance.api.recognitions import router as recognitions_router  # noqa: E402  (issue 8: 就业困难人员认定)

api.add_router("/recognitions", recognitions_router)

from jiuye.policies.api.facts import router as policy_facts_router  # noqa: E402  (issue 9, part "facts": 补贴依据数据)

api.add_router("/", policy_facts_router)
from jiuye.policies.api.claims import router as policy_claims_router  # noqa: E402  (issue 9, policies: claims)

api.add_router("/policies", policy_claims_router)
from jiuye.policies.api.policies import router as policies_router  # noqa: E402  (issue 9: catalogue, explanation, screening)

api.add_router("/", policies_router)
# policies: payments (issue 9: budgets, payment batches, ledger entries)
from jiuye.policies.api.payments import router as policy_payments_router  # noqa: E402

api.add_router("/", policy_payments_router)
# jobs: match (issue 10, item 5: jobs for a seeker, seekers for a vacancy, recommendation runs)
from jiuye.jobs.api.matching import router as jobs_matching_router  # noqa: E402

api.add_router("/", jobs_matching_router)
# jobs: seek (issue 10: job seekers, profiles, applications)
from jiuye.jobs.api.applications import router as job_applications_router  # noqa: E402
from jiuye.jobs.api.seekers import router as job_seekers_router  # noqa: E402

api.add_router("/jobs", job_seekers_router)
api.add_router("/jobs", job_applications_router)
# jobs: market (issue 10: 零工市场, 用工余缺调剂, 招聘活动)
from jiuye.jobs.api.gigs import router as jobs_gigs_router  # noqa: E402
from jiuye.jobs.api.sharing import router as jobs_sharing_router  # noqa: E402
from jiuye.jobs.api.events import router as jobs_events_router  # noqa: E402

api.add_router("/", jobs_gigs_router)
api.add_router("/", jobs_sharing_router)
api.add_router("/", jobs_events_router)
# jobs: vac (issue 10: occupations, vacancies and their search)
from jiuye.jobs.api.occupations import router as jobs_occupations_router  # noqa: E402
from jiuye.jobs.api.vacancies import router as jobs_vacancies_router  # noqa: E402

api.add_router("/jobs", jobs_occupations_router)
api.add_router("/jobs", jobs_vacancies_router)
from jiuye.jobs.api.surveys import router as jobs_pool_router  # noqa: E402  (jobs: vac, the talent pool)

api.add_router("/jobs", jobs_pool_router)
# monitoring: supply (issue 11: 人力资源市场供求 and the shortage-occupation catalogue)
from jiuye.monitoring.api.supply import router as monitoring_supply_router  # noqa: E402

api.add_router("/monitoring", monitoring_supply_router)
# monitoring: enterprises (issue 11: the enterprise sample, monthly reports, missing/late reports, job-loss analysis)
from jiuye.monitoring.api.enterprises import router as monitoring_enterprises_router  # noqa: E402

api.add_router("/monitoring", monitoring_enterprises_router)
# monitoring: unemployment (issue 11: registered and surveyed rates, forecasts, the statistics bureau's series)
from jiuye.monitoring.api.unemployment import router as monitoring_unemployment_router  # noqa: E402

api.add_router("/monitoring", monitoring_unemployment_router)
# monitoring: board (issue 11: the warning board, rural labour transfer)
from jiuye.monitoring.api.warnings import router as monitoring_warnings_router  # noqa: E402
from jiuye.monitoring.api.rural import router as monitoring_rural_router  # noqa: E402

api.add_router("/monitoring", monitoring_warnings_router)
api.add_router("/monitoring", monitoring_rural_router)
# targets: targets (issue 12: the KPI catalogue, KPIs against targets and 序时进度, targets, breakdowns, input values)
from jiuye.targets.api import router as targets_router  # noqa: E402

api.add_router("/targets", targets_router)
# targets: tasks (issue 12: the plans' key-work tasks with weekly progress; full-employment communities)
from jiuye.targets.api_tasks import router as targets_tasks_router  # noqa: E402
from jiuye.targets.api_communities import router as targets_communities_router  # noqa: E402

api.add_router("/targets", targets_tasks_router)
api.add_router("/targets", targets_communities_router)
# targets: reports (issue 12: kept reports, generation, download, schedules)
from jiuye.reports.api import router as reports_router  # noqa: E402

api.add_router("/reports", reports_router)
