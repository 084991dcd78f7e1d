from jiuye.accounts import audit
from jiuye.accounts.throttling import client_address


class AuditContextMiddleware:
    """Puts the client address and channel (web or api) into the audit context of each request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = audit.set_context(audit.AuditContext(ip_address=client_address(request), channel=channel,
                                                     user=getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            audit.reset_context(token)
