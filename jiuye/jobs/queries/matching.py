"""Matching reads: jobs for a seeker, seekers for a vacancy, the stored recommendation runs.

Both single queries compute the ONE subject's features live from the database, score them against
the snapshot's other side (``matching.load.current``), then check the best results against the
database in one query (still open, still in the asker's scope), refilling from further down the
ranking when some dropped out. Scope: staff see persons and vacancies under their region node; an
employer user only its own vacancies, their seekers masked (surname + *, age band, education, skills,
score, reasons) unless the person applied or was recommended to the vacancy; a resident only their
own jobs. Anything outside the asker's scope is ``NotFound``. Reading a seeker's matches is audited.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from jiuye.accounts import audit, roles
from jiuye.accounts.models import AuditEntry
from jiuye.accounts.scoping import in_scope, region_q, scope_prefix
from jiuye.assistance.queries import posts as posts_q
from jiuye.jobs.matching import load, reasons as wording, score
from jiuye.jobs.models import Application, Recommendation, RecommendationRun, RunStatus, SeekerRegistration, Vacancy
from jiuye.jobs import flags
from jiuye.paging import page, sort_key, sorted_by
from jiuye.parameters import params
from jiuye.registry.models import Person
from jiuye.registry.queries import NotFound, linked_employer_id, linked_person_id

NATIONAL = ""
MAX_TOP = 100


class Operator:
    """The command line's operator (no ``--user``): sees everything, audited as "system"."""
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = "operator"
    region_id = None
    pk = None


OPERATOR = Operator()


def _actor(user):
    return None if isinstance(user, Operator) else user


def weights(region_code: str, on: datetime.date) -> dict[str, float]:
    """The score weights in force on ``on`` for the jurisdiction of ``region_code``."""
    p = params(region_code or NATIONAL, on)
    return {part: float(p[f"jobs.match.weight.{part}"]) for part in score.ALL_PARTS}


@dataclass
class MatchList:
    subject: dict
    rows: list[dict] = field(default_factory=list)
    on: datetime.date | None = None
    source: str = "live"  # "live" or "run" (a stored recommendation run)
    run_id: int | None = None


def _region_match(regions: np.ndarray, prefix: str | None) -> np.ndarray:
    if prefix is None:
        return np.zeros(len(regions), dtype=bool)
    if prefix == "":
        return np.ones(len(regions), dtype=bool)
    div = 10 ** (12 - len(prefix))
    return regions // div == int(prefix)


