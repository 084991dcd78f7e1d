"""What each role may do. Region scope comes from the user's region node (see scoping.py)."""
from __future__ import annotations

from jiuye.accounts.models import Role

# Roles that keep the registry: read and write persons, households, employers and registrations.
REGISTRY_WRITERS = {Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_OFFICER}
# Roles that may read registry records within their region.
REGISTRY_READERS = REGISTRY_WRITERS | {Role.CITY_OFFICER, Role.POLICY_REVIEWER, Role.AUDITOR}
# Roles that see a full identity number on a person's detail page (lists are always masked).
FULL_ID_NUMBER_ROLES = {Role.COMMUNITY_WORKER, Role.STREET_OFFICER, Role.DISTRICT_OFFICER, Role.POLICY_REVIEWER}
# Roles that may import files.
IMPORTERS = REGISTRY_WRITERS
# Roles that may read the audit log (of their region).
AUDIT_READERS = {Role.AUDITOR, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
# Staff roles use the workbench; employer users and residents use the portals.
STAFF_ROLES = REGISTRY_READERS


def can_read_registry(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGISTRY_READERS))


def can_write_registry(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGISTRY_WRITERS))


def can_import(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in IMPORTERS))


def can_see_full_id_number(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in FULL_ID_NUMBER_ROLES))


def can_read_audit(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in AUDIT_READERS))
