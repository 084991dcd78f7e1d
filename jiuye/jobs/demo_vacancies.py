"""The demo city's vacancies (a step of ``jobs.demo.seed_demo``): about 60 vacancies of Xi'an employers in
新城区, every work type, realistic titles, descriptions and wages, coordinates for some; the demo employer
account's own employer among them; one refused for discriminatory wording, one waiting for review (an age
limit); the open public-welfare posts published as vacancies. Written through the services (an audit
trail, the fair rules, the search index) as the demo district officer; occupation codes from the
suggestions, confirmed for most and left for a person to confirm for a few."""
from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError

#: title, description, wage range, work type, education, experience years
TEMPLATES = [
    ("中式烹调师", "负责陕菜、家常菜热菜制作，熟悉泡馍、葫芦头等西安特色菜品者优先。包吃住，月休四天。", 5000, 8000, "full_time", "", 2),
    ("面点师", "负责肉夹馍、凉皮、油泼面等面食制作，提供工作餐。", 4500, 6500, "full_time", "", 1),
    ("餐厅服务员", "负责点餐、传菜、餐台整理，回民街门店，轮班制，包工作餐。", 3500, 4500, "full_time", "", 0),
    ("收银员", "超市收银与理货，熟练使用收银系统，五险一金。", 3600, 4300, "full_time", "senior", 0),
    ("理货员", "负责商品上架、盘点和库存整理，夜班有补贴。", 3800, 4800, "full_time", "", 0),
    ("仓库管理员", "负责电商仓库出入库登记、盘点，会用Excel。", 4500, 6000, "full_time", "senior", 1),
    ("快递员", "负责新城区片区快递收派，多劳多得，公司提供电动车。", 6000, 10000, "full_time", "", 0),
    ("网约配送员", "外卖配送，时间自由，日结可选。", 5000, 9000, "part_time", "", 0),
    ("保安员", "负责小区门岗值守、巡逻，持保安员证优先，提供住宿。", 3500, 4200, "full_time", "", 0),
    ("保洁员", "负责写字楼公共区域保洁，周末双休。", 2800, 3300, "full_time", "", 0),
    ("家政服务员", "提供上门保洁、做饭服务，公司统一培训。", 4500, 7000, "full_time", "", 0),
    ("育婴员", "照护0—3岁婴幼儿，持育婴员证书，住家或白班可选。", 6000, 9000, "full_time", "junior", 1),
    ("养老护理员", "在养老机构照护老人，提供护理培训并协助考证，包吃住。", 4200, 5500, "full_time", "", 0),
    ("电工", "负责商业综合体配电设备巡检维修，持低压电工作业证。", 6000, 8500, "full_time", "vocational", 2),
    ("电焊工", "钢结构焊接，熟练二保焊、氩弧焊，持焊工证，计件工资。", 7000, 11000, "full_time", "", 3),
    ("数控车床操作工", "负责数控车床操作与日常保养，能看懂机械图纸。", 6000, 9000, "full_time", "vocational", 1),
    ("汽车维修工", "负责汽车保养、机电维修，有4S店经验者优先。", 5500, 9000, "full_time", "vocational", 2),
    ("叉车司机", "物流园区叉车作业，持叉车证。", 5000, 6500, "full_time", "", 1),
    ("货车司机", "同城配送，持B2及以上驾照，熟悉西安路况。", 7000, 9500, "full_time", "", 3),
    ("网约车司机", "合作运营，车辆由公司提供，收入按流水分成。", 6000, 12000, "part_time", "", 1),
    ("客服专员", "负责电话和线上客户咨询与回访，普通话标准，提供岗前培训。", 4000, 5500, "full_time", "college", 0),
    ("电话销售", "负责教育课程电话邀约与销售，底薪加提成。", 4000, 9000, "full_time", "senior", 0),
    ("房产经纪人", "负责新城区二手房租售，底薪加高提成，带薪培训。", 4000, 15000, "full_time", "senior", 0),
    ("会计", "负责公司账务处理、纳税申报，持初级会计职称。", 5500, 8000, "full_time", "college", 2),
    ("出纳", "负责现金、银行账户管理及报销审核。", 4500, 6000, "full_time", "college", 1),
    ("行政文员", "负责文件收发、会议安排和办公用品管理，熟练使用办公软件。", 4000, 5000, "full_time", "college", 0),
    ("人力资源专员", "负责招聘、入离职办理和社保公积金业务。", 5000, 7000, "full_time", "bachelor", 1),
    ("软件开发工程师", "参与政务信息系统后端开发，熟悉Python或Java，了解数据库。", 9000, 16000, "full_time", "bachelor", 2),
    ("前端开发工程师", "负责Web与小程序前端开发，熟悉Vue。", 8000, 14000, "full_time", "bachelor", 2),
    ("网络运维工程师", "负责机房与网络设备运维，有值班。", 7000, 11000, "full_time", "college", 2),
    ("平面设计师", "负责海报、包装设计，熟练使用PS、AI。", 5000, 8000, "full_time", "college", 1),
    ("直播带货主播", "负责陕西特产直播销售，有直播经验者优先，底薪加提成。", 5000, 12000, "full_time", "", 0),
    ("短视频运营", "负责抖音、视频号账号运营与剪辑。", 5000, 8000, "full_time", "college", 1),
    ("幼儿园教师", "持幼儿园教师资格证，负责班级保教工作，寒暑假带薪。", 4500, 6000, "full_time", "college", 0),
    ("课外辅导教师", "负责初中数学、英语课后辅导，周末及晚间授课。", 3000, 6000, "part_time", "bachelor", 0),
    ("护士", "民营医院病房护理，持护士执业证书，倒班。", 5500, 8000, "full_time", "college", 1),
    ("药店营业员", "负责药品销售与陈列，有药学背景者优先。", 4000, 5500, "full_time", "vocational", 0),
    ("美容师", "负责面部护理、美容项目操作，提供系统培训。", 4500, 9000, "full_time", "", 0),
    ("美发师", "负责剪发、烫染，有两年以上经验，底薪加提成。", 5000, 10000, "full_time", "", 2),
    ("导游", "负责大雁塔、兵马俑、城墙线路讲解，持导游证。", 5000, 9000, "full_time", "college", 1),
    ("酒店前台接待", "负责入住登记、退房结算和客人咨询，三班倒。", 4000, 5000, "full_time", "senior", 0),
    ("客房服务员", "负责客房清洁与布草更换，包吃住。", 3500, 4300, "full_time", "", 0),
    ("物业管理员", "负责小区物业费收缴、报修受理和业主沟通。", 4500, 5500, "full_time", "college", 1),
    ("水电维修工", "负责小区水电日常维修，持电工证优先。", 5000, 6500, "full_time", "", 2),
    ("绿化工", "负责园区绿化养护、修剪浇灌。", 3200, 3800, "full_time", "", 0),
    ("装配工", "电子产品流水线装配，两班倒，包吃住，加班有加班费。", 4500, 6500, "full_time", "", 0),
    ("质检员", "负责产品来料与成品检验，做好检验记录。", 4500, 6000, "full_time", "senior", 1),
    ("缝纫工", "服装加工厂平车工，计件工资。", 4500, 7500, "full_time", "", 1),
    ("店长", "负责连锁便利店日常经营管理和排班。", 6000, 9000, "full_time", "college", 3),
    ("奶茶店店员", "负责饮品制作与收银，可兼职，小时工计薪。", 2500, 4000, "part_time", "", 0),
    ("超市促销员", "周末及节假日促销，日结。", 150, 200, "gig", "", 0),
    ("搬家工", "单次搬家任务，当日结算。", 200, 300, "gig", "", 0),
    ("展会临时工作人员", "负责展会布展、引导，按天计薪。", 180, 250, "gig", "", 0),
    ("行政管理见习生", "面向离校未就业高校毕业生的就业见习岗位，见习期6个月，发放见习补贴。", 2500, 3000, "internship", "college", 0),
    ("财务见习生", "就业见习岗位，见习期内有带教老师，见习期满择优留用。", 2500, 3200, "internship", "college", 0),
    ("软件测试见习生", "就业见习岗位，参与系统测试与缺陷记录。", 3000, 3500, "internship", "bachelor", 0),
]

