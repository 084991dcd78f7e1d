"""Imports wing forms."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jiuye.apitypes import MAX_OFFSET
from jiuye.imports import kinds
from jiuye.imports.models import ImportBatch
from jiuye.imports.queries import BatchSearch
from jiuye.web.forms.common import BLANK, sort_field
from jiuye.middleware import upload_limit_mb, upload_too_large_message


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=kinds.choices)
    file = forms.FileField(label=_("文件（Excel 或 CSV）"))
    dry_run = forms.BooleanField(label=_("仅校验，不写入"), required=False, initial=True)

    ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise ValidationError(_("只能导入 .xlsx、.xls 或 .csv 文件"))
        if upload.size > settings.JIUYE_MAX_UPLOAD_SIZE:
            raise ValidationError(upload_too_large_message())
        return upload

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("最大 %(mb)d MB") % {"mb": upload_limit_mb()}


class BatchFilterForm(forms.Form):
    # Any kind: batches of a kind no longer registered stay listable (as the API lists them).
    kind = forms.CharField(label=_("导入类型"), required=False, max_length=16, widget=forms.Select)
    status = forms.ChoiceField(label=_("结果"), required=False, choices=BLANK + list(ImportBatch.Status.choices))
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, widget=forms.HiddenInput)
    sort = sort_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = BLANK + list(kinds.choices())

    def search(self, *, limit: int) -> BatchSearch:
        d = self.cleaned_data
        return BatchSearch(kind=d["kind"], status=d["status"], sort=d["sort"], limit=limit, offset=d["offset"] or 0)
