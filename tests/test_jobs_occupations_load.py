"""The shipped occupation table: every level present, parents from the codes, missing groups derived."""
from jiuye.jobs.models import Occupation, OccupationSource
from jiuye.jobs.services.occupations import ancestors, load_rows
from tests.jobs_helpers import make_employer, make_vacancy, occupations  # noqa: F401


def test_the_shipped_table_has_every_level_and_derives_missing_groups(occupations):
    counts = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts[1] == 8 and Occupation.objects.filter(is_occupation=True).count() == 1632  # 1,634 rows, 2 listed twice
    assert counts[3] >= 336 and counts[2] >= 72  # the table lists one medium group twice
    welder = Occupation.objects.get(code="6-18-02-04")
    assert welder.name == "焊工" and "氩弧焊工" in welder.aliases
    assert [o.code for o in (welder.parent, welder.parent.parent, welder.parent.parent.parent)] == ancestors("6-18-02-04")
    assert not Occupation.objects.filter(level__gt=1, parent__isnull=True).exists()


def test_an_official_list_names_a_derived_group(occupations):
    derived = Occupation.objects.filter(source=OccupationSource.DERIVED).first()
    if derived is None:
        return
    load_rows([{"code": derived.code, "name": "官方名称"}], source=OccupationSource.OFFICIAL)
    derived.refresh_from_db()
    assert derived.name == "官方名称" and derived.source == OccupationSource.OFFICIAL


def test_a_plain_vacancy_helper(occupations, district_officer):
    vacancy = make_vacancy(make_employer(district_officer))
    assert vacancy.occupation.name == "焊工" and vacancy.open_positions == 2
