"""/favicon.ico: browsers ask for it at the root on every page without a <link rel="icon"> (JSON, the
API docs); it is a static file (web/static/web/favicon.ico, drawn by scripts/make_favicon.py)."""
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("web/favicon.ico"))
