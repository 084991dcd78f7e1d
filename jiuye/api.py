"""The REST API under /api/v1 (django-ninja); OpenAPI schema at /api/v1/openapi.json."""
from ninja import NinjaAPI

from jiuye.accounts.api_auth import SessionOrToken

api = NinjaAPI(
    title="Jiuye API",
    version="1",
    description="就业服务与监测平台接口。认证：浏览器会话，或 Authorization: Bearer <令牌>（jiuye create_api_token）。",
    urls_namespace="api",
    auth=SessionOrToken(),
)

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


from jiuye.accounts.api import router as accounts_router  # noqa: E402
from jiuye.regions.api import router as regions_router  # noqa: E402
from jiuye.registry.api import router as registry_router  # noqa: E402
from jiuye.imports.api import router as imports_router  # noqa: E402

api.add_router("/regions", regions_router)
api.add_router("/accounts", accounts_router)
api.add_router("/", registry_router)
api.add_router("/", imports_router)
