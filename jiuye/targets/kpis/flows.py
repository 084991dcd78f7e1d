"""The registration flows behind the flow KPIs, in one SQL pass (new urban jobs, attrition, re-employment,
hard-to-employ persons employed).

For period P: the counting registrations (``registry.status.counting_registrations``, as known on
``known_on``) of the persons who have an employment or ending registration dated in P, effective on or
before P's last day. Each entry of P gets the **status the day before its date** under the registry's rule
(the last counting entry dated earlier decides): the entries are reduced to the last one of each day
(``ROW_NUMBER`` per person and day) and ``LAG`` over those days gives the status at the end of the
previous day with an entry. Then each flag picks, per person, the first flagged entry of P (order
``effective_date, recorded_at, id``) and the rows are grouped by its 登记地 (12-digit community):

- ``gross``: an employment registration, any form except 务农, status the day before not employed, 登记地
  urban (城乡分类 1xx);
- ``attrition``: an ending registration for retirement or death, status the day before employed, 登记地
  urban;
- ``reemployed``: an employment registration (not 务农), status the day before unemployed;
- ``hte``: an employment registration (not 务农), the person recognised hard-to-employ on the day before
  (an act recognised or exited, in force that day: ``assistance.queries.recognitions.in_force_q``).

The same SQL text runs on SQLite and PostgreSQL (the only difference, "the day before", is spelt per
database); ``bench/bench_kpis.py`` runs it on DuckDB too.
"""
from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import F, OuterRef, Subquery

from jiuye.assistance.models import Recognition
from jiuye.regions.codes import code_range
from jiuye.registry.models import EmploymentForm, EndingReason, HukouType, Registration
from jiuye.registry.status import counting_registrations, known_bound

GROSS, ATTRITION, REEMPLOYED, HTE = "gross", "attrition", "reemployed", "hte"
RURAL, RURAL_TIMES = "rural", "rural_times"
FLAGS = (GROSS, ATTRITION, REEMPLOYED, HTE, RURAL, RURAL_TIMES)
# flags that count registrations (人次), not persons
EVERY_ENTRY = {RURAL_TIMES}