def _age_band(birth: datetime.date, on: datetime.date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    low = age // 10 * 10
    return f"{low}–{low + 9}岁"


def _mask_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


# ---------------------------------------------------------------------------------------------
# Jobs for one seeker


def _person_for(user, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound
    if roles.is_resident(user):
        if linked_person_id(user) != person.pk:
            raise NotFound
    elif not (roles.can_read_jobs(user) and in_scope(user, person.region_id)):
        raise NotFound
    return person


def _vacancy_rows(snapshot, v_arrays, rows, totals, parts, seekers, i, w) -> list[dict]:
    ids = [int(v_arrays.vacancy_id[j]) for j in rows]
    info = {v["pk"]: v for v in Vacancy.objects.filter(pk__in=ids).values(
        "pk", "title", "employer__name", "region__full_name", "region__name", "wage_min", "wage_max", "work_type",
        "openings", "hired", "valid_until")}
    names = wording.Names.for_codes(wording.codes_of(seekers, [i], v_arrays, rows), snapshot.skills)
    out = []
    for n, j in enumerate(rows):
        pair = {k: v[n] for k, v in parts.items()}
        vac = info[int(v_arrays.vacancy_id[j])]
        out.append({
            "rank": n + 1, "vacancy_id": vac["pk"], "title": vac["title"], "employer": vac["employer__name"],
            "region": vac["region__full_name"] or vac["region__name"], "wage_min": vac["wage_min"],
            "wage_max": vac["wage_max"], "work_type": vac["work_type"],
            "work_type_label": wording.WORK_TYPE_LABELS.get(vac["work_type"], ""),
            "open_positions": max(0, vac["openings"] - vac["hired"]), "valid_until": vac["valid_until"],
            "score": round(float(totals[n]), 1),
            "parts": {k: round(float(v), 1) for k, v in pair.items()},
            "reasons": wording.explain(pair, (seekers, i), (v_arrays, int(j)), names, w),
        })
    return out


def _still_open(vacancy_ids, on: datetime.date, person_id: int) -> set[int]:
    """The vacancies among ``vacancy_ids`` still open, a welfare post only where the person is eligible for
    its category in its jurisdiction (assistance's rule; one query per category and jurisdiction)."""
    rows = list(Vacancy.objects.filter(load.open_vacancies_q(on), pk__in=list(vacancy_ids))
                .values_list("pk", "welfare_post__category", "welfare_post__region_id"))
    ok = {pk for pk, category, _region in rows if not category}
    checked: dict[tuple, bool] = {}
    for pk, category, region in rows:
        if category:
            if (category, region) not in checked:
                checked[(category, region)] = Person.objects.filter(pk=person_id).filter(
                    posts_q.eligible_q(category, region, on)).exists()
            if checked[(category, region)]:
                ok.add(pk)
    return ok


def jobs_for_person(user, person_id: int, top: int = 20, on: datetime.date | None = None, *,
                    audit_read: bool = True) -> MatchList:
    """The best ``top`` open vacancies for the person, with score parts and reasons (live)."""
    person = _person_for(user, person_id)
    on = on or timezone.localdate()
    top = max(1, min(int(top), MAX_TOP))
    snapshot = load.current(on)
    seekers = load.live_seekers(snapshot, [person.pk], on, registered_only=False)
    w = weights(person.region_id, on)
    result = MatchList(subject={"person_id": person.pk, "name": person.name,
                                "registered": SeekerRegistration.objects.filter(
                                    load.open_seekers_q(on), person_id=person.pk).exists(),
                                "flags": flags.labels(flags.priority_flags([person.pk], on).get(person.pk, []))},
                       on=on)
    if audit_read and not roles.is_resident(user):
        audit.record(_actor(user), AuditEntry.Action.VIEW, object_type="person", object_id=person.pk,
                     object_label=person.name,
                     region_code=person.region_id, summary="查看求职人员的岗位匹配")
    v = load.vacancies_now(snapshot, on)
    if not len(seekers) or not len(v):
        return result
    want = top
    while True:
        rows, totals, parts = score.top_jobs(seekers, 0, v, want + 10, w)
        ok = _still_open(v.vacancy_id[rows], on, person.pk)
        keep = np.array([int(v.vacancy_id[j]) in ok for j in rows], dtype=bool)
        if keep.sum() >= top or len(rows) < want + 10:
            break
        want *= 2
    rows, totals = rows[keep][:top], totals[keep][:top]
    parts = {k: val[keep][:top] for k, val in parts.items()}
    result.rows = _vacancy_rows(snapshot, v, rows, totals, parts, seekers, 0, w)
    return result


def recommended_for(user, person_id: int, on: datetime.date | None = None) -> MatchList | None:
    """The latest finished run's list for the person (still open vacancies only, reasons recomputed
    live), or None when that run holds nothing for them."""
    person = _person_for(user, person_id)
    on = on or timezone.localdate()
    run = RecommendationRun.objects.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk").first()
    if run is None:
        return None
    recs = list(Recommendation.objects.filter(run=run, person_id=person.pk).order_by("rank")
                .values_list("vacancy_id", "score"))
    if not recs:
        return None
    snapshot = load.current(on)
    seekers = load.live_seekers(snapshot, [person.pk], on, registered_only=False)
    vac = load.live_vacancies(snapshot, [r[0] for r in recs], on)
    if not len(seekers) or not len(vac):
        return None
    order = {int(x): n for n, x in enumerate(vac.vacancy_id)}
    rows = np.array([order[r[0]] for r in recs if r[0] in order], dtype=np.int64)
    w = weights(person.region_id, on)
    parts = score.score_pairs(seekers, vac, np.zeros(len(rows), np.int64), rows, w)
    totals = score.total(parts)
    result = MatchList(subject={"person_id": person.pk, "name": person.name, "registered": True,
                                "flags": flags.labels(flags.priority_flags([person.pk], on).get(person.pk, []))},
                       on=on, source="run", run_id=run.pk)
    result.rows = _vacancy_rows(snapshot, vac, rows, totals, parts, seekers, 0, w)
    return result


# ---------------------------------------------------------------------------------------------
# Seekers for one vacancy


def vacancy_for(user, vacancy_id: int) -> Vacancy:
    vacancy = Vacancy.objects.select_related("employer", "welfare_post").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound
    if roles.is_employer_user(user):
        if linked_employer_id(user) != vacancy.employer_id:
            raise NotFound
    elif not (roles.can_read_jobs(user) and Vacancy.objects.filter(region_q(user), pk=vacancy.pk).exists()):
        raise NotFound
    return vacancy


def seekers_for_vacancy(user, vacancy_id: int, top: int = 20, on: datetime.date | None = None) -> MatchList:
    """The best ``top`` registered seekers for the vacancy (staff: in their region; the employer: all,
    masked unless the person applied or was recommended to this vacancy)."""
    vacancy = vacancy_for(user, vacancy_id)
    on = on or timezone.localdate()
    top = max(1, min(int(top), MAX_TOP))
    employer = roles.is_employer_user(user)
    snapshot = load.current(on)
    v = load.live_vacancies(snapshot, [vacancy.pk], on, open_only=False)
    w = weights(vacancy.region_id, on)
    result = MatchList(subject={"vacancy_id": vacancy.pk, "title": vacancy.title, "employer": vacancy.employer.name,
                                "open": bool(Vacancy.objects.filter(load.open_vacancies_q(on), pk=vacancy.pk).exists())},
                       on=on)
    s = load.seekers_now(snapshot, on)
    if not len(v) or not len(s):
        return result
    prefix = "" if employer else scope_prefix(user)
    candidates = np.flatnonzero(_region_match(s.region, prefix))
    want = top
    while True:
        rows, totals, parts = score.top_seekers(v, 0, s, want + 10, w, rows=candidates)
        pids = [int(s.person_id[i]) for i in rows]
        valid = SeekerRegistration.objects.filter(load.open_seekers_q(on), person_id__in=pids)
        if not employer:
            valid = valid.filter(region_q(user, "person__region"))
        if vacancy.welfare_post_id:  # only persons eligible for the post (assistance's rule)
            post = vacancy.welfare_post
            valid = valid.filter(person__in=Person.objects.filter(posts_q.eligible_q(post.category, post.region_id, on)))
        ok = set(valid.values_list("person_id", flat=True))
        keep = np.array([p in ok for p in pids], dtype=bool)
        if keep.sum() >= top or len(rows) < want + 10:
            break
        want *= 2
    rows, totals = rows[keep][:top], totals[keep][:top]
    parts = {k: val[keep][:top] for k, val in parts.items()}
    pids = [int(s.person_id[i]) for i in rows]
    # Scores against the snapshot's features; the reasons and the shown score come from the live features.
    live = load.live_seekers(snapshot, pids, on)
    live_row = {int(p): n for n, p in enumerate(live.person_id)}
    people = {p["pk"]: p for p in Person.objects.filter(pk__in=pids).values(
        "pk", "name", "id_number", "birth_date", "education", "skills", "certificates", "region__name", "phone")}
    disclosed = set(Application.objects.filter(vacancy=vacancy, person_id__in=pids).values_list("person_id", flat=True))
    flag_map = flags.priority_flags(pids, on)
    names = wording.Names.for_codes(wording.codes_of(live, range(len(live)), v, [0]), snapshot.skills)
    entries = []
    shown = [pid for pid in pids if pid in live_row]
    live_rows = [live_row[pid] for pid in shown]
    scored = score.score_pairs(live, v, live_rows, [0] * len(live_rows), w)  # every shown pair at once
    for n, pid in enumerate(shown):
        i = live_rows[n]
        pair = {k: val[n:n + 1] for k, val in scored.items()}
        person = people[pid]
        full = not employer or pid in disclosed
        row = {"rank": len(result.rows) + 1, "person_id": pid if full else None,
               "name": person["name"] if full else _mask_name(person["name"]),
               "age_band": _age_band(person["birth_date"], on),
               "education": wording.EDUCATION_LABELS.get(person["education"] or "", ""),
               "skills": [str(x) for x in list(person["skills"] or []) + list(person["certificates"] or [])][:8],
               "region": person["region__name"] if full else "", "disclosed": full,
               "score": round(float(score.total(pair)[0]), 1),
               "parts": {k: round(float(val[0]), 1) for k, val in pair.items()},
               "reasons": wording.explain(pair, (live, i), (v, 0), names, w),
               "flags": flags.labels(flag_map.get(pid, []))}
        if full and not employer:
            row["phone"] = person["phone"]
        result.rows.append(row)
        if full:
            entries.append(audit.build(_actor(user), AuditEntry.Action.VIEW, object_type="person", object_id=pid,
                                       object_label=person["name"], region_code=vacancy.region_id,
                                       summary=f"查看岗位 {vacancy.pk} 的匹配求职人员"))
    result.rows.sort(key=lambda r: (-r["score"], r["rank"]))
    for n, r in enumerate(result.rows):
        r["rank"] = n + 1
    audit.record_many(entries)
    return result


# ---------------------------------------------------------------------------------------------
# Runs


def runs_visible_to(user):
    """Every run for staff who read jobs (a run covers everyone; its rows are shown within the scope)."""
    if not roles.can_read_jobs(user):
        return RecommendationRun.objects.none()
    return RecommendationRun.objects.all()


@dataclass
class RunSearch:
    status: str = ""
    sort: str = ""
    limit: int = 50
    offset: int = 0


RUN_SORTS = {"started_at": ("started_at",), "status": ("status",), "seekers": ("seekers",)}
RUN_DEFAULT = "-started_at"


def _runs(user, s: RunSearch):
    qs = runs_visible_to(user).select_related("started_by")
    return qs.filter(status=s.status) if s.status else qs


def search_runs(user, s: RunSearch) -> tuple[list[RecommendationRun], bool]:
    return page(sorted_by(_runs(user, s), RUN_SORTS, s.sort, RUN_DEFAULT), s.limit, s.offset)


def runs_of_search(user, s: RunSearch) -> list[RecommendationRun]:
    return list(sorted_by(_runs(user, s), RUN_SORTS, s.sort, RUN_DEFAULT)[:s.limit])


def count_runs(user, s: RunSearch | None = None) -> int:
    return _runs(user, s or RunSearch()).count()


def run_sort(s: RunSearch) -> str:
    return sort_key(RUN_SORTS, s.sort, RUN_DEFAULT)


def get_run(user, pk: int) -> RecommendationRun:
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise NotFound
    return run


@dataclass
class RecommendationSearch:
    name: str = ""
    rank: int | None = None  # only this rank (1: everybody's first recommendation)
    sort: str = ""
    limit: int = 50
    offset: int = 0


REC_SORTS = {"person": ("person__name", "rank"), "rank": ("rank", "person_id"), "score": ("score",),
             "vacancy": ("vacancy__title", "rank")}
REC_DEFAULT = "person"


def _recommendations(user, run: RecommendationRun, s: RecommendationSearch):
    qs = (Recommendation.objects.filter(run=run).filter(region_q(user, "person__region"))
          .select_related("person", "vacancy", "vacancy__employer"))
    if s.name:
        qs = qs.filter(person__name__startswith=s.name)
    if s.rank:
        qs = qs.filter(rank=s.rank)
    return qs


def search_recommendations(user, run, s: RecommendationSearch) -> tuple[list[Recommendation], bool]:
    return page(sorted_by(_recommendations(user, run, s), REC_SORTS, s.sort, REC_DEFAULT), s.limit, s.offset)


def recommendations_of_search(user, run, s: RecommendationSearch):
    return sorted_by(_recommendations(user, run, s), REC_SORTS, s.sort, REC_DEFAULT)[:s.limit]


def count_recommendations(user, run, s: RecommendationSearch) -> int:
    return _recommendations(user, run, s).count()


def recommendation_sort(s: RecommendationSearch) -> str:
    return sort_key(REC_SORTS, s.sort, REC_DEFAULT)
