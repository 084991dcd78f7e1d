from django.contrib import admin

from jiuye.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "urban_rural", "is_synthetic"]
    list_filter = ["level", "urban_rural", "is_synthetic"]
    search_fields = ["code", "name"]
