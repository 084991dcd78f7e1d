"""Database → matching arrays, and the snapshot the single queries score against.

Set-based: a handful of ``values_list`` queries for any number of seekers or vacancies, never one
query per person. What is read (and what never is):

- seekers: persons with an open ``SeekerRegistration`` (``ended_on`` null, started on or before the
  day) joined with their ``SeekerProfile`` (preferred occupations, places, wage, work types, commute,
  extra skills and certificates, experience, résumé, coordinates) and the registry's ``Person`` fields
  education, major, skills, certificates, residence community and ``preferred_occupation`` /
  ``preferred_wage_min``; past occupations from ``Registration.occupation`` (text, mapped to codes
  through occupation names and aliases); priority from ``flags.priority_person_ids_q``. Never sex,
  ethnicity, hukou, marital status or birth date.
- vacancies: published, valid on the day, open positions (openings - hired) > 0.

``Snapshot``: both sides' arrays plus the two vocabularies (skills/certificates, text words with IDF),
saved as one ``.npz`` under ``directory()`` by the batch and the daily job,
loaded once per process and reloaded when a newer file appears (``current``). Without a file (a fresh
install, tests) ``current`` builds one in memory for the call.
"""
from __future__ import annotations

import datetime
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import F, Max, Q
from django.utils import timezone
from scipy import sparse

from jiuye.jobs.matching.arrays import (
    EDUCATION_RANK,
    WORK_TYPE_BITS,
    SeekerArrays,
    VacancyArrays,
    Vocabulary,
    occupation_int,
    work_type_mask,
)
from jiuye.jobs.models import Occupation, SeekerRegistration, Vacancy, VacancyStatus
from jiuye.jobs.flags import priority_person_ids_q
from jiuye.jobs.text import tokens
from jiuye.registry.models import Person, Registration

K_OCCUPATIONS = 4
R_PLACES = 3
CHUNK = 20_000


# ---------------------------------------------------------------------------------------------
# Raw records (DB rows → Python lists; encoded into arrays with a vocabulary)


def _occupation_names() -> dict[str, int]:
    """Occupation name or alias → code int (leaves only), for the free-text occupations of the registry."""
    out: dict[str, int] = {}
    for code, name, aliases in Occupation.objects.filter(is_occupation=True).values_list("code", "name", "aliases"):
        c = occupation_int(code)
        out.setdefault(name, c)
        for alias in (aliases or "").splitlines():
            if alias.strip():
                out.setdefault(alias.strip(), c)
    return out


def open_vacancies_q(on: datetime.date) -> Q:
    return Q(status=VacancyStatus.PUBLISHED, valid_from__lte=on, valid_until__gte=on, openings__gt=F("hired"))


def open_seekers_q(on: datetime.date) -> Q:
    """Over SeekerRegistration: open on ``on``."""
    return Q(ended_on__isnull=True, started_on__lte=on)


@dataclass
class RawSeekers:
    person_id: list
    region: list
    pref_regions: list
    occupations: list
    education: list
    experience: list
    wage_min: list
    work_types: list
    lat: list
    lon: list
    commute: list
    skills: list     # list[list[str]]
    words: list      # list[list[str]]
    priority: list