#: (title, description, age_max, age_justification) — waits for review
REVIEW = ("高空外墙清洗工", "负责高层建筑外墙清洗，须通过登高作业体检，提供安全培训和保险。", 50,
          "高处作业须符合《高处作业分级》及特种作业人员体检要求")
#: discriminatory wording — refused, with the reasons on its page
REFUSED = ("前台接待", "限女性，本地户口，已婚已育，身高160以上，形象气质佳。")

#: coordinates of a few places in 新城区 (for vacancies with a map point)
PLACES = [(34.2670, 108.9530, "解放路"), (34.2703, 108.9605, "长乐中路"), (34.2617, 108.9640, "东关正街"),
          (34.2765, 108.9712, "韩森寨"), (34.2588, 108.9802, "胡家庙")]


def seed(today: datetime.date) -> str:
    from jiuye.accounts.models import User
    from jiuye.assistance.models import PostStatus, WelfarePost
    from jiuye.jobs.models import Vacancy
    from jiuye.jobs.services import vacancies as services
    from jiuye.jobs.services.occupations import suggest_occupations
    from jiuye.registry.models import Employer
    from jiuye.registry.queries import linked_employer_id

    officer = User.objects.filter(username="demo_district").first()
    if officer is None or Vacancy.objects.exists():
        return ""
    rng = random.Random(2026)
    prefix = (officer.region_id or "610102")[:6]
    employers = list(Employer.objects.filter(region__code__startswith=prefix).order_by("pk")[:40])
    own = User.objects.filter(username="demo_employer").first()
    own_id = linked_employer_id(own) if own else None
    if own_id and not any(e.pk == own_id for e in employers):
        employers = [Employer.objects.get(pk=own_id), *employers]
    if not employers:
        return ""
    published = refused = review = unconfirmed = 0
    until = today + datetime.timedelta(days=90)
    for i, (title, description, low, high, work_type, education, years) in enumerate(TEMPLATES):
        employer = Employer.objects.get(pk=own_id) if own_id and i % 12 == 0 else employers[i % len(employers)]
        suggestion = suggest_occupations(title, description, limit=1)
        code = suggestion[0]["code"] if suggestion and i % 9 else ""
        lat, lon, street = PLACES[i % len(PLACES)] if i % 3 == 0 else (None, None, "")
        values = dict(title=title, description=description, wage_min=low, wage_max=high, work_type=work_type,
                      education_min=education, experience_years=years, openings=rng.choice([1, 1, 2, 2, 3, 5, 10]),
                      occupation_code=code, valid_from=today - datetime.timedelta(days=rng.randint(0, 20)),
                      valid_until=until, region=employer.region_id, address=f"新城区{street}" if street else "",
                      latitude=lat, longitude=lon, contact_name="招聘负责人", hours="8:30—17:30" if work_type == "full_time" else "")
        try:
            services.create_vacancy(officer, employer_id=employer.pk, publish=True, **values)
            published += 1
            unconfirmed += 0 if code else 1
        except ValidationError:
            continue
    employer = employers[1 % len(employers)]
    v = services.create_vacancy(officer, employer_id=employer.pk, title=REVIEW[0], description=REVIEW[1], openings=4,
                                wage_min=7000, wage_max=10000, age_min=18, age_max=REVIEW[2], age_justification=REVIEW[3],
                                valid_until=until, region=employer.region_id)
    services.publish_vacancy(officer, v.pk)
    review += 1
    v = services.create_vacancy(officer, employer_id=employer.pk, title=REFUSED[0], description=REFUSED[1], openings=1,
                                wage_min=4000, wage_max=5000, valid_until=until, region=employer.region_id)
    try:
        services.publish_vacancy(officer, v.pk)
    except services.VacancyRefused:
        refused += 1
    posts = 0
    for post in WelfarePost.objects.filter(status=PostStatus.OPEN, region__code__startswith=prefix).order_by("pk")[:15]:
        try:
            services.publish_welfare_post(officer, post)
            posts += 1
        except ValidationError:
            continue
    pool = _pool(today)
    surveys, lines = _surveys(today, employers, officer, rng)
    return (f"招聘岗位：发布{published}个（其中{unconfirmed}个职业代码待确认），公益性岗位{posts}个，"
            f"待审核{review}个，拒绝发布{refused}个；用工需求调查{surveys}家{lines}条；人力资源储备池{pool}人")


