from __future__ import annotations

from ninja import Router, Schema

from jiuye.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_id: str | None
    full_name: str
    is_synthetic: bool
    urban_rural: str  # 城乡分类代码 (111 … 220), "" when not classified


@router.get("/", response=list[RegionOut], summary="行政区划（按上级查询下级）")
def list_regions(request, parent: str | None = None):
    qs = Region.objects.filter(parent_id=parent.ljust(12, "0")) if parent else Region.objects.filter(parent__isnull=True)
    return list(qs.order_by("code"))


@router.get("/{code}", response=RegionOut, summary="单个区划")
def get_region(request, code: str):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Region, code=code.ljust(12, "0"))