def raw_seekers(on: datetime.date, person_ids=None, *, registered_only: bool = True) -> RawSeekers:
    """The seekers open on ``on`` (or the persons ``person_ids``, among them only those with an open
    registration unless ``registered_only`` is false: a person's own jobs page)."""
    persons = Person.objects.all()
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    if registered_only or person_ids is None:
        open_now = SeekerRegistration.objects.filter(open_seekers_q(on))
        if person_ids is not None:  # a few persons: their own registrations, not the list of every open one
            open_now = open_now.filter(person_id__in=list(person_ids))
        persons = persons.filter(pk__in=open_now.values("person_id"))
    rows = list(persons.order_by("pk").values_list(
        "pk", "region_id", "education", "major", "skills", "certificates", "preferred_occupation",
        "preferred_wage_min", "seeker_profile__occupations", "seeker_profile__regions", "seeker_profile__wage_min",
        "seeker_profile__work_types", "seeker_profile__max_commute_km", "seeker_profile__skills",
        "seeker_profile__certificates", "seeker_profile__experience_years", "seeker_profile__resume",
        "seeker_profile__latitude", "seeker_profile__longitude"))
    ids = [r[0] for r in rows]
    names = _occupation_names()
    by_code = {v: k for k, v in names.items()}
    past: dict[int, list[int]] = {}
    priority: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for pid, text in (Registration.objects.filter(person_id__in=chunk).exclude(occupation="")
                          .order_by("person_id", "-effective_date").values_list("person_id", "occupation")):
            code = names.get(text.strip())
            if code is not None and code not in past.setdefault(pid, []):
                past[pid].append(code)
        priority.update(Person.objects.filter(pk__in=chunk).filter(priority_person_ids_q(on))
                        .values_list("pk", flat=True))
    raw = RawSeekers(*([] for _ in range(14)))
    for (pid, region, edu, major, p_skills, p_certs, p_occ_text, p_wage, occs, places, wage, work_types, commute,
         s_skills, s_certs, exp, resume, lat, lon) in rows:
        codes = [occupation_int(c) for c in (occs or [])]
        if p_occ_text and p_occ_text.strip() in names:
            codes.append(names[p_occ_text.strip()])
        codes += past.get(pid, [])
        seen: list[int] = []
        for c in codes:
            if c >= 0 and c not in seen:
                seen.append(c)
        raw.person_id.append(pid)
        raw.region.append(int(region) if region else 0)
        raw.pref_regions.append([int(c) for c in (places or []) if str(c).isdigit()][:R_PLACES])
        raw.occupations.append(seen[:K_OCCUPATIONS])
        raw.education.append(EDUCATION_RANK.get(edu or "", 0))
        raw.experience.append(exp or 0)
        raw.wage_min.append(wage or p_wage or 0)
        raw.work_types.append(work_type_mask(work_types))
        raw.lat.append(np.nan if lat is None else lat)
        raw.lon.append(np.nan if lon is None else lon)
        raw.commute.append(np.nan if not commute else commute)
        raw.skills.append(_skill_keys(list(p_skills or []) + list(p_certs or []) + list(s_skills or [])
                                      + list(s_certs or [])))
        occupation_text = " ".join(by_code.get(c, "") for c in seen)
        raw.words.append(tokens(" ".join([occupation_text, p_occ_text or "", major or "",
                                          " ".join(raw.skills[-1]), resume or ""])))
        raw.priority.append(pid in priority)
    return raw


@dataclass
class RawVacancies:
    rows: list       # (id, employer, region, lat, lon, occupation int, edu, exp, wmin, wmax, work type, open, welfare)
    skills: list
    words: list


def raw_vacancies(on: datetime.date, vacancy_ids=None, *, open_only: bool = True) -> RawVacancies:
    qs = Vacancy.objects.all()
    if open_only or vacancy_ids is None:
        qs = qs.filter(open_vacancies_q(on))
    if vacancy_ids is not None:
        qs = qs.filter(pk__in=list(vacancy_ids))
    raw = RawVacancies([], [], [])
    for (pk, employer, region, lat, lon, occ, edu, exp, wmin, wmax, work_type, openings, hired, welfare, skills,
         certs, search, title) in qs.order_by("pk").values_list(
            "pk", "employer_id", "region_id", "latitude", "longitude", "occupation__code", "education_min",
            "experience_years", "wage_min", "wage_max", "work_type", "openings", "hired", "welfare_post_id", "skills",
            "certificates", "search_text", "title"):
        raw.rows.append((pk, employer, int(region) if region else 0, np.nan if lat is None else lat,
                         np.nan if lon is None else lon, occupation_int(occ), EDUCATION_RANK.get(edu or "", 0), exp or 0,
                         wmin or 0, wmax or 0, WORK_TYPE_BITS.get(work_type, 0), max(0, openings - hired),
                         welfare is not None or work_type == "welfare_post"))
        raw.skills.append(_skill_keys(list(skills or []) + list(certs or [])))
        raw.words.append(search.split() if search else tokens(title))
    return raw


def _skill_keys(values) -> list[str]:
    out: list[str] = []
    for v in values:
        key = str(v).strip().lower() if not isinstance(v, dict) else str(v.get("name", "")).strip().lower()
        if key and key not in out:
            out.append(key)
    return out


# ---------------------------------------------------------------------------------------------
# Encoding with vocabularies


