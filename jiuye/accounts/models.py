"""Users bound to a role and a region node; the audit log; API tokens."""
from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNITY_WORKER = "community_worker", _("社区劳动保障协理员")
    STREET_OFFICER = "street_officer", _("街道劳动保障干部")
    DISTRICT_OFFICER = "district_officer", _("区县人社局工作人员")
    CITY_OFFICER = "city_officer", _("市人社局工作人员")
    POLICY_REVIEWER = "policy_reviewer", _("政策审核员")
    AUDITOR = "auditor", _("审计员")
    LEADER = "leader", _("领导（查阅）")
    DEPARTMENT_USER = "department_user", _("责任单位联络员")
    EMPLOYER_USER = "employer_user", _("用人单位")
    RESIDENT = "resident", _("居民")


class User(AbstractUser):
    """A user bound to a role and a region node. A resident's own person record and an employer user's
    employer are linked on the registry's side (``registry.AccountLink``): accounts never points up."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.RESIDENT)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class AuditEntry(models.Model):
    """One read of a personal record or one change. Never edited, never deleted."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        REGISTER = "register", _("登记")
        CORRECT = "correct", _("更正")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        LOCKOUT = "lockout", _("登录锁定")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # No index of its own: the (actor, at) index serves lookups by actor.
    actor = models.ForeignKey(User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
                              db_index=False)
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=32, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_label = models.CharField(_("对象"), max_length=128, blank=True)
    region_code = models.CharField(_("对象所属区划"), max_length=12, blank=True)  # indexed in Meta (no "_like" index)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    summary = models.CharField(_("说明"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)  # web, api, cli

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "at"]),
                   models.Index(fields=["region_code"], name="audit_region_code_idx")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("audit entries are append-only")


class ApiToken(models.Model):
    """A bearer token for machine clients of /api/v1. Only the SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