def _day_before(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({column} - 1)"
    if vendor == "duckdb":
        return f"({column} - INTERVAL 1 DAY)"
    return f"date({column}, '-1 day')"


def _flag_conditions(vendor: str) -> dict[str, str]:
    """SQL conditions over ``e`` (the entries of P with ``pk``: kind of the status-deciding entry the day
    before, ``ur``: the 登记地's urban-rural class, ``hk``: the person's household registration type)."""
    emp = f"e.kind = 'employment' AND e.employment_form <> '{EmploymentForm.AGRICULTURE}'"
    urban = "e.ur >= '1' AND e.ur < '2'"
    day_before = _day_before("e.effective_date", vendor)
    rec = Recognition._meta.db_table
    rural = f"e.hk = '{HukouType.RURAL}'"
    hte = (f"EXISTS (SELECT 1 FROM {rec} a WHERE a.person_id = e.person_id AND a.status IN ('recognised', 'exited') "
           f"AND a.valid_from <= {day_before} AND (a.valid_until IS NULL OR a.valid_until >= {day_before}) "
           f"AND (a.exited_on IS NULL OR a.exited_on > {day_before} {{exit_known}}) {{decided}})")
    return {
        GROSS: f"{emp} AND (e.pk IS NULL OR e.pk <> 'employment') AND {urban}",
        ATTRITION: (f"e.kind = 'ending' AND e.ending_reason IN ('{EndingReason.RETIREMENT}', '{EndingReason.DEATH}') "
                    f"AND e.pk = 'employment' AND {urban}"),
        REEMPLOYED: f"{emp} AND e.pk = 'unemployment'",
        HTE: f"{emp} AND {hte}",
        # rural labour transfer (monitoring.queries.rural, measure "new"): off-farm employment of a person
        # with a rural household registration; persons (first registration) and registrations (人次)
        RURAL: f"{emp} AND {rural}",
        RURAL_TIMES: f"{emp} AND {rural}",
    }


def _param(value, vendor: str):
    if vendor == "duckdb":
        return value
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def entries_sql(start: datetime.date, end: datetime.date, known_on=None, *, counting_sql: tuple[str, list] | None = None,
                vendor: str | None = None) -> tuple[str, list]:
    """The CTE ``e``: the counting employment and ending entries dated in [start, end], each with ``pk``: the
    kind of the entry deciding the status the day before (the person's last counting entry dated earlier, a
    correlated probe of the index ``registration_last_entry_idx``; the flags need only employed / unemployed,
    which the kind alone tells).
    ``counting_sql`` (DuckDB over Parquet) replaces the SQL by the window form (``window_entries_sql``)."""
    vendor = vendor or connection.vendor
    if counting_sql is not None:
        return window_entries_sql(start, end, counting_sql, vendor)
    counting = counting_registrations(known_on)
    before = (counting.filter(person_id=OuterRef("person_id"), effective_date__lt=OuterRef("effective_date"))
              .order_by("-effective_date", "-recorded_at", "-id"))
    qs = (counting.filter(effective_date__gte=start, effective_date__lte=end,
                          kind__in=[Registration.Kind.EMPLOYMENT, Registration.Kind.ENDING])
          .annotate(pk=Subquery(before.values("kind")[:1]), ur=F("registered_in__urban_rural"),
                    hk=F("person__hukou_type"))
          .values("id", "person_id", "kind", "ending_reason", "employment_form", "registered_in_id",
                  "effective_date", "recorded_at", "pk", "ur", "hk"))
    sql, params = qs.query.sql_with_params()
    mat = "" if vendor == "duckdb" else "MATERIALIZED "
    return (f"e (id, person_id, kind, ending_reason, employment_form, registered_in_id, effective_date, recorded_at, "
            f"pk, ur, hk) AS {mat}({sql})"), list(params)


def window_entries_sql(start: datetime.date, end: datetime.date, counting_sql: tuple[str, list],
                       vendor: str) -> tuple[str, list]:
    """``e`` in window form over ``counting_sql`` (the counting registrations: id, person_id, kind,
    ending_reason, employment_form, registered_in_id, effective_date, recorded_at): the last entry of each
    person and day (``ROW_NUMBER``), ``LAG`` over those days; the same rows as ``entries_sql``."""
    sql, params = counting_sql
    mat = "" if vendor == "duckdb" else "MATERIALIZED "
    text = (
        f"c (id, person_id, kind, ending_reason, employment_form, registered_in_id, effective_date, recorded_at) "
        f"AS {mat}({sql}), "
        "d AS (SELECT person_id, effective_date, kind, ending_reason, ROW_NUMBER() OVER "
        "(PARTITION BY person_id, effective_date ORDER BY recorded_at DESC, id DESC) AS rn FROM c), "
        "p AS (SELECT person_id, effective_date, "
        "LAG(kind) OVER (PARTITION BY person_id ORDER BY effective_date) AS pk FROM d WHERE rn = 1), "
        f"e AS {mat}(SELECT c.id, c.person_id, c.kind, c.ending_reason, c.employment_form, c.registered_in_id, "
        "c.effective_date, c.recorded_at, p.pk, r.urban_rural AS ur, hp.hukou_type AS hk FROM c JOIN p "
        "ON p.person_id = c.person_id AND p.effective_date = c.effective_date "
        "JOIN regions_region r ON r.code = c.registered_in_id JOIN registry_person hp ON hp.id = c.person_id WHERE c.effective_date >= %s AND c.effective_date <= %s "
        "AND c.kind IN ('employment', 'ending'))"
    )
    return text, list(params) + [_param(start, vendor), _param(end, vendor)]


def _hte_params(known_on, vendor: str) -> tuple[str, str, list]:
    bound = known_bound(known_on)
    if bound is None:
        return "", "", []
    # an act decided after the cutoff does not count; an exit recorded after it is not known yet
    return "OR a.exited_at >= %s", "AND a.decided_at < %s", [_param(bound, vendor), _param(bound, vendor)]


def flows_sql(start: datetime.date, end: datetime.date, known_on=None, *, flags=FLAGS, node: str = "",
              counting_sql=None, vendor: str | None = None, select: str = "counts") -> tuple[str, list]:
    """One query: (flag, 12-digit 登记地, persons) for each flag, 登记地 under ``node``.
    ``select="persons"``: (flag, 登记地, person_id) rows instead (the records behind a figure)."""
    vendor = vendor or connection.vendor
    ctes, params = entries_sql(start, end, known_on, counting_sql=counting_sql, vendor=vendor)
    conds = _flag_conditions(vendor)
    exit_known, decided, hte_params = _hte_params(known_on, vendor)
    lo, hi = code_range(node)
    parts, part_params = [], []
    for flag in flags:
        cond = conds[flag]
        extra = []
        if flag == HTE:
            cond = cond.replace("{exit_known}", exit_known).replace("{decided}", decided)
            extra = hte_params
        rn = ("1" if flag in EVERY_ENTRY else
              "ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.effective_date, e.recorded_at, e.id)")
        parts.append(
            f"SELECT '{flag}' AS flag, e.registered_in_id AS code, e.person_id AS person_id, {rn} AS rn "
            f"FROM e WHERE {cond}")
        part_params += extra
    union = " UNION ALL ".join(parts)
    # the 登记地 range applies after each person's first entry is picked (children add up to parents)
    where = "rn = 1 AND code >= %s AND code <= %s"
    if select == "persons":
        tail = f"SELECT flag, code, person_id FROM ({union}) x WHERE {where}"
    else:
        tail = f"SELECT flag, code, COUNT(*) FROM ({union}) x WHERE {where} GROUP BY flag, code"
    return f"WITH {ctes} {tail}", params + part_params + [lo, hi]


def flow_counts(start: datetime.date, end: datetime.date, known_on=None, *, flags=FLAGS,
                node: str = "") -> dict[str, dict[str, int]]:
    """{flag: {12-digit 登记地: persons}} for the period [start, end] (one query)."""
    if not flags:
        return {}
    sql, params = flows_sql(start, end, known_on, flags=flags, node=node)
    out: dict[str, dict[str, int]] = {f: {} for f in flags}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for flag, code, n in cursor.fetchall():
            out[flag][code] = int(n)
    return out


def flow_person_ids_sql(flag: str, start: datetime.date, end: datetime.date, node: str, known_on=None) -> tuple[str, list]:
    """SQL of the person ids behind ``flow_counts()[flag]`` under ``node`` (for ``pk__in``)."""
    sql, params = flows_sql(start, end, known_on, flags=(flag,), node=node, select="persons")
    return f"SELECT person_id FROM ({sql}) y", params
