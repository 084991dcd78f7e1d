"""Admin for superusers: import batches, read-only."""
from django.contrib import admin

from jiuye.accounts.admin import ReadOnlyAdmin
from jiuye.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["kind", "file_name", "actor", "status", "imported", "updated", "unchanged", "rejected", "started_at"]
