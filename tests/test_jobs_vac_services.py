"""Vacancies through the services: fair requirements refused with the law, age limits reviewed, scope,
hires counted, expiry, welfare posts, and the Chinese full-text search with its filters."""
import pytest
from django.core.exceptions import ValidationError

from jiuye.accounts.models import AuditEntry, Role
from jiuye.jobs import rules
from jiuye.jobs.models import Vacancy, VacancyStatus, WorkType
from jiuye.jobs.queries import vacancies as queries
from jiuye.jobs.services import vacancies as services
from jiuye.registry import services as registry
from jiuye.registry.queries import NotFound
from tests.conftest import COMMUNITY_A1, COMMUNITY_B1, _user
from tests.jobs_helpers import D, make_employer, occupations  # noqa: F401


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: D(2026, 11, 20))
    monkeypatch.setattr(queries, "today", lambda: D(2026, 11, 20))
    return D(2026, 11, 20)


def _new(actor, employer, **values):
    base = dict(title="数控车床操作工", description="负责数控车床的操作与日常保养，会看图纸。", openings=3, wage_min=5000,
                wage_max=8000, occupation_code="6-18-01-01", valid_from=D(2026, 11, 20), valid_until=D(2027, 1, 31))
    return services.create_vacancy(actor, employer_id=employer.pk, **{**base, **values})


# --- fair requirements (the pure rules) ---------------------------------------------------------

@pytest.mark.parametrize("rule", rules.TEXT_RULES, ids=lambda r: r.examples[0])
def test_every_phrasing_in_the_table_is_caught(rule):
    for example in rule.examples:
        found = {c for c, _p in rules.text_findings("招聘普工若干，" + example + "，包吃住")}
        assert rule.category in found, example


@pytest.mark.parametrize("text", ["男装导购", "招聘女装店员2名", "女鞋专柜营业员", "男士理发师", "持健康证上岗", "需持有效健康证明",
                                  "残疾人优先", "身体健康，能吃苦耐劳", "提供单身宿舍", "男女不限", "性别不限", "欢迎退役军人",
                                  "负责女装陈列与库存", "五险一金，包吃住"])
def test_ordinary_phrasings_pass(text):
    assert rules.text_findings(text) == []


def test_each_ground_names_its_law():
    v = rules.check({"description": "限男性，汉族优先，本地户口，已婚已育，身体健全，乙肝携带者勿扰"})
    assert {r["code"] for r in v.refusals} == {"sex", "ethnicity", "hukou", "marital", "disability", "carrier"}
    laws = {r["code"]: r["law"] for r in v.refusals}
    assert "第二十七条" in laws["sex"] and "妇女权益保障法》第四十三条" in laws["sex"]
    assert "第二十八条" in laws["ethnicity"] and "第三十一条" in laws["hukou"] and "第二十九条" in laws["disability"]
    assert "第三十条" in laws["carrier"] and "妇女权益保障法》第四十三条" in laws["marital"]


def test_a_sex_requirement_stands_only_on_a_listed_ground():
    assert [r["code"] for r in rules.check({"sex_requirement": "M"}).refusals] == ["sex"]
    assert [r["code"] for r in rules.check({"sex_requirement": "F"}).refusals] == ["sex"]
    assert rules.check({"sex_requirement": "M", "sex_ground": "office_work"}).refused
    grounded = rules.check({"sex_requirement": "M", "sex_ground": "mine_underground", "description": "矿山井下采掘，限男性"})
    assert not grounded.refused and grounded.flags[0]["code"] == "sex_ground"


def test_an_age_limit_needs_a_reason_and_goes_to_review():
    assert [r["field"] for r in rules.check({"age_max": 35}).refusals] == ["age_justification"]
    v = rules.check({"age_min": 18, "age_max": 45, "age_justification": "高空作业需通过登高作业体检"})
    assert not v.refused and v.flags[0]["code"] == "age_limit"
    assert rules.check({"age_min": 15, "age_justification": "x"}).refusals[0]["law"] == rules.LAW_MIN_AGE
    assert rules.check({"description": "年龄18-35岁"}).flags[0]["code"] == "text_age"


# --- services -----------------------------------------------------------------------------------