def _surveys(today: datetime.date, employers, officer, rng) -> tuple[int, int]:
    """This quarter's demand survey of up to 12 employers, 1–4 lines each (bulk: the demo's history)."""
    from jiuye.jobs.models import DemandLine, DemandSurvey, Occupation

    period = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    occupations = {o.name: o for o in Occupation.objects.filter(is_occupation=True, name__in=[t[0] for t in TEMPLATES])}
    n_lines = 0
    surveys = 0
    for employer in employers[:12]:
        survey, created = DemandSurvey.objects.get_or_create(
            employer=employer, period=period,
            defaults=dict(surveyed_on=today - datetime.timedelta(days=rng.randint(1, 20)), region_id=employer.region_id,
                          employees=rng.randint(20, 800), leavers=rng.randint(0, 30), joiners=rng.randint(0, 40),
                          recorded_by=officer))
        if not created:
            continue
        surveys += 1
        lines = []
        for title, _d, low, high, work_type, education, _y in rng.sample(TEMPLATES, rng.randint(1, 4)):
            lines.append(DemandLine(survey=survey, occupation=occupations.get(title), title=title, headcount=rng.randint(1, 15),
                                    wage_min=low, wage_max=high, education_min=education, work_type=work_type,
                                    needed_by=today + datetime.timedelta(days=rng.randint(15, 90)), urgent=rng.random() < 0.3))
        DemandLine.objects.bulk_create(lines)
        n_lines += len(lines)
    return surveys, n_lines


def _pool(today: datetime.date) -> int:
    """The pool from the last half year's registrations (the demo city was written in bulk, without events)."""
    from jiuye.jobs.models import PoolStatus, TalentPoolEntry
    from jiuye.jobs.services.pool import on_registrations
    from jiuye.registry.models import Registration

    ids = list(Registration.objects.filter(effective_date__gte=today - datetime.timedelta(days=183))
               .order_by("effective_date", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        on_registrations(ids[start:start + 5000])
    return TalentPoolEntry.objects.filter(status=PoolStatus.ACTIVE).count()
