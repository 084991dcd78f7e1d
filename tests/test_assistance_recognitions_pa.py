"""就业困难人员认定: the list's 认定有效日期 filter (web list, API list and Excel export agree with each
other and with the fact "recognised on a date") and evidence upload through the API (a writer in scope
uploads; outside the scope the same 404 as a missing act; a refused file or material name says why)."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.accounts.models import AuditEntry
from jiuye.assistance.models import Attachment, Recognition, RecognitionStatus
from jiuye.assistance.queries import recognitions as rq
from jiuye.registry.models import Person

from .test_assistance_recognitions_fact import DAYS, _act, act_strategy, any_status, closed_status, day, moment
from .test_assistance_recognitions_web import acts  # noqa: F401  (fixture)
from .test_lists import last_export, sheet_rows
from .test_web import client_for

D = datetime.date


def _three_lists(c, params):
    web = c.get(reverse("web:recognitions"), params)
    assert web.status_code == 200
    api = c.get("/api/v1/recognitions", params).json()
    rows = sheet_rows(c.get(reverse("web:recognitions"), {**params, "format": "xlsx"}))
    return web, api, rows


def test_an_act_exited_before_the_date_is_not_listed(acts, street_officer):  # noqa: F811
    """王秀英 recognised 1 Feb, exited 1 Apr; 赵桂兰 recognised 1 Mar, open; 钱大伟 only proposed."""
    wang, zhao = (Recognition.objects.get(person=acts[n]) for n in ("王秀英", "赵桂兰"))
    Recognition.objects.filter(pk=wang.pk).update(status=RecognitionStatus.EXITED, valid_from=D(2026, 2, 1),
                                                  decided_at=moment(0, 9), exited_on=D(2026, 4, 1), exited_at=moment(0, 9),
                                                  exit_reason="other")
    Recognition.objects.filter(pk=zhao.pk).update(status=RecognitionStatus.RECOGNISED, valid_from=D(2026, 3, 1),
                                                  decided_at=moment(0, 9))
    c = client_for(street_officer)
    expected = {"2026-01-15": [], "2026-02-15": ["王秀英"], "2026-03-31": ["王秀英", "赵桂兰"],
                "2026-04-01": ["赵桂兰"], "2026-05-01": ["赵桂兰"]}
    for on, names in expected.items():
        params = {"recognised_on": on, "sort": "name"}
        web, api, rows = _three_lists(c, params)
        assert sorted(r["a"].person.name for r in web.context["rows"]) == sorted(names), on
        assert web.context["page"]["total"] == api["count"] == len(rows) - 1 == len(names), on
        assert sorted(i["name"] for i in api["items"]) == sorted(r[0] for r in rows[1:]) == sorted(names), on
    assert "2026-05-01" in str(last_export(street_officer).changes)  # the export records its filter
    page = c.get(reverse("web:recognitions"), {"recognised_on": "2026-05-01"}).content.decode()
    assert "认定有效日期" in page and 'name="recognised_on"' in page
    bad = c.get("/api/v1/recognitions", {"recognised_on": "不是日期"})
    assert bad.status_code == 422


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(st.tuples(st.lists(st.tuples(closed_status, act_strategy), max_size=2),
                                    st.one_of(st.none(), st.tuples(any_status, act_strategy))), min_size=1, max_size=3),
       on_n=DAYS)
def test_web_api_and_export_agree_with_the_fact(make_person, street_officer, histories, on_n):
    with transaction.atomic():
        persons = []
        for closed, last in histories:
            person = make_person(birth="19800101")
            persons.append(person)
            new_acts = [_act(person, status, a) for status, a in closed]
            if last is not None:
                new_acts.append(_act(person, *last))
            Recognition.objects.bulk_create(new_acts)
        on = day(on_n)
        # Only the acts created here (registering people creates none, but be exact):
        mine = Recognition.objects.filter(person__in=persons)
        expected = {a.pk for a in mine if rq._in_force(a, on, None)}
        c = client_for(street_officer)
        web, api, rows = _three_lists(c, {"recognised_on": on.isoformat(), "sort": "applied_on"})
        web_ids = {r["a"].pk for r in web.context["rows"]} & set(mine.values_list("pk", flat=True))
        api_ids = {i["id"] for i in api["items"]} & set(mine.values_list("pk", flat=True))
        assert web_ids == api_ids == expected
        assert web.context["page"]["total"] == api["count"] == len(rows) - 1
        exported = sorted(r[5].date() if isinstance(r[5], datetime.datetime) else r[5] for r in rows[1:])
        assert exported == sorted(a.applied_on for a in mine if a.pk in expected)
        # The persons listed are exactly those recognised on that date (the fact's SQL face).
        listed_persons = set(Recognition.objects.filter(pk__in=expected).values_list("person_id", flat=True))
        fact = set(Person.objects.filter(pk__in=[p.pk for p in persons]).filter(rq.recognised_q(on))
                   .values_list("pk", flat=True))
        assert listed_persons == fact
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Evidence upload through the API


def _pdf(name="身份证.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_api_upload_by_a_writer_in_scope(acts, community_worker):  # noqa: F811
    act = Recognition.objects.get(person=acts["王秀英"])
    c = client_for(community_worker)
    r = c.post(f"/api/v1/recognitions/{act.pk}/evidence", {"file": _pdf(), "kind": "居民身份证"})
    assert r.status_code == 201, r.content.decode()
    item = next(e for e in r.json()["evidence"] if e["name"] == "居民身份证")
    att = Attachment.objects.get(owner_type="recognition", owner_id=act.pk)
    assert item["uploaded"] and item["file_ids"] == [att.pk] and att.original_name == "身份证.pdf"
    assert AuditEntry.objects.filter(actor=community_worker, object_type="recognition", object_id=str(act.pk),
                                     action=AuditEntry.Action.UPDATE, summary__contains="上传认定材料").exists()
    other = c.post(f"/api/v1/recognitions/{act.pk}/evidence", {"file": _pdf("说明.pdf")})  # no kind: other evidence
    assert other.status_code == 201, other.content.decode()
    assert len(other.json()["other_file_ids"]) == 1
    page = c.get(reverse("web:recognition", args=[act.pk])).content.decode()
    assert "身份证.pdf" in page and "说明.pdf" in page


def test_api_upload_outside_scope_is_not_found_like_a_missing_act(acts, other_street_officer):  # noqa: F811
    act = Recognition.objects.get(person=acts["王秀英"])
    c = client_for(other_street_officer)
    outside = c.post(f"/api/v1/recognitions/{act.pk}/evidence", {"file": _pdf()})
    missing = c.post(f"/api/v1/recognitions/{act.pk + 999}/evidence", {"file": _pdf()})
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert not Attachment.objects.filter(owner_type="recognition", owner_id=act.pk).exists()


def test_api_upload_refuses_a_wrong_type_and_an_unknown_kind_with_the_reasons(acts, community_worker):  # noqa: F811
    act = Recognition.objects.get(person=acts["王秀英"])
    c = client_for(community_worker)
    exe = SimpleUploadedFile("证明.exe", b"MZ...", content_type="application/octet-stream")
    r = c.post(f"/api/v1/recognitions/{act.pk}/evidence", {"file": exe, "kind": "火星证"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "证明.exe" in " ".join(detail["files"]) and "不支持的类型" in " ".join(detail["files"])
    assert "火星证" in " ".join(detail["kind"]) and "居民身份证" in " ".join(detail["kind"])  # names the choices
    no_file = c.post(f"/api/v1/recognitions/{act.pk}/evidence", {"kind": "居民身份证"})
    assert no_file.status_code == 422
    assert not Attachment.objects.filter(owner_type="recognition", owner_id=act.pk).exists()
