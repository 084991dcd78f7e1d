"""Receivers of part "seek" (connected on import from ``JobsConfig.ready``): an employment registration
closes the person's open seeker registration (hired), an ending for death or moving away closes it; a
hire scheduled for a future start gets its registration when the daily job applies it. The daily job
(``daily_refresh``) has nothing else to do: both happen inside the registry's own events."""
from jiuye.jobs.importers import seekers as seeker_importer
from jiuye.jobs.services import applications, seekers

seekers.connect()
applications.connect()
seeker_importer.register()  # the import kind "seekers" (求职登记)
