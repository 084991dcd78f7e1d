"""What the registry's importers share: announcing each committed chunk through ``registry.events``."""
from __future__ import annotations

from jiuye.imports.base import Importer, Touched
from jiuye.registry import events
from jiuye.registry.identity import mask_id_number, mask_phone

# Event name in ``Touched`` -> the signal and the extra keyword arguments it carries.
_SIGNALS = {
    "persons_created": events.persons_created,
    "persons_changed": events.persons_changed,
    "memberships_opened": events.memberships_opened,
    "memberships_closed": events.memberships_closed,
    "households_created": events.households_changed,
    "households_changed": events.households_changed,
    "employers_created": events.employers_changed,
    "employers_changed": events.employers_changed,
    "registrations_recorded": events.registrations_recorded,
}


class RegistryImporter(Importer):
    """An importer whose chunks announce what they touched, once per committed chunk.

    Writers add ids to ``self.touched`` under the names above; ``memberships_*`` and
    ``registrations_recorded`` also keep the households/persons concerned under
    ``<name>:household_ids`` / ``<name>:person_ids``.
    """

    # The masked error report (for readers who may not see full numbers) masks these columns by the
    # registry's own rule.
    masked_fields = {"id_number": mask_id_number, "phone": mask_phone, "contact_phone": mask_phone}

    def announce(self, touched: Touched) -> None:
        ids = touched.ids
        for name, signal in _SIGNALS.items():
            touched_ids = ids.get(name)
            if not touched_ids:
                continue
            kwargs = {"ids": sorted(touched_ids), "via": events.VIA_IMPORT}
            if name in ("persons_changed", "households_changed", "employers_changed"):
                kwargs["fields"] = sorted(touched.fields.get(name, ()))
            if name.startswith(("households_", "employers_")):
                kwargs["created"] = name.endswith("_created")
                if kwargs["created"]:
                    kwargs["fields"] = []
            if name.startswith("memberships_"):
                kwargs["household_ids"] = sorted(ids.get(f"{name}:household_ids", ()))
                kwargs["person_ids"] = sorted(ids.get(f"{name}:person_ids", ()))
            if name == "registrations_recorded":
                kwargs["person_ids"] = sorted(ids.get(f"{name}:person_ids", ()))
            signal.send(sender=type(self), **kwargs)
