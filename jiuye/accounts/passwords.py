"""The password policy's validators (settings.AUTH_PASSWORD_VALIDATORS): Django's, with the length
message in Chinese (Django's own translation of it is missing for zh-hans), and no username inside."""
from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短，至少需要%(n)d个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("密码至少需要%(n)d个字符。") % {"n": self.min_length}


class ContainsUsernameValidator:
    """Refuses a password that contains the username (of 3 characters or more), in any case: Django's
    similarity check lets "zhangsan2026!" pass for "zhangsan"."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")
