"""Every change of an account is audited, whatever makes it: the services record their own entries
(and mark the instance ``_audited``); anything else (the admin, Django's ``createsuperuser`` and
``changepassword``, a shell) is caught here on save and delete of users and API tokens. The actor is
the request's user (the audit context) or "system" for commands."""
from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _

from jiuye.accounts import audit
from jiuye.accounts.models import ApiToken, AuditEntry, User

#: Fields of a user whose change is recorded (the password as "changed", never its hash).
USER_FIELDS = ["username", "role", "region_id", "display_name", "is_active", "is_staff", "is_superuser", "password"]
TOKEN_FIELDS = ["name", "revoked", "user_id"]


def _actor():
    user = audit.current_context().user
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _snapshot(instance, fields):
    return {f: getattr(instance, f) for f in fields}


def _changes(before: dict, after: dict) -> dict:
    changed = audit.diff(before, after)
    if "password" in changed:
        changed["password"] = ["***", "***"]
    return changed


def user_pre_save(sender, instance: User, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    fields = [f for f in USER_FIELDS if update_fields is None or f.removesuffix("_id") in update_fields
              or f in update_fields]
    old = User.objects.filter(pk=instance.pk).values(*fields).first() if fields else None
    instance._audit_before = old


def user_post_save(sender, instance: User, created, raw=False, **kwargs):
    if raw:
        return
    if getattr(instance, "_audited", False):
        instance._audited = False
        return
    if created:
        audit.record(_actor(), AuditEntry.Action.CREATE, object_type="user", object_id=instance.pk,
                     object_label=instance.username, region_code=instance.region_id or "",
                     changes={"role": instance.role, "region": instance.region_id, "is_superuser": instance.is_superuser},
                     summary=_("新建用户"))
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if before is None:
        return
    changed = _changes(before, _snapshot(instance, list(before)))
    if changed:
        actor = _actor()
        if list(changed) != ["password"]:
            summary = _("修改用户")
        elif actor is not None and actor.pk == instance.pk:
            summary = _("修改本人密码")
        else:
            summary = _("重置密码")
        audit.record(actor, AuditEntry.Action.UPDATE, object_type="user", object_id=instance.pk,
                     object_label=instance.username, region_code=instance.region_id or before.get("region_id") or "",
                     changes=changed, summary=summary)


def user_post_delete(sender, instance: User, **kwargs):
    audit.record(_actor(), AuditEntry.Action.DELETE, object_type="user", object_id=instance.pk,
                 object_label=instance.username, region_code=instance.region_id or "", summary=_("删除用户"))


def token_pre_save(sender, instance: ApiToken, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._audit_before = ApiToken.objects.filter(pk=instance.pk).values(*TOKEN_FIELDS).first()


def token_post_save(sender, instance: ApiToken, created, raw=False, **kwargs):
    if raw:
        return
    if getattr(instance, "_audited", False):
        instance._audited = False
        return
    user = instance.user
    if created:
        audit.record(_actor(), AuditEntry.Action.CREATE, object_type="api_token", object_id=user.pk,
                     object_label=user.username, region_code=user.region_id or "",
                     summary=_("签发接口令牌：%(n)s") % {"n": instance.name})
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    changed = _changes(before, _snapshot(instance, list(before))) if before else {}
    if changed:
        audit.record(_actor(), AuditEntry.Action.UPDATE, object_type="api_token", object_id=user.pk,
                     object_label=user.username, region_code=user.region_id or "", changes=changed,
                     summary=_("吊销接口令牌：%(n)s") % {"n": instance.name} if instance.revoked
                     else _("修改接口令牌：%(n)s") % {"n": instance.name})


def token_post_delete(sender, instance: ApiToken, **kwargs):
    user = User.objects.filter(pk=instance.user_id).first()
    audit.record(_actor(), AuditEntry.Action.DELETE, object_type="api_token", object_id=instance.user_id,
                 object_label=user.username if user else "", region_code=(user.region_id or "") if user else "",
                 summary=_("删除接口令牌：%(n)s") % {"n": instance.name})


def connect():
    pre_save.connect(user_pre_save, sender=User, dispatch_uid="jiuye.accounts.user_pre_save")
    post_save.connect(user_post_save, sender=User, dispatch_uid="jiuye.accounts.user_post_save")
    post_delete.connect(user_post_delete, sender=User, dispatch_uid="jiuye.accounts.user_post_delete")
    pre_save.connect(token_pre_save, sender=ApiToken, dispatch_uid="jiuye.accounts.token_pre_save")
    post_save.connect(token_post_save, sender=ApiToken, dispatch_uid="jiuye.accounts.token_post_save")
    post_delete.connect(token_post_delete, sender=ApiToken, dispatch_uid="jiuye.accounts.token_post_delete")
