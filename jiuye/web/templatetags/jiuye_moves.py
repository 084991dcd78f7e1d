"""Data of the person page's 就业创业证 and 迁移 panels (``web/persons/_certificate.html``,
``_transfer.html``), read through ``registry.certificates`` / ``registry.transfers`` so that the
person view itself stays unchanged. Issue 7, H2."""
from __future__ import annotations

from django import template

from jiuye.accounts import roles
from jiuye.registry import certificates, queries, transfers
from jiuye.registry.models import CertificateStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def person_certificates(context, person):
    """The person's certificates (the page already recorded the read of the person)."""
    user = context["request"].user
    certs = certificates.certificates_of(person)
    current = next((c for c in certs if c.status == CertificateStatus.CURRENT), None)
    staff = roles.can_read_registry(user)
    return {
        "current": current,
        "current_authority": certificates.issuing_authority(current.issued_by) if current else "",
        "former": [c for c in certs if c is not current],
        "may_write": roles.can_write_registry(user) and staff,
        "may_print": current is not None and staff and queries.may_see_full_id_number(user, person),
    }


@register.simple_tag(takes_context=True)
def person_transfer(context, person):
    user = context["request"].user
    if not roles.can_read_registry(user):
        return {"visible": False}
    return {
        "visible": True,
        "pending": transfers.pending_for(person),
        "history": transfers.person_transfers(person),
        "may_request": roles.can_write_registry(user),
    }


@register.simple_tag(takes_context=True)
def incoming_transfers_pending(context) -> int:
    """How many transfers wait for the user's acceptance (the home page's notice); 0 for non-writers."""
    user = context["request"].user
    if not roles.can_write_registry(user):
        return 0
    return transfers.incoming(user).filter(status="pending").count()
