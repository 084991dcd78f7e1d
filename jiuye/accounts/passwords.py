"""The password policy's validators (settings.AUTH_PASSWORD_VALIDATORS): Django's, with the length
message in Chinese (Django's own translation of it is missing for zh-hans)."""
from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短，至少需要%(n)d个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(n)d个字符。") % {"n": self.min_length}
