"""Recording audit entries. Services call ``record``; requests and commands set the context."""
from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, Iterable

from django.db.models import Q

from jiuye.accounts.models import AuditEntry


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    channel: str = ""
    user: Any = None  # the request's user, for changes recorded without an explicit actor (accounts.signals)


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar("jiuye_audit_context", default=AuditContext())


def set_context(ctx: AuditContext) -> contextvars.Token:
    return _context.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


def current_context() -> AuditContext:
    return _context.get()


def json_safe(value: Any) -> Any:
    """``value`` as JSON can hold it: model instances become their primary key, other objects their text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if hasattr(value, "pk"):
        return value.pk
    return str(value)




def build(actor, action: str, *, object_type: str = "", object_id: Any = "", object_label: str = "",
          region_code: str | None = "", changes: dict | None = None, summary: str = "") -> AuditEntry:
    ctx = current_context()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=object_label[:128],
        region_code=region_code or "",
        changes=json_safe(changes or {}),
        summary=summary[:255],
        ip_address=ctx.ip_address,
        channel=ctx.channel,
    )


def record(actor, action: str, **kwargs) -> AuditEntry:
    entry = build(actor, action, **kwargs)
    entry.save()
    return entry


def record_many(entries: Iterable[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(list(entries), batch_size=2000)


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ."""
    return {k: [json_safe(before.get(k)), json_safe(v)] for k, v in after.items() if before.get(k) != v}


# ---------------------------------------------------------------------------------------------
# Entries about one record

#: An entry about a run of records created together (one chunk of an import, see
#: ``jiuye.imports.db.AuditWriter.add_runs``) has ``object_id`` = RANGE_PREFIX + the run's last id
#: zero-padded (so that runs sort by their last id in the (object_type, object_id) index) and
#: ``changes`` {"first_id": ..., "last_id": ..., "count": ...}: every id from first to last was created
#: by that entry's actor at that time.
RANGE_PREFIX = "#"
_RANGE_END = chr(ord(RANGE_PREFIX) + 1)
_RANGE_WIDTH = 12


def range_object_id(last_id: int) -> str:
    return f"{RANGE_PREFIX}{last_id:0{_RANGE_WIDTH}d}"


def entries_about_q(object_type: str, object_id: Any) -> Q:
    """The filter that finds every audit entry about one record: the entries naming it, and the
    entry about the run of records created together (an import chunk) whose id range holds it.

    Both parts are range scans of the (object_type, object_id) index: the second reads only the
    runs ending at or after the record's id and keeps the one starting at or before it.
    """
    object_id = str(object_id)
    q = Q(object_type=object_type, object_id=object_id)
    if object_id.isdigit() and len(object_id) <= _RANGE_WIDTH:
        number = int(object_id)
        q |= Q(object_type=object_type, object_id__gte=range_object_id(number), object_id__lt=_RANGE_END,
               changes__first_id__lte=number)
    return q
