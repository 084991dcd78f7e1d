"""The deterministic synthetic 新城区: persons, households, employers and ten years of registrations.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same number of persons,
seed and reference date give the same rows, ids included. Rows are plain tuples in the column order of
``*_FIELDS`` (model attribute names); ``writer.py`` inserts them in bulk.

The status projection of each person (employment_status, status_since, current_employer,
employment_form) is computed here with the rule of ``jiuye.registry.status.status_on`` over the
entries generated for that person (``project``); tests/test_seed.py replays ``status_on`` over the
stored rows and requires equality for every person.

Rules this module uses: ``project`` is a COPY of ``status.status_on`` over row tuples (for speed),
held to the rule by a hypothesis test (tests/test_demo_rules.py); everything else calls the rule
itself: retirement dates (``retirement.retirement_date``), the 16th birthday and working age
(``retirement.working_age_start`` / ``is_working_age``), the statuses an ending names
(``status.ENDING_STATUS``) and higher education (``models.HIGHER_EDUCATION``).
"""
from __future__ import annotations

import bisect
import datetime
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from jiuye.registry import status as _status
from jiuye.registry.demo import places, vocab
from jiuye.registry.models import HIGHER_EDUCATION
from jiuye.registry.retirement import is_working_age, working_age_start
from jiuye.registry.retirement import retirement_date as _retirement_date

# Column order of the generated rows (model attribute names).
PERSON_FIELDS = [
    "id", "id_number", "name", "sex", "birth_date", "ethnicity", "phone", "hukou_type", "hukou_place", "region_id",
    "address", "education", "graduation_date", "school_type", "school_name", "major", "is_veteran", "veteran_kind",
    "has_disability", "disability_grade", "is_dibao", "poverty_status", "is_land_lost_farmer",
    "is_released_or_rehabilitated", "skills", "certificates", "able_to_work", "willing_to_work", "preferred_occupation",
    "preferred_industry", "preferred_wage_min", "preferred_work_place", "female_retirement_base", "retirement_date",
    "employment_status", "status_since", "current_employer_id", "employment_form", "created_at", "updated_at",
]
# is_zero_employment is filled with False here and computed after the load (services.refresh_zero_employment).
HOUSEHOLD_FIELDS = ["id", "number", "region_id", "address", "has_business_income", "is_zero_employment", "note",
                    "created_at", "updated_at"]
MEMBERSHIP_FIELDS = ["id", "household_id", "person_id", "relation", "joined_on", "left_on"]
EMPLOYER_FIELDS = [
    "id", "credit_code", "name", "industry_code", "size_class", "ownership", "region_id", "address", "contact_name",
    "contact_phone", "employee_count", "created_at", "updated_at",
]
REGISTRATION_FIELDS = [
    "id", "person_id", "kind", "effective_date", "employer_id", "employment_form", "contract_type", "contract_months",
    "social_insurance", "occupation", "unemployment_reason", "ending_reason", "corrects_id", "reason", "operator_id",
    "source", "recorded_at", "import_key", "registered_in_id", "former_employer_id", "contract_start", "contract_end",
]
JSON_FIELDS = {"skills", "certificates"}

P = {name: i for i, name in enumerate(PERSON_FIELDS)}
R = {name: i for i, name in enumerate(REGISTRATION_FIELDS)}

# Statuses named by an ending reason and higher education: from the rules.
ENDING_STATUS = {str(reason): str(status) for reason, status in _status.ENDING_STATUS.items()}
HIGHER = {str(e) for e in HIGHER_EDUCATION}

HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6]
HOUSEHOLD_SIZE_WEIGHTS = [26, 31, 23, 12, 6, 2]
ZERO_HOUSEHOLD_RATE = 0.0015
ZERO_HOUSEHOLDS_PER_SIZE = 3  # at least this many zero-employment households of every size 1..6
BUSINESS_INCOME_RATE = 0.05


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    street_code: str
    street_name: str


@dataclass
class Chunk:
    persons: list[tuple] = field(default_factory=list)
    households: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)
    registrations: list[tuple] = field(default_factory=list)


def json_text(value) -> str:
    """JSON as Django's JSONField stores it on SQLite (json.dumps with default options)."""
    return json.dumps(value)


def uscc_check(body17: str) -> str:
    from stdnum.cn import uscc

    return uscc.calc_check_digit(body17)


def ric_check(body17: str) -> str:
    from stdnum.cn import ric

    return ric.calc_check_digit(body17 + "0")  # stdnum expects the number with a check digit slot


