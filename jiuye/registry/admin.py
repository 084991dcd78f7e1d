"""Admin for superusers. Registry records are changed through the services (audited), so the
admin is read-only here; the workbench is where staff work."""
from django.contrib import admin

from jiuye.accounts import admin as accounts_admin
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


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "employment_status"]
    search_fields = ["name"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "region", "has_business_income"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "region", "size_class"]
    search_fields = ["name", "credit_code"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "effective_date", "registered_in", "source", "recorded_at"]