def skills_vocabulary(*lists) -> Vocabulary:
    index: dict[str, int] = {}
    for rows in lists:
        for row in rows:
            for key in row:
                index.setdefault(key, len(index))
    return Vocabulary(index=index)


def text_vocabulary(documents: list[list[str]]) -> Vocabulary:
    """Words of ``documents`` (the vacancies' texts: the corpus) with smoothed IDF."""
    df: dict[str, int] = {}
    for doc in documents:
        for w in set(doc):
            df[w] = df.get(w, 0) + 1
    index = {w: i for i, w in enumerate(sorted(df))}
    n = len(documents)
    idf = np.zeros(len(index), dtype=np.float32)
    for w, i in index.items():
        idf[i] = np.log((1 + n) / (1 + df[w])) + 1.0
    return Vocabulary(index=index, idf=idf)


def _binary(rows: list[list[str]], vocab: Vocabulary) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for row in rows:
        cols = sorted({vocab.index[k] for k in row if k in vocab.index})
        indices += cols
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
                             shape=(len(rows), len(vocab)))


def _tfidf(rows: list[list[str]], vocab: Vocabulary) -> sparse.csr_matrix:
    m = _binary(rows, vocab)
    if m.nnz:
        m.data = vocab.idf[m.indices].astype(np.float32)
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        m = sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32)
    return m


def _pad(rows: list[list[int]], width: int, dtype) -> np.ndarray:
    out = np.full((len(rows), width), -1, dtype=dtype)
    for r, row in enumerate(rows):
        out[r, :len(row)] = row[:width]
    return out


def encode_seekers(raw: RawSeekers, skills: Vocabulary, words: Vocabulary) -> SeekerArrays:
    return SeekerArrays(
        person_id=np.array(raw.person_id, dtype=np.int64), region=np.array(raw.region, dtype=np.int64),
        pref_regions=_pad(raw.pref_regions, R_PLACES, np.int64), occupations=_pad(raw.occupations, K_OCCUPATIONS, np.int32),
        education=np.array(raw.education, dtype=np.int8), experience=np.array(raw.experience, dtype=np.int16),
        wage_min=np.array(raw.wage_min, dtype=np.int32), work_types=np.array(raw.work_types, dtype=np.uint8),
        lat=np.array(raw.lat, dtype=np.float32), lon=np.array(raw.lon, dtype=np.float32),
        max_commute_km=np.array(raw.commute, dtype=np.float32), skills=_binary(raw.skills, skills),
        text=_tfidf(raw.words, words), priority=np.array(raw.priority, dtype=bool))


def encode_vacancies(raw: RawVacancies, skills: Vocabulary, words: Vocabulary) -> VacancyArrays:
    cols = list(zip(*raw.rows)) if raw.rows else [[] for _ in range(13)]
    return VacancyArrays(
        vacancy_id=np.array(cols[0], dtype=np.int64), employer_id=np.array(cols[1], dtype=np.int64),
        region=np.array(cols[2], dtype=np.int64), lat=np.array(cols[3], dtype=np.float32),
        lon=np.array(cols[4], dtype=np.float32), occupation=np.array(cols[5], dtype=np.int32),
        education_min=np.array(cols[6], dtype=np.int8), experience_min=np.array(cols[7], dtype=np.int16),
        wage_min=np.array(cols[8], dtype=np.int32), wage_max=np.array(cols[9], dtype=np.int32),
        work_type=np.array(cols[10], dtype=np.uint8), openings=np.array(cols[11], dtype=np.int32),
        skills=_binary(raw.skills, skills), text=_tfidf(raw.words, words), welfare_post=np.array(cols[12], dtype=bool))


# ---------------------------------------------------------------------------------------------
# Snapshots


@dataclass
class Snapshot:
    seekers: SeekerArrays
    vacancies: VacancyArrays
    skills: Vocabulary
    words: Vocabulary
    on: datetime.date
    built_at: float  # epoch seconds

    def seeker_row(self, person_id: int) -> int | None:
        pos = int(np.searchsorted(self.seekers.person_id, person_id))
        return pos if pos < len(self.seekers) and self.seekers.person_id[pos] == person_id else None

    def vacancy_row(self, vacancy_id: int) -> int | None:
        pos = int(np.searchsorted(self.vacancies.vacancy_id, vacancy_id))
        return pos if pos < len(self.vacancies) and self.vacancies.vacancy_id[pos] == vacancy_id else None