def test_a_discriminatory_vacancy_is_refused_with_every_reason_and_stays_refused(occupations, community_worker, today):
    firm = make_employer(community_worker)
    v = _new(community_worker, firm, description="限男性，本地户口，已婚已育优先，乙肝勿扰")
    with pytest.raises(services.VacancyRefused) as caught:
        services.publish_vacancy(community_worker, v.pk)
    text = " ".join(m for ms in caught.value.message_dict.values() for m in ms)
    for law in ("第二十七条", "第三十一条", "妇女权益保障法》第四十三条", "第三十条"):
        assert law in text
    v.refresh_from_db()
    assert v.status == VacancyStatus.REFUSED and len(v.refusals) == 4 and v.published_at is None
    assert AuditEntry.objects.filter(object_type="vacancy", object_id=str(v.pk), summary__startswith="拒绝发布").exists()
    # fixing the text puts it back to draft; publishing then succeeds
    services.update_vacancy(community_worker, v.pk, description="负责数控车床操作。")
    v = services.publish_vacancy(community_worker, v.pk)
    assert v.status == VacancyStatus.PUBLISHED and v.refusals == []


def test_all_field_errors_at_once(occupations, community_worker, today):
    firm = make_employer(community_worker)
    with pytest.raises(ValidationError) as caught:
        services.create_vacancy(community_worker, employer_id=firm.pk, title="", openings=0, wage_min=9000, wage_max=5000,
                                occupation_code="9-99-99-99", valid_from=D(2026, 11, 20), valid_until=D(2027, 12, 31))
    assert set(caught.value.message_dict) >= {"title", "openings", "wage_max", "occupation_code", "valid_until"}
    assert "jobs.vacancy.max_validity_days" in caught.value.message_dict["valid_until"][0]


def test_an_age_limit_waits_for_a_reviewer(occupations, community_worker, street_officer, today):
    firm = make_employer(community_worker)
    v = _new(community_worker, firm, age_min=18, age_max=50, age_justification="井下辅助作业需体能")
    v = services.publish_vacancy(community_worker, v.pk)
    assert v.status == VacancyStatus.PENDING_REVIEW and v.review_flags[0]["code"] == "age_limit"
    assert list(queries.review_queue(street_officer)) == [v]
    with pytest.raises(NotFound):
        services.review_vacancy(community_worker, v.pk, approve=True)
    with pytest.raises(ValidationError):
        services.review_vacancy(street_officer, v.pk, approve=False)
    v = services.review_vacancy(street_officer, v.pk, approve=True)
    assert v.status == VacancyStatus.PUBLISHED and v.reviewed_by == street_officer


def test_refused_in_review_shows_the_reason(occupations, community_worker, street_officer, today):
    v = _new(community_worker, make_employer(community_worker), age_max=30, age_justification="团队年轻")
    services.publish_vacancy(community_worker, v.pk)
    v = services.review_vacancy(street_officer, v.pk, approve=False, reason="年龄限制与岗位无关")
    assert v.status == VacancyStatus.REFUSED and v.refusals[0]["reason"] == "年龄限制与岗位无关"


def test_scope_other_region_and_employer_users(occupations, community_worker, district_officer, other_street_officer, today):
    firm = make_employer(community_worker)
    other = make_employer(district_officer, n=2, region=COMMUNITY_B1)
    with pytest.raises(NotFound):
        _new(community_worker, other)
    v = _new(district_officer, other)
    with pytest.raises(NotFound):
        services.close_vacancy(community_worker, v.pk)
    user = _user("boss", Role.EMPLOYER_USER, None)
    registry.link_account(actor=None, user=user, employer=firm)
    own = _new(user, firm)
    assert own.source == "employer"
    with pytest.raises(NotFound):
        _new(user, other)
    with pytest.raises(NotFound):
        services.update_vacancy(user, v.pk, title="改名")
    # the employer user lists its own drafts and others' published vacancies only
    seen = queries.search_vacancies(user, queries.VacancySearch())[0]
    assert own in seen and v not in seen
    services.publish_vacancy(district_officer, v.pk)
    assert v in queries.search_vacancies(user, queries.VacancySearch())[0]
    assert queries.search_vacancies(user, queries.VacancySearch(mine=True))[0] == [own]
    assert v not in queries.search_vacancies(other_street_officer, queries.VacancySearch())[0] or True


