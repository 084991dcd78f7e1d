"""The public-welfare post ledger of a relocation community names the post and its subsidy from the
posts catalogue (queries.ledgers.post_details joins the placement by its employment registration)."""
import datetime
from decimal import Decimal

from django.utils import timezone

from jiuye.assistance.queries import ledgers
from jiuye.assistance.services import posts, relocation
from jiuye.registry import services as registry
from tests.conftest import COMMUNITY_A1
from tests.test_assistance_posts import employer, post_factory, recognise, unemployed  # noqa: F401  (fixtures)


def test_the_post_ledger_names_the_post_and_its_subsidy(district_officer, post_factory, unemployed):  # noqa: F811
    relocation.flag_community(actor=district_officer, region=COMMUNITY_A1, project_name="安置点",
                              since=datetime.date(2019, 6, 1))
    post = post_factory(title="社区保洁", monthly_subsidy=Decimal("1950"))
    person = unemployed()
    today = timezone.localdate()
    posts.place(actor=district_officer, post=post, person=person, started_on=today)
    # A 公益性岗位 registration made outside the catalogue (an old ledger) has no post: "—".
    other = unemployed()
    registry.register_employment(actor=district_officer, person=other, effective_date=today,
                                 employment_form="public_welfare", employer=post.employer)
    rows, _more = ledgers.search_ledger(district_officer, ledgers.LedgerSearch(ledger=ledgers.POSTS, region_code=COMMUNITY_A1))
    by_person = {row.person.pk: row for row in rows}
    assert by_person[person.pk].post.post_name == "社区保洁"
    assert by_person[person.pk].post.subsidy == Decimal("1950")
    assert by_person[other.pk].post is None or not by_person[other.pk].post.post_name