_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check(body8: str) -> str:
    """Check character of a GB 11714 organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body8, weights))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def employer_count(persons: int) -> int:
    return max(20, persons // 40)


def project(entries: list[tuple], today: datetime.date) -> tuple[str, datetime.date | None, int | None, str]:
    """(status, since, employer_id, form) on ``today``: a COPY of ``status.status_on`` over row tuples
    (no model instances, for the speed of seeding 1,000,000 persons). tests/test_demo_rules.py holds it
    to the rule with hypothesis; change both together."""
    superseded = {e[R["corrects_id"]] for e in entries if e[R["corrects_id"]] is not None}
    counting = [e for e in entries if e[R["kind"]] != "void" and e[R["id"]] not in superseded]
    counting.sort(key=lambda e: (e[R["effective_date"]], e[R["recorded_at"]], e[R["id"]]))
    last = None
    for e in counting:
        if e[R["effective_date"]] > today:
            break
        last = e
    if last is None:
        return "none", None, None, ""
    kind = last[R["kind"]]
    if kind == "employment":
        return "employed", last[R["effective_date"]], last[R["employer_id"]], last[R["employment_form"]]
    if kind == "unemployment":
        return "unemployed", last[R["effective_date"]], None, ""
    return ENDING_STATUS.get(last[R["ending_reason"]], "none"), last[R["effective_date"]], None, ""


def _choice(rnd, seq):
    """``random.choice`` without the overhead (rnd is a bound Random.random)."""
    return seq[int(rnd() * len(seq))]


def _randint(rnd, a: int, b: int) -> int:
    return a + int(rnd() * (b - a + 1))


def _sample(rnd, seq, k: int) -> list:
    if k == 0:
        return []
    if k == 1:
        return [_choice(rnd, seq)]
    pool = list(seq)
    out = []
    for _ in range(k):
        out.append(pool.pop(int(rnd() * len(pool))))
    return out


class _Weighted:
    """Fast weighted choice over a fixed list (cumulative weights + bisect)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum = []
        total = 0.0
        for _item, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total

    def pick(self, rnd) -> object:
        return self.items[bisect.bisect_right(self.cum, rnd() * self.total)]


_LEVELS = ["primary", "junior", "senior", "vocational", "college", "bachelor", "master", "doctor"]


def _education_weights(cohort: int, rural: bool) -> _Weighted:
    w = [[1, 8, 15, 16, 22, 32, 5, 0.5], [2, 18, 25, 15, 18, 19, 3, 0.3], [6, 34, 32, 12, 9, 6, 1, 0.1]][cohort]
    if rural:
        w = [w[0] * 1.8, w[1] * 1.7, w[2], w[3] * 1.1, w[4] * 0.5, w[5] * 0.35, w[6] * 0.2, w[7] * 0.1]
    return _Weighted(list(zip(_LEVELS, w)))


# Education by birth cohort (born 1990+, 1975-1989, earlier) and household registration.
_EDUCATION = {(c, r): _education_weights(c, r) for c in range(3) for r in (False, True)}
_GRADE = _Weighted([(1, 10), (2, 20), (3, 35), (4, 35)])
_N_SKILLS = _Weighted([(0, 35), (1, 40), (2, 18), (3, 7)])
_N_CERTS = _Weighted([(0, 62), (1, 30), (2, 8)])
_CONTRACT_MONTHS = _Weighted([(12, 30), (24, 20), (36, 35), (60, 15)])
_LOSS_REASON = _Weighted([("contract_ended", 30), ("dismissed", 12), ("resigned", 35), ("employer_closed", 8),
                          ("other", 5)])
_PRIOR_SPELLS = _Weighted([(0, 40), (1, 28), (2, 17), (3, 10), (4, 5)])


