"""Domain events of the registry: what changed, announced inside the transaction that changed it.

Higher apps (assistance, policies, jobs, monitoring ...) connect receivers to these signals in their
``AppConfig.ready``; the registry never imports them. Every signal is sent *inside* the writer's
transaction (``transaction.atomic``), so whatever a receiver writes commits or rolls back with the
change that caused it. A receiver that must only act after commit uses ``transaction.on_commit``.

Every signal carries ``ids``: the primary keys of the records concerned (a list, possibly of one),
and ``via``: ``"service"`` (one change through ``registry.services``), ``"import"`` (one committed
chunk of an import) or ``"refresh"`` (the daily refresh of projections). Bulk paths send one signal
per committed chunk, never one per row. Extra keyword arguments are listed with each signal.

The ``sender`` is the model class of the records named by ``ids`` (``Registration``, ``Person``,
``HouseholdMembership``, ``Household``, ``Employer``). Senders: every write in ``registry.services``
(``via="service"``, one signal per change), the import chunks, and ``jiuye refresh_projections``
(``households_changed`` with ``fields=["is_zero_employment"]`` for the households whose flag flipped,
``via="refresh"``, once per committed chunk). tests/test_events.py lists what each service sends.

Receivers take ``**kwargs`` so that new keyword arguments can be added later.

Example (in a higher app)::

    from django.dispatch import receiver
    from jiuye.registry import events

    @receiver(events.registrations_recorded, dispatch_uid="assistance_open_cases")
    def open_cases(sender, ids, person_ids, **kwargs):
        ...  # runs in the same transaction as the registration
"""
from __future__ import annotations

from django.dispatch import Signal

#: New registrations (employment, unemployment, ending) were recorded.
#: kwargs: ids (registration ids), person_ids (the persons concerned), via.
registrations_recorded = Signal()

#: Registrations were corrected: ``ids`` are the new (replacing) entries, ``corrected_ids`` the
#: entries they replace. kwargs: ids, corrected_ids, person_ids, via.
registrations_corrected = Signal()

#: Registrations were voided: ``ids`` are the void entries, ``voided_ids`` the entries they cancel.
#: kwargs: ids, voided_ids, person_ids, via.
registrations_voided = Signal()

#: Persons were created. kwargs: ids, via.
persons_created = Signal()

#: Persons' records changed (fields typed by a user or an import; not the status projection, which
#: follows registrations). kwargs: ids, fields (names of the fields that changed, a union), via.
persons_changed = Signal()

#: Household memberships were opened. kwargs: ids (membership ids), household_ids, person_ids, via.
memberships_opened = Signal()

#: Household memberships were closed. kwargs: ids, household_ids, person_ids, via.
memberships_closed = Signal()

#: Households were created or changed, including their zero-employment flag.
#: kwargs: ids, created (bool), fields (names of changed fields; "is_zero_employment" when the flag
#: flipped), via; with a flipped flag also ``cause`` when the service knows what flipped it
#: ("registration", "membership", "household", "person": ``services.CAUSES``; absent from imports of
#: households and persons and from the daily refresh).
households_changed = Signal()

#: Employers were created or changed. kwargs: ids, created (bool), fields, via.
employers_changed = Signal()

#: Persons moved to another community (迁入/迁出, ``registry.transfers.accept_transfer``), after
#: ``persons_changed(fields=["region"])``. The hook for work kept per region (assistance cases, ...)
#: to follow the person. kwargs: ids (Transfer ids), person_ids, from_region, to_region (codes), via.
persons_transferred = Signal()

#: The daily refresh (``jiuye refresh_projections``) has applied the due pending registrations and
#: recomputed the registry's projections. Higher apps do their own daily work here (assistance:
#: deadlines, escalation, recognitions that end with time ...) and return one line of Chinese text
#: for the command to print (or None). kwargs: today.
daily_refresh = Signal()

#: The registry was filled or refilled in bulk without per-change events (``jiuye seed``, ``jiuye demo``):
#: higher apps rebuild what they derive from it (assistance: reconcile zero-employment households and
#: hard-to-employ persons, open their cases). kwargs: today, demo (True when ``jiuye demo`` sends it,
#: after the demo accounts exist: an app may add its demo content). Receivers return one line of
#: Chinese text for the command to print (or None).
registry_loaded = Signal()

VIA_SERVICE = "service"
VIA_IMPORT = "import"
VIA_REFRESH = "refresh"
