"""Admin for superusers. Registry records are changed through the services (audited), so the
admin is read-only here; the workbench is where staff work."""
from django.contrib import admin

from jiuye.accounts.admin import ReadOnlyAdmin
from jiuye.registry.models import Employer, Household, Person, Registration


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
    list_display = ["person", "kind", "effective_date", "source", "recorded_at"]
