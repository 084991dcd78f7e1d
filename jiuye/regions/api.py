from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jiuye.apitypes import text
from jiuye.regions.codes import pad
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
def list_regions(request, parent: text(12) | None = None):
    if not parent:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    try:
        parent_code = pad(parent)
    except ValueError:
        return []
    return list(Region.objects.filter(parent_id=parent_code).order_by("code"))


@router.get("/{code}", response=RegionOut, summary="单个区划")
def get_region(request, code: text(12)):
    try:
        code = pad(code)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Region, code=code)