def build(on: datetime.date | None = None) -> Snapshot:
    """Both sides from the database, with fresh vocabularies."""
    on = on or timezone.localdate()
    started = time.time()  # a change while reading is newer than the snapshot: the queries read it again
    rv = raw_vacancies(on)
    rs = raw_seekers(on)
    skills = skills_vocabulary(rv.skills, rs.skills)
    words = text_vocabulary(rv.words)
    return Snapshot(encode_seekers(rs, skills, words), encode_vacancies(rv, skills, words), skills, words, on, started)


def live_seekers(snapshot: Snapshot, person_ids, on: datetime.date | None = None, *,
                 registered_only: bool = True) -> SeekerArrays:
    """The seekers' features as they are now in the database, in the snapshot's vocabularies."""
    return encode_seekers(raw_seekers(on or snapshot.on, person_ids, registered_only=registered_only),
                          snapshot.skills, snapshot.words)


def live_vacancies(snapshot: Snapshot, vacancy_ids, on: datetime.date | None = None, *,
                   open_only: bool = True) -> VacancyArrays:
    return encode_vacancies(raw_vacancies(on or snapshot.on, vacancy_ids, open_only=open_only),
                            snapshot.skills, snapshot.words)


def directory() -> Path | None:
    """``settings.JIUYE_MATCHING_DIR`` if set, else ``DATA_DIR/matching/<database name>``; None (no
    files: every call builds from the database) for a test database, whose content changes per test."""
    configured = getattr(settings, "JIUYE_MATCHING_DIR", None)
    if configured:
        return Path(configured)
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "default")
    if name.startswith("test_") or "memorydb" in name or name == ":memory:" or Path(name).name.startswith("test_"):
        return None
    return Path(settings.DATA_DIR) / "matching" / Path(name).name


def _dump(prefix: str, arrays, out: dict) -> None:
    for name, value in vars(arrays).items():
        if sparse.issparse(value):
            out[f"{prefix}.{name}.data"] = value.data
            out[f"{prefix}.{name}.indices"] = value.indices
            out[f"{prefix}.{name}.indptr"] = value.indptr
            out[f"{prefix}.{name}.shape"] = np.array(value.shape)
        else:
            out[f"{prefix}.{name}"] = value


def _undump(prefix: str, cls, z) -> object:
    values = {}
    for name in cls.__dataclass_fields__:
        if f"{prefix}.{name}.data" in z:
            values[name] = sparse.csr_matrix((z[f"{prefix}.{name}.data"], z[f"{prefix}.{name}.indices"],
                                              z[f"{prefix}.{name}.indptr"]), shape=tuple(z[f"{prefix}.{name}.shape"]))
        else:
            values[name] = z[f"{prefix}.{name}"]
    return cls(**values)


