"""Admin for superusers. Registry records are changed through the services (audited), so the
admin is read-only here; the workbench is where staff work."""
from django.contrib import admin
from django.utils.translation import gettext as _

from jiuye.accounts import admin as accounts_admin
from jiuye.accounts import audit
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.admin import ReadOnlyAdmin
from jiuye.accounts.models import User
from jiuye.registry.models import AccountLink, Employer, Household, Person, Registration


class AccountLinkInline(admin.StackedInline):
    """A resident's own person record or an employer user's employer, edited on the user's page."""

    model = AccountLink
    can_delete = True
    raw_id_fields = ["person", "employer"]
    max_num = 1


# The user admin of accounts, with the registry's link to the user's person or employer (registry sits
# above accounts, so the inline is added from here).
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(accounts_admin.UserAdmin):
    inlines = [*accounts_admin.UserAdmin.inlines, AccountLinkInline]


class AuditedReadAdmin(ReadOnlyAdmin):
    """A superuser's look at records in the admin is a read like any other: the detail page records a
    view of the record, the list a view of the list (with its search)."""

    object_type = ""
    label_field = "name"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.model.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if obj is not None and response.status_code == 200:
            audit.record(request.user, AuditEntry.Action.VIEW, object_type=self.object_type, object_id=obj.pk,
                         object_label=str(getattr(obj, self.label_field)), region_code=self._region_code(obj),
                         summary=_("管理后台查看%(t)s") % {"t": self.model._meta.verbose_name})
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit.record(request.user, AuditEntry.Action.VIEW, object_type=self.object_type,
                         changes={"search": request.GET.get("q", "")[:64]},
                         summary=_("管理后台浏览%(t)s列表") % {"t": self.model._meta.verbose_name})
        return response

    def _region_code(self, obj):
        return getattr(obj, "region_id", "") or ""


@admin.register(Person)
class PersonAdmin(AuditedReadAdmin):
    object_type = "person"
    list_display = ["name", "region", "employment_status"]
    search_fields = ["name"]


@admin.register(Household)
class HouseholdAdmin(AuditedReadAdmin):
    object_type = "household"
    label_field = "number"
    list_display = ["number", "region", "has_business_income"]


@admin.register(Employer)
class EmployerAdmin(AuditedReadAdmin):
    object_type = "employer"
    list_display = ["name", "credit_code", "region", "size_class"]
    search_fields = ["name", "credit_code"]


@admin.register(Registration)
class RegistrationAdmin(AuditedReadAdmin):
    object_type = "registration"
    label_field = "person"

    def _region_code(self, obj):
        return obj.registered_in_id or ""

    list_display = ["person", "kind", "effective_date", "registered_in", "source", "recorded_at"]