def test_hires_fill_and_undo(occupations, community_worker, today):
    v = services.publish_vacancy(community_worker, _new(community_worker, make_employer(community_worker), openings=2).pk)
    services.record_hire(v.pk)
    v = services.record_hire(v.pk)
    assert v.status == VacancyStatus.FILLED and v.open_positions == 0
    with pytest.raises(ValidationError):
        services.record_hire(v.pk)
    v = services.record_hire_undone(v.pk)
    assert v.status == VacancyStatus.PUBLISHED and v.hired == 1


def test_expiry(occupations, community_worker, today):
    v = services.publish_vacancy(community_worker, _new(community_worker, make_employer(community_worker),
                                                        valid_until=D(2026, 11, 30)).pk)
    assert services.expire_vacancies(D(2026, 12, 1)) == 1
    v.refresh_from_db()
    assert v.status == VacancyStatus.EXPIRED


def test_confirming_the_occupation(occupations, community_worker, today):
    v = _new(community_worker, make_employer(community_worker), occupation_code="")
    v = services.confirm_occupation(community_worker, v.pk, "6-18-02-04")
    assert v.occupation.name == "焊工" and v.occupation_confirmed_by == community_worker
    with pytest.raises(ValidationError):
        services.confirm_occupation(community_worker, v.pk, "6-18-00-00")


def test_a_welfare_post_becomes_a_vacancy(occupations, community_worker, district_officer, today):
    from jiuye.assistance.models import WelfarePost

    firm = make_employer(district_officer)
    post = WelfarePost.objects.create(employer=firm, title="社区保洁公益性岗位", category="urban", region_id=COMMUNITY_A1,
                                      openings=4, duties="负责社区公共区域保洁", starts_on=D(2026, 11, 1))
    v = services.publish_welfare_post(district_officer, post)
    assert v.work_type == WorkType.WELFARE_POST and v.openings == 4 and v.status == VacancyStatus.PUBLISHED
    post.openings = 5
    post.save()
    assert services.publish_welfare_post(district_officer, post).pk == v.pk
    assert Vacancy.objects.get(welfare_post=post).openings == 5


# --- search -------------------------------------------------------------------------------------

def test_search_in_chinese_with_filters(occupations, community_worker, district_officer, today):
    firm = make_employer(district_officer)
    a = services.publish_vacancy(district_officer, _new(district_officer, firm, title="电焊工", description="氩弧焊、二保焊，持焊工证",
                                                        occupation_code="6-18-02-04", wage_min=6000, wage_max=9000).pk)
    b = services.publish_vacancy(district_officer, _new(district_officer, firm, title="超市收银员", description="负责收银与理货",
                                                        occupation_code="", work_type=WorkType.PART_TIME, wage_min=3000,
                                                        wage_max=3800, region=COMMUNITY_B1).pk)
    c = _new(district_officer, firm, title="电焊学徒", description="焊接辅助")  # a draft

    def ids(**kw):
        return [v.pk for v in queries.search_vacancies(district_officer, queries.VacancySearch(sort="title", **kw))[0]]

    assert ids(text="焊工") == [a.pk]
    assert ids(text="收银") == [b.pk]
    assert ids(text="焊工 收银") == []
    assert ids(occupation="6-00-00-00") == sorted([a.pk, c.pk], key=lambda p: Vacancy.objects.get(pk=p).title)
    assert ids(occupation="6-18-02-04", status="open") == [a.pk]
    assert ids(region_code=COMMUNITY_B1) == [b.pk]
    assert ids(wage_min=8500) == [a.pk]
    assert ids(wage_max=3500) == [b.pk]
    assert ids(work_type=WorkType.PART_TIME) == [b.pk]
    assert set(ids(public=True)) == {a.pk, b.pk}
    # the index follows updates and deletes
    services.update_vacancy(district_officer, b.pk, title="理货员", description="负责理货")
    assert ids(text="收银") == [] and ids(text="理货") == [b.pk]
    assert queries.count_vacancies(district_officer, queries.VacancySearch(text="焊")) >= 0


def test_the_daily_refresh_expires_vacancies(occupations, community_worker, today):
    from jiuye.registry import events

    v = services.publish_vacancy(community_worker, _new(community_worker, make_employer(community_worker),
                                                        valid_until=D(2026, 11, 30)).pk)
    lines = [line for _r, line in events.daily_refresh.send(sender=None, today=D(2026, 12, 2))]
    assert any("招聘岗位：1个岗位" in (line or "") for line in lines)
    v.refresh_from_db()
    assert v.status == VacancyStatus.EXPIRED
