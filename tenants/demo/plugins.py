"""Demo seeder: the domain plugins' data for the demo tenants that enabled them.

Runs inside the demo tenant's transaction with the tenant bound and no guard (trusted code), through
the plugins' services. Deliberately imperfect like the core seed: a village committee without young
cadres, a first secretary whose term ends soon, a demonstration without members, checklist items not
yet met, a venue missing its video conferencing set, a party group led below section-chief rank.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.models import Activity, Member, Tenant
from core.models.member import CURRENT_MEMBER_STATUSES


async def seed_plugins(tenant: Tenant, world: Any) -> list[str]:
    """Plugin data for each plugin the demo tenant enabled."""
    lines: list[str] = []
    for name, seeder in (
        ("rural", _rural),
        ("enterprise", _enterprise),
        ("newspaper", _newspaper),
        ("foreign_affairs", _foreign_affairs),
    ):
        if name in (tenant.enabled_plugins or ()):
            lines.append(f"{tenant.slug}: {await seeder(world)}")
    return lines


def _current(members: list[Member]) -> list[Member]:
    return [m for m in members if m.status in CURRENT_MEMBER_STATUSES]


def _born(today: dt.date, age: int, days: int = 40) -> dt.date:
    return today.replace(month=1, day=1) - dt.timedelta(days=age * 365 + days)


async def _rural(world: Any) -> str:
    from plugins.rural import services
    from plugins.rural.models import CommitteeBody

    today = world.today
    villages = {
        "dongling-1": ("上东岭", 86, "党员王家院坝"),
        "dongling-2": ("下东岭", 64, "村民活动中心"),
        "dongling-3": ("茶园坞", 41, "茶农合作社"),
        "nanping-1": ("南坪", 58, "党员李家堂屋"),
    }
    grids = 0
    for key, (village, households, site) in villages.items():
        if f"org:{key}" in world:
            await services.register_grid(
                world.org(key), natural_village=village, households=households, activity_site=site
            )
            grids += 1
            for member in world.members(key):
                member.extra = {**(member.extra or {}), "natural_village": village}
                await member.save(update_fields=["extra"])
    secretaries = (
        ("xihe", "周振华", "县农业农村局", "县", today - dt.timedelta(days=400), None),
        (
            "beishan",
            "陈思远",
            "市发展和改革委员会",
            "市",
            today - dt.timedelta(days=700),
            today + dt.timedelta(days=30),
        ),
    )
    for key, name, agency, level, starts, ends in secretaries:
        await services.appoint_first_secretary(
            world.org(key),
            name=name,
            dispatching_agency=agency,
            agency_level=level,
            starts_on=starts,
            ends_on=ends,
            phone="",
        )
    # (village, name, body, post, age, capable local, returned talent)
    cadres = (
        ("dongling", "王建国", CommitteeBody.BOTH, "书记兼主任", 48, True, False),
        ("dongling", "李晓燕", CommitteeBody.PARTY, "副书记", 32, False, True),
        ("dongling", "张伟", CommitteeBody.VILLAGERS, "委员", 29, True, True),
        ("dongling", "赵德明", CommitteeBody.VILLAGERS, "委员", 55, True, False),
        ("xihe", "刘长青", CommitteeBody.BOTH, "书记兼主任", 51, True, False),
        ("xihe", "孙丽", CommitteeBody.PARTY, "委员", 33, False, False),
        ("xihe", "吴海", CommitteeBody.VILLAGERS, "委员", 46, False, False),
        ("nanping", "郑国强", CommitteeBody.BOTH, "书记兼主任", 44, True, True),
        ("nanping", "钱芳", CommitteeBody.VILLAGERS, "委员", 38, False, False),
        ("beishan", "冯志刚", CommitteeBody.BOTH, "书记兼主任", 61, False, False),
        ("beishan", "陈桂英", CommitteeBody.VILLAGERS, "委员", 57, False, False),
    )
    for key, name, body, post, age, capable, returned in cadres:
        await services.add_village_cadre(
            world.org(key),
            name=name,
            body=body,
            post=post,
            birth_date=_born(today, age),
            education="高中",
            capable_local=capable,
            returned_talent=returned,
            started_on=today - dt.timedelta(days=900),
            member_id=None,
        )
    return f"农村插件 — {grids} 个网格党小组, {len(secretaries)} 名第一书记, {len(cadres)} 名村两委成员"


async def _enterprise(world: Any) -> str:
    from plugins.enterprise import services
    from plugins.enterprise.models import BenchmarkStatus, DemonstrationKind

    year = world.today.year
    await services.set_benchmark(world.org("workshop1"), year, BenchmarkStatus.APPLYING, "", None)
    await services.set_benchmark(
        world.org("workshop1"), year, BenchmarkStatus.DESIGNATED, "公司党委认定", world.today
    )
    await services.set_benchmark(world.org("rnd"), year, BenchmarkStatus.APPLYING, "申报创建", None)
    demos = (
        ("workshop1", DemonstrationKind.POST, "数控加工党员示范岗", "一次交检合格率99%以上", "降本增效", 3),
        ("workshop2", DemonstrationKind.ZONE, "安全生产党员示范区", "全年零事故", "安全生产", 2),
        ("rnd", DemonstrationKind.FIELD, "技术攻关党员示范田", "完成两项关键技术攻关", "新产品研发", 3),
        ("marketing", DemonstrationKind.SHOP, "客户服务党员示范店", "客户满意度95%以上", "市场拓展", 0),
    )
    participants = 0
    for key, kind, name, commitment, goal, people in demos:
        demo = await services.create_demonstration(
            world.org(key),
            kind=kind,
            name=name,
            year=year,
            commitment=commitment,
            business_goal=goal,
            established_on=world.today - dt.timedelta(days=200),
        )
        for member in _current(world.members(key))[:people]:
            await services.add_participant(demo, member.id, f"在{name}岗位上{commitment}")
            participants += 1
    items = (
        ("workshop1", "党员攻坚降本增效", "制造成本降低额", "万元", "120", "131.5", True),
        ("rnd", "党员科技创新突击队", "发明专利申请数", "件", "10", "7", True),
        ("marketing", "党建引领市场开拓", "新签合同额", "万元", "5000", None, False),
    )
    for key, title, metric, unit, target, actual, tied in items:
        item = await services.record_item(
            world.org(key),
            year=year,
            title=title,
            business_metric=metric,
            unit=unit,
            target_value=Decimal(target),
            tied_to_performance_pay=tied,
        )
        if actual is not None:
            await services.record_result(item.id, Decimal(actual))
    return (
        f"企业插件 — 1 个标杆党支部, {len(demos)} 个党员示范项目（{participants} 名党员践诺）, "
        f"{len(items)} 个党建+业务项目"
    )


async def _newspaper(world: Any) -> str:
    from plugins.newspaper import services
    from plugins.newspaper.checklist import ITEMS
    from plugins.newspaper.models import EmergencyTeam, ItemStatus

    year = world.today.year
    gaps = {
        "editorial": {"N06": "党课记录不全", "N16": "社交媒体账号登记未全覆盖"},
        "newmedia": {"N03": "党小组未划分"},
    }
    assessed = 0
    for key, shortfalls in gaps.items():
        for item in ITEMS:
            note = shortfalls.get(item.code, "")
            status = ItemStatus.PARTIAL if note else ItemStatus.MET
            await services.assess_item(
                world.org(key), year=year, item_code=item.code, status=status, evidence=note, by="演示数据"
            )
            assessed += 1
    overseas = world.org("overseas")
    await services.mark_overseas_bureau(
        overseas,
        bureau_name="驻外记者站",
        country="瑞士",
        city="日内瓦",
        embassy_party_organization=(overseas.extra or {}).get("embassy_party_organization", "驻外使馆党委"),
    )
    flood = world.org("flood")
    await EmergencyTeam.create(
        name=flood.temporary_body or "防汛抢险应急报道组",
        event="特大暴雨洪涝灾害",
        approved_by="编委会",
        approved_on=world.today - dt.timedelta(days=20),
        temporary_branch_id=flood.id,
    )
    accounts = 0
    for member, (platform, handle) in zip(
        _current(world.members("newmedia")),
        (("微博", "jiangcheng_news_li"), ("抖音", "jcrb_video"), ("微信", "jcrb_reporter_wang")),
        strict=False,
    ):
        await services.register_account(
            member, platform=platform, handle=handle, registered_on=world.today - dt.timedelta(days=90)
        )
        accounts += 1
    return f"报社插件 — {assessed} 条对标记录, 1 个海外记者站, 1 支应急报道队, {accounts} 个社交媒体账号"


async def _foreign_affairs(world: Any) -> str:
    from core.models import Organization
    from plugins.foreign_affairs import services
    from plugins.foreign_affairs.models import MassOrganizationKind

    office = world.org("office")
    await services.record_venue(
        office,
        [
            "activity_room",
            "party_office",
            "conference_table",
            "computer",
            "air_conditioning",
            "bookcase",
            "record_books",
        ],
        world.today - dt.timedelta(days=30),
        "会议电视待配备",
    )
    for kind, name, head, count in (
        (MassOrganizationKind.TRADE_UNION, "市外事办工会", "综合处处长", 46),
        (MassOrganizationKind.WOMEN_GROUP, "市外事办妇女小组", "亚非处副处长", 21),
        (MassOrganizationKind.YOUTH_LEAGUE, "市外事办团支部", "礼宾处科员", 12),
    ):
        await services.register_mass_organization(
            office, kind=kind, name=name, head_name=head, member_count=count, established_on=None
        )
    ranks = ("正科级", "正科级", "正科级", "副科级")
    groups = await Organization.filter(parent_id=office.id, kind="PARTY_GROUP").order_by("id")
    for group, rank in zip(groups, ranks, strict=False):
        if group.leader_id is None:
            continue
        leader = await Member.get(id=group.leader_id)
        leader.extra = {**(leader.extra or {}), "rank": rank}
        await leader.save(update_fields=["extra"])
    # the office's key dates for patriotic education (重要节点, tenant config)
    from core.tenant_config import update_config

    await update_config(
        world.tenant,
        {
            "foreign_affairs": {
                "patriotic_education_dates": [
                    {"date": "07-01", "name": "建党纪念日"},
                    {"date": "09-30", "name": "烈士纪念日"},
                    {"date": "12-13", "name": "国家公祭日"},
                ]
            }
        },
        by="演示数据",
    )
    # 五个一 in the last three months (one month without its flag raising)
    rows: list[Activity] = []
    today = world.today
    for back in range(1, 4):
        first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        for _ in range(back - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        rows.append(
            Activity(
                organization_id=office.id,
                kind="MONTHLY_THEORY_SESSION",
                held_on=first + dt.timedelta(days=4),
                topic="每月一理论讲习",
            )
        )
        if back != 2:
            rows.append(
                Activity(
                    organization_id=office.id,
                    kind="MONTHLY_FLAG_RAISING",
                    held_on=first,
                    topic="每月一升旗仪式",
                )
            )
        for week in range(4):
            rows.append(
                Activity(
                    organization_id=office.id,
                    kind="WEEKLY_SPORTS",
                    held_on=first + dt.timedelta(days=2 + 7 * week),
                    topic="每周一文体活动",
                )
            )
    rows.append(
        Activity(
            organization_id=office.id,
            kind="PATRIOTIC_EDUCATION",
            held_on=dt.date(today.year - 1, 12, 13),
            topic="国家公祭日爱国主义教育",
        )
    )
    rows.append(
        Activity(
            organization_id=office.id,
            kind="MASS_JOINT_ACTIVITY",
            held_on=today - dt.timedelta(days=20),
            topic="党群共建：工会、团支部联合读书会",
        )
    )
    await Activity.bulk_create(rows)
    return f"外事办插件 — 两专六有 7/8 项, 3 个群团组织, {len(rows)} 次五个一活动"