class CityGenerator:
    """Generates the demo city. Call ``employers()`` once, then iterate ``chunks()``."""

    def __init__(self, *, persons: int, seed: int, today: datetime.date, communities: list[Community],
                 female_retirement_base: int = 50, tz: str = "Asia/Shanghai", chunk_persons: int = 50_000):
        if persons < 1:
            raise ValueError("persons must be positive")
        self.n_persons = persons
        self.seed = seed
        self.today = today
        self.communities = communities
        self.default_female_base = female_retirement_base
        self.tz = ZoneInfo(tz)
        self.chunk_persons = chunk_persons
        self.rng = random.Random(seed)
        self.window_start = today - relativedelta(years=10)
        self.three_years_ago = today - relativedelta(years=3)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.employer_rows: list[tuple] = []
        rng = self.rng
        self._community_pick = _Weighted([(c, 0.6 + 0.8 * rng.random()) for c in communities])
        self._surname = _Weighted(vocab.SURNAMES)
        self._ethnicity = _Weighted(vocab.ETHNICITIES)
        self._size = _Weighted(list(zip(HOUSEHOLD_SIZES, HOUSEHOLD_SIZE_WEIGHTS)))
        # Birth-year weights: the age pyramid of working-age residents (baby boom of the 1960s, echo of
        # the late 1980s, smaller cohorts after 2000).
        years = range(today.year - 68, today.year - 15)
        self._birth_year = _Weighted([(y, self._cohort_weight(y)) for y in years])
        self._person_id = 0
        self._household_id = 0
        self._membership_id = 0
        self._registration_id = 0
        self._household_seq: dict[str, int] = {}
        self._employer_pick = None
        self._public_employer_pick = None
        self.ref_local = datetime.time(9, 0)

    # -----------------------------------------------------------------------------------------
    # helpers

    @staticmethod
    def _cohort_weight(year: int) -> float:
        if year < 1962:
            return 1.0
        if year <= 1975:
            return 1.35
        if year <= 1984:
            return 1.0
        if year <= 1992:
            return 1.25
        if year <= 2000:
            return 0.95
        return 0.8

    def aware(self, day: datetime.date, minute: int = 0) -> datetime.datetime:
        """A recording time on ``day``: 09:00 local plus ``minute``; just after midnight for today."""
        at = self.ref_local if day < self.today else datetime.time(0, 0)
        return datetime.datetime.combine(day, at, tzinfo=self.tz) + datetime.timedelta(minutes=minute)

    def _date_between(self, lo: datetime.date, hi: datetime.date) -> datetime.date:
        span = (hi - lo).days
        return lo if span <= 0 else lo + datetime.timedelta(days=_randint(self.rng.random, 0, span))

    def _phone(self) -> str:
        rng = self.rng
        while True:
            phone = _choice(rng.random, vocab.MOBILE_PREFIXES) + f"{int(rng.random() * (100_000_000)):08d}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def _given(self, sex: str) -> str:
        rng = self.rng
        chars = vocab.GIVEN_MALE if sex == "M" else vocab.GIVEN_FEMALE
        if rng.random() < 0.28:
            return _choice(rng.random, chars)
        return _choice(rng.random, chars) + _choice(rng.random, chars)

    def id_number(self, region6: str, birth: datetime.date, sex: str) -> str:
        rng = self.rng
        ymd = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        for _ in range(200):
            seq = int(rng.random() * (500)) * 2 + (1 if sex == "M" else 0)
            body = f"{region6}{ymd}{seq:03d}"
            number = body + ric_check(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("identity numbers exhausted for one region and birth date")

    @lru_cache(maxsize=None)  # noqa: B019 - per-generator cache of a pure function
    def retirement(self, birth: datetime.date, sex: str, base: int | None) -> datetime.date:
        return _retirement_date(birth, sex, base or self.default_female_base)

    @lru_cache(maxsize=None)  # noqa: B019
    def sixteenth(self, birth: datetime.date) -> datetime.date:
        return working_age_start(birth)

    # -----------------------------------------------------------------------------------------
    # employers

    def employers(self) -> list[tuple]:
        rng = self.rng
        count = employer_count(self.n_persons)
        industry = _Weighted([((code, word, suffix), w) for code, w, word, suffix in vocab.INDUSTRIES])
        size = _Weighted([("micro", 50), ("small", 32), ("medium", 14), ("large", 4)])
        names: set[str] = set()
        codes: set[str] = set()
        rows = []
        weights = []
        public = []
        for i in range(1, count + 1):
            ind_code, word, suffix = industry.pick(rng.random)
            if ind_code in ("83", "84", "78") and rng.random() < 0.5:
                ownership = "public_institution"
            elif ind_code == "85":
                ownership = "social_organisation"
            elif ind_code in ("52", "62", "80", "81", "82") and rng.random() < 0.3:
                ownership = "individual"
            elif ind_code in ("44", "60", "66") and rng.random() < 0.6:
                ownership = "state"
            else:
                r = rng.random()
                ownership = ("private" if r < 0.8 else "state" if r < 0.86 else "collective" if r < 0.89
                             else "foreign" if r < 0.93 else "hmt" if r < 0.96 else "other")
            size_class = "micro" if ownership == "individual" else size.pick(rng.random)
            employees = {"micro": (2, 19), "small": (20, 99), "medium": (100, 999), "large": (1000, 3000)}[size_class]
            employee_count = _randint(rng.random, *employees)
            for attempt in range(50):
                trade = _choice(rng.random, vocab.TRADE_NAMES) + _choice(rng.random, vocab.TRADE_NAMES)
                if attempt > 20:
                    trade += _choice(rng.random, vocab.TRADE_NAMES)
                if ownership == "individual":
                    name = f"新城区{trade}{ {'52': '便利店', '62': '小吃店', '80': '家政服务部', '81': '汽车修理部'}.get(ind_code, '服务部') }"
                elif ownership == "public_institution":
                    name = f"西安市新城区{trade}{ {'83': '幼儿园', '84': '社区卫生服务站', '78': '市容环境服务中心'}[ind_code] }"
                elif ownership == "social_organisation":
                    name = f"西安市新城区{trade}社会工作服务中心"
                elif ownership == "state":
                    name = f"西安{trade}{word}集团有限公司" if size_class in ("large", "medium") else f"西安市{trade}{suffix}"
                else:
                    name = f"西安{trade}{suffix}"
                if name not in names:
                    names.add(name)
                    break
            else:
                name = f"{name}（{i}）"
                names.add(name)
            prefix = {"individual": "92", "public_institution": "12", "social_organisation": "52"}.get(ownership, "91")
            while True:
                if rng.random() < 0.6:
                    body8 = "MA" + "".join(_choice(rng.random, "0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
                else:
                    body8 = f"{int(rng.random() * (10 ** 8)):08d}"
                org = body8 + org_code_check(body8)
                body = prefix + "610102" + org
                code = body + uscc_check(body)
                if code not in codes:
                    codes.add(code)
                    break
            community = self._community_pick.pick(rng.random)
            region_id = community.code if rng.random() < 0.7 else community.street_code
            road = _choice(rng.random, vocab.STREET_ROADS[community.code[:9]])
            address = f"西安市新城区{road}{_randint(rng.random, 1, 300)}号"
            contact_sex = "M" if rng.random() < 0.5 else "F"
            contact = self._surname.pick(rng.random) + self._given(contact_sex)
            phone = self._phone() if rng.random() < 0.7 else f"029-8{int(rng.random() * (10 ** 7)):07d}"
            created = self.aware(self._date_between(self.window_start - relativedelta(years=5), self.window_start))
            rows.append((i, code, name, ind_code, size_class, ownership, region_id, address, contact, phone,
                         employee_count, created, created))
            weights.append((i, employee_count ** 0.8))
            if ownership in ("public_institution", "social_organisation", "state", "collective"):
                public.append((i, 1.0))
        self._employer_pick = _Weighted(weights)
        self._public_employer_pick = _Weighted(public or weights)
        self.employer_rows = rows
        return rows

    # -----------------------------------------------------------------------------------------
    # persons and households

    def plan_households(self) -> list[tuple[int, bool]]:
        """(size, designated zero-employment) of every household, in generation order."""
        rng = self.rng
        plan: list[tuple[int, bool]] = []
        reserved = sum(HOUSEHOLD_SIZES) * ZERO_HOUSEHOLDS_PER_SIZE if self.n_persons >= 500 else 0
        remaining = self.n_persons - reserved
        while remaining > 0:
            size = min(self._size.pick(rng.random), remaining)
            plan.append((size, rng.random() < ZERO_HOUSEHOLD_RATE))
            remaining -= size
        if reserved:
            plan.extend((size, True) for size in HOUSEHOLD_SIZES for _ in range(ZERO_HOUSEHOLDS_PER_SIZE))
        rng.shuffle(plan)
        return plan

    def chunks(self) -> Iterator[Chunk]:
        if self._employer_pick is None:
            raise RuntimeError("call employers() first")
        chunk = Chunk()
        for size, zero in self.plan_households():
            self._household(size, zero, chunk)
            if len(chunk.persons) >= self.chunk_persons:
                yield chunk
                chunk = Chunk()
        if chunk.persons:
            yield chunk

    def _sample_birth(self, *, min_age: int = 16, max_over: float = 0.12) -> datetime.date:
        """A birth date from the pyramid, of working age today (a few just past retirement)."""
        rng = self.rng
        today = self.today
        for _ in range(100):
            year = self._birth_year.pick(rng.random)
            birth = datetime.date(year, 1, 1) + datetime.timedelta(days=int(rng.random() * (365)))
            age_days = (today - birth).days
            if age_days < min_age * 365.25 + 1:
                continue
            return birth
        return today - relativedelta(years=30)

    def _fits(self, birth: datetime.date, sex: str, base: int | None, *, over_ok: float) -> bool:
        """Of working age today, or retired less than three years ago (accepted with ``over_ok``)."""
        if self.sixteenth(birth) > self.today:
            return False
        ret = self.retirement(birth, sex, base)
        if ret > self.today:
            return True
        if ret < self.three_years_ago:
            return False
        return self.rng.random() < over_ok

    def _household(self, size: int, zero: bool, chunk: Chunk) -> None:
        rng = self.rng
        community = self._community_pick.pick(rng.random)
        seq = self._household_seq.get(community.code, 0) + 1
        self._household_seq[community.code] = seq
        self._household_id += 1
        household_id = self._household_id
        number = f"{community.code}-{seq:05d}"
        road = _choice(rng.random, vocab.STREET_ROADS[community.code[:9]])
        compound = _choice(rng.random, vocab.COMPOUND_PREFIXES) + _choice(rng.random, vocab.COMPOUND_SUFFIXES)
        address = (f"西安市新城区{road}{_randint(rng.random, 1, 320)}号{compound}{_randint(rng.random, 1, 30)}号楼{_randint(rng.random, 1, 6)}单元"
                   f"{_randint(rng.random, 1, 28)}{_randint(rng.random, 1, 6):02d}室")
        rural = rng.random() < 0.30
        business = (not zero) and rng.random() < BUSINESS_INCOME_RATE
        dibao = rng.random() < (0.30 if zero else 0.04 if rural else 0.026)
        if rural:
            r = rng.random()
            poverty = "lifted" if r < 0.08 else "monitored" if r < 0.10 else "none"
        else:
            r = rng.random()
            poverty = "lifted" if r < 0.005 else "monitored" if r < 0.008 else "none"
        migrant = rural and rng.random() < 0.8
        land_lost_household = rural and not migrant and rng.random() < 0.5

        # Members: head, then spouse / children / parents / siblings.
        members: list[dict] = []
        head_sex = "M" if rng.random() < 0.62 else "F"
        head_surname = self._surname.pick(rng.random)
        for _ in range(50):
            head_birth = self._sample_birth(min_age=20)
            head_base = self._female_base(head_sex, None)
            if self._fits(head_birth, head_sex, head_base, over_ok=0.0 if zero else 0.25):
                break
        members.append(dict(relation="head", sex=head_sex, birth=head_birth, surname=head_surname, base=head_base))
        male_surname = head_surname if head_sex == "M" else None
        relations = []
        if size >= 2:
            relations.append("spouse" if rng.random() < 0.82 else _choice(rng.random, ["sibling", "other", "parent"]))
        while len(relations) < size - 1:
            r = rng.random()
            relations.append("child" if r < 0.6 else "parent" if r < 0.85 else "grandchild" if r < 0.9 else
                             "sibling" if r < 0.97 else "other")
        for relation in relations:
            member = self._member(relation, head_birth, head_sex)
            if relation == "spouse" and member["sex"] == "M":
                male_surname = member["surname"] = self._surname.pick(rng.random)
            elif relation in ("child", "grandchild", "sibling"):
                member["surname"] = (male_surname or head_surname) if rng.random() < 0.9 else self._surname.pick(rng.random)
            elif relation == "parent" and member["sex"] == "M" and head_sex == "M":
                member["surname"] = head_surname
            else:
                member["surname"] = self._surname.pick(rng.random)
            members.append(member)

        origin = None
        if migrant:
            codes = places.migrant_codes(head_birth.year)
            origin = _choice(rng.random, codes)[0]
        persons = []
        for m in members:
            persons.append(self._person(m, community, address, rural, migrant, origin, dibao, poverty,
                                        land_lost_household, zero))

        # Final statuses, then the household rule: every non-zero household without business income that
        # has a member able, willing and of working age has one such member at work; a designated zero
        # household has all of them out of work.
        eligible = [p for p in persons if p["eligible"]]
        if zero:
            head = persons[0]
            head["able"] = head["willing"] = True
            head["eligible"] = head["working_age"]
            eligible = [p for p in persons if p["eligible"]]
            for p in eligible:
                p["final"] = "unemployed" if (p is head or rng.random() < 0.7) else _choice(rng.random, ["unregistered", "none"])
        elif not business and eligible and not any(p["final"] == "employed" for p in eligible):
            eligible[0]["final"] = "employed"
        created = None
        for p in persons:
            entries = self._history(p)
            self._finish_person(p, entries, chunk)
            created = created or p["row"][P["created_at"]]
        chunk.households.append((household_id, number, community.code, address, business, False, "", created, created))
        for p in persons:
            self._membership_id += 1
            joined = max(p["birth"], self.window_start - datetime.timedelta(days=_randint(rng.random, 0, 3650)))
            left = p.get("left_on")
            chunk.memberships.append((self._membership_id, household_id, p["id"], p["relation"], joined, left))

    def _female_base(self, sex: str, education: str | None) -> int | None:
        if sex != "F":
            return None
        r = self.rng.random()
        if education in HIGHER and r < 0.35:
            return 55
        return 55 if r < 0.06 else None

    def _member(self, relation: str, head_birth: datetime.date, head_sex: str) -> dict:
        rng = self.rng
        for _ in range(30):
            if relation == "spouse":
                sex = "F" if head_sex == "M" else "M"
                shift = _randint(rng.random, -2, 6) if sex == "F" else _randint(rng.random, -6, 2)
                birth = head_birth + datetime.timedelta(days=int(shift * 365.25) + _randint(rng.random, -150, 150))
            elif relation in ("child", "grandchild"):
                sex = "M" if rng.random() < 0.51 else "F"
                gap = _randint(rng.random, 22, 34) + (_randint(rng.random, 20, 28) if relation == "grandchild" else 0)
                birth = head_birth + datetime.timedelta(days=int(gap * 365.25) + _randint(rng.random, -180, 180))
            elif relation == "parent":
                sex = "M" if rng.random() < 0.45 else "F"
                birth = head_birth - datetime.timedelta(days=int(_randint(rng.random, 22, 32) * 365.25) + _randint(rng.random, -180, 180))
            elif relation == "sibling":
                sex = "M" if rng.random() < 0.5 else "F"
                birth = head_birth + datetime.timedelta(days=_randint(rng.random, -3000, 3000))
            else:
                sex = "M" if rng.random() < 0.5 else "F"
                birth = self._sample_birth()
            base = self._female_base(sex, None)
            if birth < self.today and self._fits(birth, sex, base, over_ok=0.3):
                return dict(relation=relation, sex=sex, birth=birth, base=base)
            relation = _choice(rng.random, ["sibling", "other", "child"])
        sex = "M" if rng.random() < 0.5 else "F"
        while True:
            birth = self._sample_birth()
            if self._fits(birth, sex, None, over_ok=0.0):
                return dict(relation="other", sex=sex, birth=birth, base=None)

    def _education(self, birth: datetime.date, rural: bool) -> tuple[str, datetime.date | None, str, str, str]:
        rng = self.rng
        y = birth.year
        education = _EDUCATION[(0 if y >= 1990 else 1 if y >= 1975 else 2, rural)].pick(rng.random)
        offsets = {"vocational": 18, "college": 21, "bachelor": 22, "master": 25, "doctor": 28}
        while education in offsets:
            year = y + offsets[education] + (_choice(rng.random, [0, 0, 0, 1, -1]) if education != "doctor" else _randint(rng.random, 0, 3))
            grad = datetime.date(year, _choice(rng.random, [6, 6, 7]), _randint(rng.random, 1, 30))
            if grad <= self.today:
                break
            # Still at school: the level reached so far.
            education = {"doctor": "master", "master": "bachelor", "bachelor": "senior", "college": "senior",
                         "vocational": "junior"}[education]
        else:
            return education, None, "", "", ""
        if education == "vocational":
            school_type = "secondary_vocational" if rng.random() < 0.6 else "technical"
            return education, grad, school_type, _choice(rng.random, vocab.VOCATIONAL_SCHOOLS), ""
        school = _choice(rng.random, vocab.COLLEGES if education == "college" else vocab.UNIVERSITIES)
        return education, grad, "university", school, _choice(rng.random, vocab.MAJORS)

    def _person(self, m: dict, community: Community, address: str, rural: bool, migrant: bool, origin: str | None,
                dibao: bool, poverty: str, land_lost_household: bool, zero: bool) -> dict:
        rng = self.rng
        today = self.today
        sex, birth = m["sex"], m["birth"]
        hukou_rural = rural if rng.random() < 0.92 else not rural
        year = birth.year
        if hukou_rural and migrant:
            region6, place = None, None
            if origin and places.is_valid_code(origin, birth):
                region6 = origin
            if region6 is None:
                region6 = _choice(rng.random, places.migrant_codes(year))[0]
            place = dict(places.migrant_codes(year)).get(region6) or places.LOCAL_PLACE
        elif not hukou_rural and rng.random() < 0.12:
            region6 = _choice(rng.random, places.xian_urban_codes(year))
            place = "陕西省西安市"
        else:
            region6, place = places.local_code(year), places.LOCAL_PLACE
        education, grad, school_type, school_name, major = self._education(birth, hukou_rural)
        base = m.get("base")
        if sex == "F" and base is None and education in HIGHER and rng.random() < 0.3:
            base = 55
        retirement = self.retirement(birth, sex, base)
        sixteenth = self.sixteenth(birth)
        working_age = is_working_age(birth, retirement, today)
        age = (today - birth).days / 365.25
        veteran = age >= 20 and rng.random() < (0.052 if sex == "M" else 0.004)
        veteran_kind = ""
        if veteran:
            r = rng.random()
            veteran_kind = "self_employed_officer" if (r < 0.08 and age >= 35) else "other" if r < 0.18 else "soldier"
        disability = rng.random() < 0.02
        grade = _GRADE.pick(rng.random) if disability else None
        able = not (disability and ((grade == 1 and rng.random() < 0.8) or (grade == 2 and rng.random() < 0.4)))
        if able and rng.random() < 0.008:
            able = False
        willing = rng.random() < (0.80 if age >= 50 else 0.94)
        n_skills = _N_SKILLS.pick(rng.random)
        skills = _sample(rng.random, vocab.SKILLS, n_skills)
        n_cert = _N_CERTS.pick(rng.random)
        certificates = _sample(rng.random, vocab.CERTIFICATES, n_cert)
        student = education in ("senior", "junior") and age < 23 and grad is None and rng.random() < 0.85
        recent_grad = grad is not None and education in HIGHER and (today - grad).days < 400
        self._person_id += 1
        p = dict(
            id=self._person_id, relation=m["relation"], sex=sex, birth=birth, surname=m.get("surname") or self._surname.pick(rng.random),
            base=base, region6=region6, hukou_place=place, hukou_type="rural" if hukou_rural else "urban",
            community=community, address=address, education=education, grad=grad, school_type=school_type,
            school_name=school_name, major=major, veteran=veteran, veteran_kind=veteran_kind, disability=disability,
            grade=grade, dibao=dibao, poverty=poverty if hukou_rural or poverty == "none" or rng.random() < 0.5 else "none",
            land_lost=land_lost_household and hukou_rural and age >= 25,
            released=rng.random() < (0.003 if sex == "M" else 0.0005), skills=skills, certificates=certificates,
            able=able, willing=willing, retirement=retirement, sixteenth=sixteenth, working_age=working_age,
            student=student, recent_grad=recent_grad, age=age,
        )
        p["eligible"] = able and willing and working_age
        p["final"] = self._final(p)
        return p

    def _final(self, p: dict) -> str:
        """The person's status today, before the household rule: a status or 'unregistered'."""
        r = self.rng.random()
        if not p["working_age"]:
            return "retired" if r < 0.8 else "unregistered"
        if p["student"]:
            return "unregistered" if r < 0.9 else "in_school" if r < 0.98 else "employed"
        if not p["able"]:
            return "unregistered" if r < 0.85 else "none"
        if not p["willing"]:
            return "unregistered" if r < 0.6 else "not_seeking"
        if p["recent_grad"]:
            return "unregistered" if r < 0.12 else "unemployed" if r < 0.27 else "employed"
        if r < 0.07:
            return "unregistered"
        r = self.rng.random()
        if r < 0.83:
            return "employed"
        if r < 0.89:
            return "unemployed"
        if r < 0.955:
            return "none"
        if r < 0.97 and p["relation"] != "head":
            return "moved_away"
        if r < 0.975 and p["sex"] == "M" and p["age"] < 24:
            return "military"
        if r < 0.98 and p["age"] < 28:
            return "in_school"
        if r < 0.982 and p["relation"] != "head":
            return "deceased"
        return "employed"

    # -----------------------------------------------------------------------------------------
    # registration history

    def _employment_values(self, p: dict, previous_form: str | None) -> tuple:
        """(employer_id, form, contract_type, contract_months, social_insurance, occupation)."""
        rng = self.rng
        r = rng.random()
        older = p["age"] >= 45 or p["disability"]
        if p["hukou_type"] == "rural" and r < 0.04:
            form = "agriculture"
        elif r < 0.64:
            form = "unit"
        elif r < 0.76:
            form = "flexible"
        elif r < 0.85:
            form = "self_employed"
        elif r < 0.92:
            form = "platform"
        elif r < (0.99 if older else 0.945):
            form = "public_welfare"
        else:
            form = "other"
        employer_id = None
        contract, months = "", None
        if form == "unit":
            employer_id = self._employer_pick.pick(rng.random)
            c = rng.random()
            if c < 0.72:
                contract, months = "fixed", _CONTRACT_MONTHS.pick(rng.random)
            elif c < 0.90:
                contract = "open_ended"
            elif c < 0.93:
                contract, months = "task", _choice(rng.random, [3, 6, 12])
            else:
                contract = "none"
            insured = rng.random() < 0.92
            occupation = _choice(rng.random, vocab.OCCUPATIONS)
        elif form == "public_welfare":
            employer_id = self._public_employer_pick.pick(rng.random)
            contract, months = "fixed", _choice(rng.random, [12, 24, 36])
            insured = True
            occupation = _choice(rng.random, ["保洁员", "保安员", "社区工作者", "门卫", "绿化工", "公共设施管理员"])
        elif form == "platform":
            insured = rng.random() < 0.35
            occupation = _choice(rng.random, ["外卖配送员", "网约车司机", "快递员", "主播"])
        elif form == "self_employed":
            insured = rng.random() < 0.55
            occupation = _choice(rng.random, ["个体经营", "餐饮经营", "零售经营", "维修服务"])
        elif form == "agriculture":
            insured = rng.random() < 0.2
            occupation = _choice(rng.random, ["蔬菜种植", "果树种植", "养殖"])
        else:
            insured = rng.random() < 0.45
            occupation = _choice(rng.random, vocab.OCCUPATIONS)
        return employer_id, form, contract, months, insured, occupation

    def _unemployment_reason(self, p: dict, previous: tuple | None, on: datetime.date) -> str:
        rng = self.rng
        if previous is None:
            if p["grad"] is not None and p["education"] in HIGHER and 0 <= (on - p["grad"]).days < 366:
                return "graduate"
            if p["land_lost"] and rng.random() < 0.6:
                return "land_lost"
            return _choice(rng.random, ["resigned", "other", "contract_ended"])
        if previous[0] == "E" and previous[2] == "self_employed":
            return "business_closed"
        return _LOSS_REASON.pick(rng.random)

    def _history(self, p: dict) -> list[tuple]:
        """Registration rows for person ``p`` ending in ``p['final']``; sets p['left_on'] when they left."""
        final = p["final"]
        if final == "unregistered":
            return []
        rng = self.rng
        today = self.today
        lo = max(self.window_start, p["sixteenth"])
        if p["grad"] is not None and p["grad"] > lo and rng.random() < 0.9:
            lo = p["grad"]
        if final == "retired":
            hi = p["retirement"] - datetime.timedelta(days=1)
        else:
            hi = today
        if lo > hi:
            p["final"] = "unregistered"
            return []
        # The states in order; the last is the final one.
        ending_final = {"retired": "retirement", "deceased": "death", "in_school": "school", "military": "military",
                        "moved_away": "moved_away", "none": _choice(rng.random, ["job_ended", "job_ended", "other"]),
                        "not_seeking": "not_seeking"}
        k = _PRIOR_SPELLS.pick(rng.random)
        if final in ending_final:
            k = max(k, 1)
        states: list[str] = []
        nxt = "E" if final == "employed" else "U" if final == "unemployed" else "X"
        for _ in range(k):
            if nxt == "E":
                prev = "U" if rng.random() < 0.55 else "E"
            elif nxt == "U":
                prev = "E"
            else:
                prev = "E" if rng.random() < 0.8 else "U"
            states.append(prev)
            nxt = prev
        states.reverse()
        span = (hi - lo).days
        own = 0 if final == "retired" else 1  # dates drawn for the final entry itself
        if span + 1 < len(states) + own:
            keep = span + 1 - own
            states = states[len(states) - keep:] if keep > 0 else []
            if final in ending_final and final != "retired" and not states:
                p["final"] = final = "unemployed" if p["eligible"] else "unregistered"
                if final == "unregistered":
                    return []
        n_dates = len(states) + own
        if n_dates == 1:
            offsets = [int(rng.random() * (span + 1))]
        else:
            offsets = sorted(rng.sample(range(span + 1), n_dates)) if n_dates else []
        dates = [lo + datetime.timedelta(days=o) for o in offsets]
        if final == "retired":
            dates.append(p["retirement"])
        if final == "employed":
            states.append("E")
        elif final == "unemployed":
            states.append("U")
        else:
            states.append(("X", ending_final[final]))

        entries: list[tuple] = []
        previous: tuple | None = None  # ("E", employer_id, form) or ("U",)
        pid = p["id"]
        here = p["community"].code  # 登记地: demo residents register where they live (nobody moves)
        for i, (state, day) in enumerate(zip(states, dates)):
            if state == "E":
                if previous is not None and previous[0] == "U" and rng.random() < 0.2:
                    entries.append(self._entry(pid, "ending", day, here, ending_reason="new_job"))
                values = self._employment_values(p, previous[2] if previous and previous[0] == "E" else None)
                employer_id, form, contract, months, insured, occupation = values
                entries.append(self._entry(pid, "employment", day, here, employer_id=employer_id, employment_form=form,
                                           contract_type=contract, contract_months=months, social_insurance=insured,
                                           occupation=occupation))
                previous = ("E", employer_id, form)
            elif state == "U":
                reason = self._unemployment_reason(p, previous, day)
                # 失业前单位: the employer of the job just lost, when that job had one.
                former = previous[1] if previous is not None and previous[0] == "E" else None
                entries.append(self._entry(pid, "unemployment", day, here, unemployment_reason=reason,
                                           former_employer_id=former))
                previous = ("U",)
            else:
                entries.append(self._entry(pid, "ending", day, here, ending_reason=state[1]))
                if state[1] in ("death", "moved_away"):
                    p["left_on"] = day
        # Recording times: the morning of the effective date, in order.
        entries = [e[:R["recorded_at"]] + (self.aware(e[R["effective_date"]], j),) + e[R["recorded_at"] + 1:]
                   for j, e in enumerate(entries)]
        if entries and rng.random() < 0.02:
            entries = self._add_correction(p, entries)
        return entries

    def _entry(self, person_id: int, kind: str, day: datetime.date, registered_in: str, *, employer_id=None,
               employment_form="", contract_type="", contract_months=None, social_insurance=None, occupation="",
               unemployment_reason="", ending_reason="", corrects_id=None, reason="", recorded_at=None,
               former_employer_id=None) -> tuple:
        self._registration_id += 1
        # 合同起止日期: a contract signed on the day the employment starts; the end (its last day) follows from
        # the term, so that the stored months equal services.contract_months_between(start, end).
        contract_start = day if contract_type in ("fixed", "task", "open_ended") else None
        contract_end = None
        if contract_start is not None and contract_months:
            contract_end = day + relativedelta(months=contract_months) - datetime.timedelta(days=1)
            delta = relativedelta(contract_end + datetime.timedelta(days=1), day)
            if delta.years * 12 + delta.months != contract_months:  # a start at a month's end: the term alone
                contract_start = contract_end = None
        return (self._registration_id, person_id, kind, day, employer_id, employment_form, contract_type,
                contract_months, social_insurance, occupation, unemployment_reason, ending_reason, corrects_id, reason,
                None, "seed", recorded_at, None, registered_in, former_employer_id, contract_start, contract_end)

    def _later(self, recorded: datetime.datetime, days: int) -> datetime.datetime:
        """``recorded`` plus ``days``, never after the reference date."""
        later = recorded + datetime.timedelta(days=days)
        if later.date() >= self.today:
            later = datetime.datetime.combine(self.today, datetime.time(0, 30), tzinfo=self.tz)
            if later <= recorded:
                later = recorded + datetime.timedelta(minutes=1)
        return later

    def _add_correction(self, p: dict, entries: list[tuple]) -> list[tuple]:
        """A void of a duplicate entry, or a mistaken entry replaced by a correction."""
        rng = self.rng
        today = self.today
        candidates = [e for e in entries if e[R["kind"]] in ("employment", "unemployment")
                      and e[R["effective_date"]] <= today - datetime.timedelta(days=60)
                      and sum(1 for x in entries if x[R["effective_date"]] == e[R["effective_date"]]) == 1]
        if not candidates:
            return entries
        target = _choice(rng.random, candidates)
        pid = p["id"]
        if rng.random() < 0.4:
            # Entered twice by mistake; the duplicate is voided.
            self._registration_id += 1
            dup = (self._registration_id,) + target[1:R["recorded_at"]] + (
                target[R["recorded_at"]] + datetime.timedelta(seconds=30),) + target[R["recorded_at"] + 1:]
            void = self._entry(pid, "void", dup[R["effective_date"]], dup[R["registered_in_id"]], corrects_id=dup[R["id"]],
                               reason=_choice(rng.random, ["重复登记，予以作废", "误将他人信息登记在本人名下，予以作废"]),
                               recorded_at=self._later(dup[R["recorded_at"]], _randint(rng.random, 1, 20)))
            return entries + [dup, void]
        # The original was stored with a mistake; a correction with the true values replaces it.
        mistaken = list(target)
        if target[R["kind"]] == "employment" and target[R["employer_id"]] is not None and rng.random() < 0.5:
            other = self._employer_pick.pick(rng.random)
            if other == target[R["employer_id"]]:
                other = other % len(self.employer_rows) + 1
            mistaken[R["employer_id"]] = other
            reason = "就业单位录入错误，据劳动合同更正"
        elif target[R["kind"]] == "unemployment" and rng.random() < 0.5:
            mistaken[R["unemployment_reason"]] = "other" if target[R["unemployment_reason"]] != "other" else "resigned"
            reason = "失业原因录入错误，予以更正"
        else:
            shift = _choice(rng.random, [-1, 1]) * _randint(rng.random, 3, 45)
            wrong = target[R["effective_date"]] + datetime.timedelta(days=shift)
            floor = max(p["sixteenth"], self.window_start)
            if wrong < floor or wrong > today:
                wrong = target[R["effective_date"]] + datetime.timedelta(days=abs(shift))
                if wrong > today:
                    wrong = target[R["effective_date"]] + datetime.timedelta(days=1)
            mistaken[R["effective_date"]] = wrong
            reason = "登记日期录入错误，予以更正"
        mistaken = tuple(mistaken)
        self._registration_id += 1
        correction = (self._registration_id,) + target[1:R["corrects_id"]] + (mistaken[R["id"]], reason) + \
            target[R["reason"] + 1:R["recorded_at"]] + (self._later(target[R["recorded_at"]], _randint(rng.random, 2, 30)),) + \
            target[R["recorded_at"] + 1:]
        return [mistaken if e is target else e for e in entries] + [correction]

    def _finish_person(self, p: dict, entries: list[tuple], chunk: Chunk) -> None:
        rng = self.rng
        today = self.today
        status, since, employer_id, form = project(entries, today)
        sex = p["sex"]
        name = p["surname"] + self._given(sex)
        id_number = self.id_number(p["region6"], p["birth"], sex)
        wants = status in ("unemployed", "none") or rng.random() < 0.3
        occupation = _choice(rng.random, vocab.OCCUPATIONS) if wants and rng.random() < 0.8 else ""
        industry = _choice(rng.random, vocab.INDUSTRIES)[2] if wants and rng.random() < 0.4 else ""
        wage = 2000 + 500 * int(rng.random() * 13) if wants and rng.random() < 0.6 else None
        place = _choice(rng.random, vocab.WORK_PLACES) if wants and rng.random() < 0.6 else ""
        if entries:
            created = min(e[R["recorded_at"]] for e in entries)
            updated = max(e[R["recorded_at"]] for e in entries)
        else:
            created = updated = self.aware(self._date_between(self.window_start, today - datetime.timedelta(days=1)))
        community = p["community"]
        row = (
            p["id"], id_number, name, sex, p["birth"], self._ethnicity.pick(rng.random), self._phone(), p["hukou_type"],
            p["hukou_place"], community.code, p["address"], p["education"], p["grad"], p["school_type"],
            p["school_name"], p["major"], p["veteran"], p["veteran_kind"], p["disability"], p["grade"], p["dibao"],
            p["poverty"], p["land_lost"], p["released"], p["skills"], p["certificates"], p["able"], p["willing"],
            occupation, industry, wage, place, p["base"], p["retirement"], status, since, employer_id, form,
            created, updated,
        )
        p["row"] = row
        chunk.persons.append(row)
        chunk.registrations.extend(entries)