def save(snapshot: Snapshot, keep: int = 2) -> Path | None:
    """Write the snapshot (atomically: a temporary file renamed) and remove older ones but ``keep``."""
    d = directory()
    if d is None:
        return None
    d.mkdir(parents=True, exist_ok=True)
    out: dict = {}
    _dump("s", snapshot.seekers, out)
    _dump("v", snapshot.vacancies, out)
    out["meta"] = np.array(json.dumps({"on": snapshot.on.isoformat(), "built_at": snapshot.built_at,
                                       "skills": list(snapshot.skills.index), "words": list(snapshot.words.index)},
                                      ensure_ascii=False))
    out["idf"] = snapshot.words.idf
    path = d / f"snapshot-{int(snapshot.built_at * 1000)}.npz"
    tmp = d / (path.name + ".tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **out)
    os.replace(tmp, path)
    for old in sorted(d.glob("snapshot-*.npz"))[:-keep]:
        old.unlink(missing_ok=True)
    return path


def read(path: Path) -> Snapshot:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        seekers = _undump("s", SeekerArrays, z)
        vacancies = _undump("v", VacancyArrays, z)
        idf = z["idf"]
    skills = Vocabulary(index={k: i for i, k in enumerate(meta["skills"])})
    words = Vocabulary(index={k: i for i, k in enumerate(meta["words"])}, idf=idf)
    return Snapshot(seekers, vacancies, skills, words, datetime.date.fromisoformat(meta["on"]), meta["built_at"])


def latest_path() -> Path | None:
    d = directory()
    if d is None or not d.is_dir():
        return None
    files = sorted(d.glob("snapshot-*.npz"))
    return files[-1] if files else None


_loaded: dict = {"path": None, "snapshot": None}


def current(on: datetime.date | None = None) -> Snapshot:
    """The newest saved snapshot (loaded once per process, reloaded when a newer one exists), or one
    built now from the database when none is saved. A snapshot of another day than ``on`` is still used:
    the single queries check every result against the database (``queries.matching``)."""
    path = latest_path()
    if path is None:
        return build(on)
    if _loaded["path"] != path:
        _loaded["snapshot"] = read(path)
        _loaded["path"] = path
    return _loaded["snapshot"]


def refresh(on: datetime.date | None = None) -> Snapshot:
    """Build from the database and save (the batch and the daily job)."""
    snap = build(on)
    save(snap)
    _loaded["path"], _loaded["snapshot"] = None, None
    return snap


# ---------------------------------------------------------------------------------------------
# What changed since the snapshot (the single queries add it, so a new vacancy or seeker is matched at once)

FRESH_LIMIT = 20_000  # beyond this many changes since the snapshot, the daily snapshot is overdue anyway


def _subset(arrays, keep: np.ndarray):
    return type(arrays)(**{name: (value[keep] if not sparse.issparse(value) else value[np.flatnonzero(keep)])
                           for name, value in vars(arrays).items()})


def _concat(a, b):
    out = {}
    for name, value in vars(a).items():
        other = getattr(b, name)
        if sparse.issparse(value):
            out[name] = sparse.vstack([value, other], format="csr", dtype=np.float32)
        else:
            out[name] = np.concatenate([value, other.astype(value.dtype)])
    return type(a)(**out)


_fresh: dict = {}


def _since(snapshot: Snapshot) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(snapshot.built_at, tz=datetime.timezone.utc)


def _changed_since(model, field: str, since: datetime.datetime) -> bool:
    """Whether any row's ``field`` is after ``since``: the index's newest entry (one probe), so that the common
    case — nothing changed since the snapshot — costs no scan whatever the planner's statistics say."""
    newest = model.objects.aggregate(newest=Max(field))["newest"]
    return newest is not None and newest > since


def _merged(kind: str, snapshot: Snapshot, base, ids: list[int], encode):
    if not ids:
        return base
    key = (kind, snapshot.built_at, tuple(ids))
    if _fresh.get(kind, (None,))[0] != key:
        fresh = encode(ids)
        id_field = "vacancy_id" if kind == "vacancies" else "person_id"
        keep = ~np.isin(getattr(base, id_field), np.array(ids, dtype=np.int64))
        _fresh[kind] = (key, _concat(_subset(base, keep), fresh))
    return _fresh[kind][1]


def vacancies_now(snapshot: Snapshot, on: datetime.date) -> VacancyArrays:
    """The snapshot's vacancies with those changed since it (new, edited) read again from the database
    (closed ones stay until the results are checked against the database)."""
    since = _since(snapshot)
    ids = sorted(Vacancy.objects.filter(open_vacancies_q(on), updated_at__gt=since)
                 .values_list("pk", flat=True)[:FRESH_LIMIT]) if _changed_since(Vacancy, "updated_at", since) else []
    return _merged("vacancies", snapshot, snapshot.vacancies, ids, lambda i: live_vacancies(snapshot, i, on))


def seekers_now(snapshot: Snapshot, on: datetime.date) -> SeekerArrays:
    """The snapshot's seekers with those registered or whose profile changed since it read again."""
    since = _since(snapshot)
    from jiuye.jobs.models import SeekerProfile

    ids: set[int] = set()
    if _changed_since(SeekerRegistration, "recorded_at", since):
        ids |= set(SeekerRegistration.objects.filter(open_seekers_q(on), recorded_at__gt=since)
                   .values_list("person_id", flat=True)[:FRESH_LIMIT])
    if _changed_since(SeekerProfile, "updated_at", since):
        ids |= set(SeekerProfile.objects.filter(updated_at__gt=since).values_list("person_id", flat=True)[:FRESH_LIMIT])
    return _merged("seekers", snapshot, snapshot.seekers, sorted(ids), lambda i: live_seekers(snapshot, i, on))
