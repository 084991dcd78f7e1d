"""The registry's import kinds on the shared import engine (``jiuye.imports``): persons, households,
employers and registrations. ``RegistryConfig.ready`` registers them (``register_all``)."""


def register_all() -> None:
    from jiuye.imports import kinds
    from jiuye.registry.importers.employers import EmployerImporter
    from jiuye.registry.importers.households import HouseholdImporter
    from jiuye.registry.importers.persons import PersonImporter
    from jiuye.registry.importers.registrations import RegistrationImporter

    for importer in (PersonImporter, HouseholdImporter, EmployerImporter, RegistrationImporter):
        kinds.register(importer)

    from jiuye.registry.importers.certificates import CertificateImporter  # issue 7 (H2): 就业创业证

    kinds.register(CertificateImporter)
