from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jiuye.api import api

# The admin in Chinese and branded (the language is zh-hans whatever the browser asks; the favicon and
# title are in jiuye/templates/admin/base_site.html).
admin.site.site_header = _("就业 · 公共就业服务平台管理")
admin.site.site_title = _("就业平台管理")
admin.site.index_title = _("数据与账号管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jiuye.web.urls")),
]
