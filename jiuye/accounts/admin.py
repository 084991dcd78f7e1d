from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jiuye.accounts.models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "region", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("岗位与区划"), {"fields": ("display_name", "role", "region")}),)
    raw_id_fields = ["region"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing is added, changed or deleted through the admin (writes go through the services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: audit entries are never added, changed or deleted by hand."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "object_label", "ip_address"]
    list_filter = ["action", "object_type", "channel"]
    search_fields = ["actor_name", "object_id", "object_label"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
