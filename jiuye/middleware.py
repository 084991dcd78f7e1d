"""Request and response guards for the whole site (a utility outside the floors; imports nothing of Jiuye).

- ``UploadSizeLimitMiddleware``: a file upload larger than the import limit (``JIUYE_MAX_UPLOAD_SIZE``,
  default 50 MB, env ``JIUYE_MAX_UPLOAD_MB``), or any other body larger than DATA_UPLOAD_MAX_MEMORY_SIZE,
  is refused with 413 before it is read: JSON under /api/, a short Chinese page elsewhere. The import form and ``POST /api/v1/imports`` check the file's own size
  with the same message (``upload_too_large_message``).
- ``NoStoreMiddleware``: every response Django produces (pages, API answers, report downloads) carries
  ``Cache-Control: no-store``, so no browser or proxy keeps personal data. Static files are served by
  WhiteNoise before this middleware and stay cacheable.

Security headers (HSTS, nosniff, Referrer-Policy, frame denial) come from Django's SecurityMiddleware
and XFrameOptionsMiddleware, the Content-Security-Policy from django-csp (settings.py).
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape

# Multipart framing and the other form fields around the file.
_BODY_SLACK = 1024 * 1024


def upload_limit_mb() -> int:
    return max(1, round(settings.JIUYE_MAX_UPLOAD_SIZE / (1024 * 1024)))


def upload_too_large_message() -> str:
    return f"上传的文件过大：导入文件最大为 {upload_limit_mb()} MB。请把文件拆分成几个较小的文件后分批导入。"


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.JIUYE_MAX_UPLOAD_SIZE + _BODY_SLACK if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            message = upload_too_large_message() if multipart else (
                f"请求内容过大：最大为 {round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024))} MB。")
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": message}, status=413)
            else:
                response = HttpResponse(
                    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8"><title>文件过大</title></head>'
                    f'<body><h1>文件过大</h1><p>{escape(message)}</p><p><a href="{escape(request.path)}">返回</a></p>'
                    "</body></html>", status=413, content_type="text/html; charset=utf-8")
            # The body was not read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response
