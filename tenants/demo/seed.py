"""Seed the four demo tenants: realistic trees, rosters, committees and a year of activities.

``seed_demo()`` is idempotent: a tenant whose slug exists is skipped. Each tenant is seeded in one
transaction with its tenant bound: first the core seed (organizations through the organization
service, members and activities with ``bulk_create``), then every entry of :data:`SEEDERS`
(``async def seeder(tenant, world) -> list[str]``; other modules add theirs with one line).

The data are deterministic (``random.Random`` seeded per tenant; dates relative to today) and
deliberately imperfect so the rules have something to find: branches over 20 members without party
groups, branches with fewer than 3 full members, vacant committee seats, a term about to expire,
themed party days under 80% attendance and months without the required meetings.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from core.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Member,
    MemberCategoryAssignment,
    MemberStatus,
    Organization,
    SeatSource,
    Tenant,
)
from core.services import committees, organizations
from core.services.members import id_number_check_digit
from core.services.tenants import create_tenant
from core.tenancy import platform_scope, tenant_scope
from core.tenant_config import effective_config

Seeder = Callable[[Tenant, "DemoWorld"], Awaitable[list[str]]]

#: Seeders run for every demo tenant after the core seed: callables or ``"module:function"`` names
#: (names are imported lazily, so a seeder module may import this one). Add yours with one line.
SEEDERS: list[Seeder | str] = [
    "tenants.demo.users:seed_users",
    "tenants.demo.rectification:seed_rectification",
    "tenants.demo.lifecycle:seed_lifecycle",
    "tenants.demo.dues:seed_dues",
    "tenants.demo.plugins:seed_plugins",
    "tenants.demo.standards_work:seed_standards_work",
    "tenants.demo.standards:seed_standards",
]


class DemoWorld(dict):
    """What the core seed created for one tenant, by key.

    Keys: ``org:<key>`` (an :class:`Organization`), ``members:<key>`` (the roster of a branch or
    a party group's members, list of :class:`Member`), ``secretary:<key>`` (the secretary, a
    :class:`Member`). Attributes: ``tenant``, ``spec`` (the demo definition), ``today``, ``rng``.
    """

    def __init__(self, tenant: Tenant, spec: DemoTenant, today: dt.date):
        super().__init__()
        self.tenant = tenant
        self.spec = spec
        self.today = today
        self.rng = random.Random(f"{spec.slug}-extra")

    def org(self, key: str) -> Organization:
        return self[f"org:{key}"]

    def members(self, key: str) -> list[Member]:
        return self.get(f"members:{key}", [])

    def orgs(self, kind: str | None = None) -> list[Organization]:
        return [v for k, v in self.items() if k.startswith("org:") and (kind is None or v.kind == kind)]

    def all_members(self) -> list[Member]:
        seen: dict[int, Member] = {}
        for key, value in self.items():
            if key.startswith("members:"):
                for m in value:
                    seen.setdefault(m.id, m)
        return list(seen.values())


@dataclass
class DemoOrg:
    """One organization of a demo tree and how its roster and life look."""

    key: str
    kind: str
    name: str
    parent: str | None = None
    #: roster size: full members, probationary, people in development (applicants … candidates)
    full: int = 0
    probationary: int = 0
    developing: int = 0
    groups: tuple[tuple[str, str], ...] = ()  # (key, name) of party groups; leaders are section chiefs
    covered_units: tuple[str, ...] = ()
    temporary_body: str | None = None
    categories: tuple[tuple[str, float], ...] = ()  # (category, share of the roster)
    themed_day_rate: float = 0.92  # typical presence at themed party days
    missing_months: tuple[int, ...] = ()  # months (1-12) without themed day / committee meeting
    vacant_roles: tuple[str, ...] = ()
    term_started_years_ago: float = 1.0
    sector: str | None = None  # core.registry.ORGANIZATION_SECTORS (VILLAGE … serve 5-year terms)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DemoTenant:
    slug: str
    name: str
    domain: str
    plugins: tuple[str, ...]
    scoring: str
    region: str  # first 6 digits of the ID numbers
    tree: tuple[DemoOrg, ...]


DEMO_TENANTS: tuple[DemoTenant, ...] = (
    DemoTenant(
        "demo-rural",
        "青山镇党委（演示）",
        "rural",
        ("rural",),
        "rural",
        "330127",
        (
            DemoOrg(
                "town", "PARTY_COMMITTEE", "中共青山镇委员会", term_started_years_ago=2.5, sector="TOWNSHIP"
            ),
            # the township's agency branch serves 3 years, the village organizations 5
            DemoOrg("agency", "BRANCH", "青山镇机关党支部", "town", full=11, probationary=1, sector="AGENCY"),
            DemoOrg(
                "dongling",
                "BRANCH",
                "东岭村党支部",
                "town",
                sector="VILLAGE",
                full=22,
                probationary=2,
                developing=3,
                groups=(
                    ("dongling-1", "上东岭网格党小组"),
                    ("dongling-2", "下东岭网格党小组"),
                    ("dongling-3", "茶园坞网格党小组"),
                ),
                categories=(("RETIRED", 0.2), ("FLOATING", 0.1)),
            ),
            DemoOrg(
                "xihe",
                "BRANCH",
                "西河村党支部",
                "town",
                sector="VILLAGE",
                full=20,
                probationary=1,
                developing=2,
                categories=(("FLOATING", 0.2),),
                themed_day_rate=0.68,
                missing_months=(2, 7, 8),
                term_started_years_ago=4.8,  # the 5-year term ends within 6 months
            ),
            DemoOrg(
                "nanping",
                "BRANCH",
                "南坪村党支部",
                "town",
                sector="VILLAGE",
                full=8,
                probationary=1,
                groups=(("nanping-1", "南坪网格党小组"),),
                vacant_roles=("PUBLICITY",),
            ),
            DemoOrg(
                "beishan",
                "BRANCH",
                "北山村党支部",
                "town",
                sector="VILLAGE",
                full=2,
                probationary=1,
                developing=1,
                categories=(("RETIRED", 0.5),),
                themed_day_rate=0.75,
                missing_months=(1, 4, 5, 9, 10),
            ),
            DemoOrg(
                "joint",
                "JOINT_BRANCH",
                "青山镇非公企业联合党支部",
                "town",
                sector="PRIVATE_ENTERPRISE",
                full=6,
                covered_units=("青山农机专业合作社", "绿源茶业有限公司", "青山物流有限公司"),
            ),
        ),
    ),
    DemoTenant(
        "demo-enterprise",
        "华能装备集团党委（演示）",
        "enterprise",
        ("enterprise",),
        "enterprise",
        "440305",
        (
            DemoOrg("group", "PARTY_COMMITTEE", "中共华能装备集团有限公司委员会", term_started_years_ago=4.6),
            DemoOrg("manufacturing", "GENERAL_BRANCH", "制造中心党总支", "group", term_started_years_ago=1.5),
            DemoOrg(
                "workshop1",
                "BRANCH",
                "一车间党支部",
                "manufacturing",
                full=21,
                probationary=2,
                developing=2,
                groups=(("workshop1-a", "甲班党小组"), ("workshop1-b", "乙班党小组")),
                categories=(("DISPATCHED_LABOUR", 0.15),),
            ),
            DemoOrg(
                "workshop2",
                "BRANCH",
                "二车间党支部",
                "manufacturing",
                full=13,
                probationary=1,
                categories=(("DISPATCHED_LABOUR", 0.25),),
                themed_day_rate=0.7,
                missing_months=(3, 11),
            ),
            DemoOrg("rnd", "BRANCH", "研发中心党支部", "group", full=16, probationary=2, developing=2),
            DemoOrg(
                "marketing",
                "BRANCH",
                "市场营销部党支部",
                "group",
                full=7,
                vacant_roles=("ORGANIZATION",),
                term_started_years_ago=2.85,
            ),
            DemoOrg(
                "finance", "BRANCH", "财务审计部党支部", "group", full=2, probationary=1, missing_months=(6,)
            ),
            DemoOrg(
                "logistics",
                "JOINT_BRANCH",
                "后勤保障联合党支部",
                "group",
                full=7,
                covered_units=("综合办公室", "行政后勤部", "安全环保部"),
                categories=(("RETIRED", 0.15),),
            ),
        ),
    ),
    DemoTenant(
        "demo-newspaper",
        "江城日报社党委（演示）",
        "newspaper",
        ("newspaper",),
        "newspaper",
        "420106",
        (
            DemoOrg("paper", "PARTY_COMMITTEE", "中共江城日报社委员会", term_started_years_ago=3.2),
            DemoOrg(
                "editorial",
                "BRANCH",
                "编辑中心党支部",
                "paper",
                full=20,
                probationary=2,
                developing=1,
                groups=(("editorial-news", "要闻部党小组"), ("editorial-features", "专副刊部党小组")),
            ),
            DemoOrg("newmedia", "BRANCH", "新媒体中心党支部", "paper", full=11, probationary=2, developing=2),
            DemoOrg("business", "BRANCH", "经营管理部党支部", "paper", full=8, themed_day_rate=0.72),
            DemoOrg(
                "overseas",
                "BRANCH",
                "驻外记者站党支部",
                "paper",
                full=4,
                categories=(("WORKING_ABROAD", 1.0),),
                missing_months=(1, 2, 5, 8),
                extra={"overseas_bureau": True, "embassy_party_organization": "驻外使馆党委"},
            ),
            DemoOrg(
                "admin",
                "JOINT_BRANCH",
                "行政后勤联合党支部",
                "paper",
                full=6,
                covered_units=("办公室", "人力资源部", "财务部", "后勤服务中心"),
            ),
            DemoOrg(
                "flood",
                "TEMPORARY_BRANCH",
                "防汛抢险报道组临时党支部",
                "paper",
                temporary_body="防汛抢险应急报道组",
            ),
        ),
    ),
    DemoTenant(
        "demo-foreign-affairs",
        "市外事办公室机关党支部（演示）",
        "foreign_affairs",
        ("foreign_affairs",),
        "foreign_affairs",
        "110105",
        (
            DemoOrg(
                "office",
                "BRANCH",
                "中共市外事办公室机关支部委员会",
                full=24,
                probationary=2,
                developing=2,
                groups=(
                    ("office-general", "综合处党小组"),
                    ("office-asia", "亚非处党小组"),
                    ("office-euro", "欧美处党小组"),
                    ("office-protocol", "礼宾处党小组"),
                ),
                categories=(("RETIRED", 0.08),),
                missing_months=(8,),
            ),
        ),
    ),
)

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文海东峰新春德立成永"
_FEMALE = "芳娜敏静丽艳娟霞燕玲英丹萍红琳婷雪慧颖洁倩晶莉欣怡梅兰凤云秀月"
_ETHNICITIES = ("汉族",) * 18 + ("回族", "满族", "蒙古族", "壮族", "土家族")
_EDUCATION = {
    "rural": ("初中", "高中", "高中", "中专", "大专", "大学本科"),
    "enterprise": ("中专", "大专", "大学本科", "大学本科", "硕士研究生"),
    "newspaper": ("大学本科", "大学本科", "硕士研究生", "硕士研究生", "博士研究生"),
    "foreign_affairs": ("大学本科", "硕士研究生", "硕士研究生", "博士研究生"),
}
_PHONE_PREFIXES = ("130", "133", "135", "136", "138", "139", "150", "151", "158", "177", "186", "189")

# topics per activity kind (the month is filled in)
_TOPICS = {
    "THEMED_PARTY_DAY": (
        "学习贯彻党的二十大精神主题党日",
        "重温入党誓词、过政治生日",
        "“我为群众办实事”志愿服务",
        "参观红色教育基地",
        "学习党章党规，做合格党员",
        "主题党日：对照党员标准查找差距",
    ),
    "COMMITTEE_MEETING": (
        "研究本月支部工作安排",
        "讨论发展党员工作",
        "研究党费收缴和使用",
        "研究组织生活会准备工作",
    ),
    "MEMBER_CONGRESS": (
        "传达学习上级会议精神",
        "讨论接收预备党员",
        "通报支部工作和党费收缴情况",
        "讨论年度工作计划",
    ),
    "PARTY_LECTURE": (
        "书记讲党课：坚定理想信念",
        "党课：党的光辉历程",
        "党课：加强作风建设",
        "党课：发挥先锋模范作用",
    ),
    "GROUP_MEETING": ("学习讨论本月学习篇目", "交流思想工作情况", "安排小组本月任务"),
    "LIFE_MEETING": ("年度组织生活会：开展批评和自我批评",),
    "DEMOCRATIC_APPRAISAL": ("年度民主评议党员",),
    "HEART_TO_HEART": ("支部书记与党员谈心谈话",),
}


class _People:
    """Deterministic Chinese names, ID numbers and phones for one tenant."""

    def __init__(self, rng: random.Random, region: str):
        self.rng = rng
        self.region = region
        self.names: set[str] = set()
        self.serial = 0

    def name(self, male: bool) -> str:
        while True:
            chars = _MALE if male else _FEMALE
            given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
            name = self.rng.choice(_SURNAMES) + given
            if name not in self.names:
                self.names.add(name)
                return name

    def id_number(self, birth: dt.date, male: bool) -> str:
        self.serial += 1
        seq = (self.serial * 2 + (1 if male else 0)) % 1000
        first17 = f"{self.region}{birth:%Y%m%d}{seq:03d}"
        return first17 + id_number_check_digit(first17)

    def phone(self) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


def _months_back(today: dt.date, count: int = 12) -> list[tuple[int, int]]:
    """The ``count`` complete months before ``today``'s month, oldest first."""
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        result.append((year, month))
    return list(reversed(result))


def _years_ago(today: dt.date, years: float) -> dt.date:
    return today - dt.timedelta(days=round(years * 365.25))


async def _create_orgs(spec: DemoTenant, world: DemoWorld) -> None:
    for item in spec.tree:
        parent = world.org(item.parent) if item.parent else None
        org = await organizations.create_organization(
            kind=item.kind,
            name=item.name,
            parent_id=parent.id if parent else None,
            established_on=_years_ago(world.today, 8 + len(item.key) % 5),
            covered_units=list(item.covered_units),
            temporary_body=item.temporary_body,
            sector=item.sector,
            extra=dict(item.extra),
        )
        world[f"org:{item.key}"] = org
        for group_key, group_name in item.groups:
            group = await organizations.create_organization(
                kind="PARTY_GROUP", name=group_name, parent_id=org.id, established_on=org.established_on
            )
            world[f"org:{group_key}"] = group


async def _create_members(spec: DemoTenant, world: DemoWorld, rng: random.Random) -> None:
    people = _People(rng, spec.region)
    today = world.today
    rows: list[Member] = []
    plan: list[tuple[DemoOrg, Member, list[str]]] = []
    education = _EDUCATION[spec.domain]
    for item in spec.tree:
        statuses = (
            [MemberStatus.FULL] * item.full
            + [MemberStatus.PROBATIONARY] * item.probationary
            + [rng.choice((MemberStatus.APPLICANT, MemberStatus.ACTIVIST, MemberStatus.CANDIDATE))]
            * item.developing
        )
        if not statuses:
            continue
        branch = world.org(item.key)
        groups = [world.org(k) for k, _ in item.groups]
        for index, status in enumerate(statuses):
            male = rng.random() < (0.62 if spec.domain in ("rural", "enterprise") else 0.5)
            retired = any(c == "RETIRED" for c, _ in item.categories) and rng.random() < 0.25
            age = rng.randint(62, 80) if retired else rng.randint(24, 58)
            birth = today.replace(month=1, day=1) - dt.timedelta(days=age * 365 + rng.randrange(365))
            joined = confirmed = None
            if status in (MemberStatus.FULL, MemberStatus.PROBATIONARY):
                if status == MemberStatus.PROBATIONARY:
                    joined = today - dt.timedelta(days=rng.randint(30, 330))
                else:
                    years_in = rng.randint(1, max(2, age - 20))
                    joined = today - dt.timedelta(days=years_in * 365 + rng.randrange(365))
                    joined = max(joined, birth + dt.timedelta(days=18 * 366))
                    confirmed = joined + dt.timedelta(days=365)
            member = Member(
                name=people.name(male),
                gender="MALE" if male else "FEMALE",
                birth_date=birth,
                ethnicity=rng.choice(_ETHNICITIES),
                education=rng.choice(education),
                phone=people.phone(),
                id_number=people.id_number(birth, male),
                joined_on=joined,
                confirmed_on=confirmed,
                status=status,
                branch_id=branch.id,
                party_group_id=groups[index % len(groups)].id if groups else None,
                extra={},
            )
            categories = [c for c, share in item.categories if rng.random() < share]
            if retired and "RETIRED" not in categories:
                categories.append("RETIRED")
            rows.append(member)
            plan.append((item, member, categories))
    await Member.bulk_create(rows, batch_size=500)
    by_number = {m.id_number: m for m in await Member.all()}
    category_rows = []
    for item, member, categories in plan:
        saved = by_number[member.id_number]
        world.setdefault(f"members:{item.key}", []).append(saved)
        if saved.party_group_id:
            group_key = next(k for k, _ in item.groups if world.org(k).id == saved.party_group_id)
            world.setdefault(f"members:{group_key}", []).append(saved)
        category_rows += [MemberCategoryAssignment(member_id=saved.id, category=c) for c in categories]
    await MemberCategoryAssignment.bulk_create(category_rows, batch_size=500)


def _full(members: list[Member]) -> list[Member]:
    return [m for m in members if m.status == MemberStatus.FULL]


def _current(members: list[Member]) -> list[Member]:
    return [m for m in members if m.status in (MemberStatus.FULL, MemberStatus.PROBATIONARY)]


async def _create_committees(spec: DemoTenant, world: DemoWorld, rng: random.Random) -> None:
    """Committees of branches with full members, party committees and general branches; group leaders."""
    today = world.today
    for item in spec.tree:
        org = world.org(item.key)
        if item.kind in ("PARTY_COMMITTEE", "GENERAL_BRANCH"):
            pool = [m for k, v in world.items() if k.startswith("members:") for m in v]
            pool = [m for m in _full({m.id: m for m in pool}.values()) if _in_subtree(world, m, org)]
        else:
            pool = _full(world.members(item.key))
        if not pool:
            continue
        pool = sorted(pool, key=lambda m: m.id)
        rng.shuffle(pool)
        if len(_full(world.members(item.key))) >= 7 or item.kind in ("PARTY_COMMITTEE", "GENERAL_BRANCH"):
            roles = ["SECRETARY", "DEPUTY_SECRETARY", "ORGANIZATION", "PUBLICITY", "DISCIPLINE"]
        elif len(pool) >= 2:
            roles = ["SECRETARY", "DISCIPLINE"]
        else:
            roles = ["SECRETARY"]
        seats = []
        for role, person in zip(roles, pool, strict=False):
            vacant = role in item.vacant_roles
            seats.append(committees.SeatSpec(role, None if vacant else person.id, SeatSource.ELECTED))
        starts_on = _years_ago(today, item.term_started_years_ago)
        if item.key in ("agency", "rnd", "editorial"):
            # an earlier term, so the history shows a closed one
            earlier = starts_on - dt.timedelta(days=3 * 365)
            await committees.start_committee_term(
                org.id, starts_on=earlier, seats=[committees.SeatSpec("SECRETARY", pool[-1].id)]
            )
        await committees.start_committee_term(org.id, starts_on=starts_on, seats=seats)
        secretary = next((s for s in seats if s.role == "SECRETARY" and s.member_id), None)
        if secretary:
            world[f"secretary:{item.key}"] = next(m for m in pool if m.id == secretary.member_id)
        for group_key, _ in item.groups:
            members = _current(world.members(group_key))
            if members and not (item.key == "dongling" and group_key.endswith("-3")):
                group = world.org(group_key)
                await organizations.set_group_leader(group.id, members[0].id)
                world[f"leader:{group_key}"] = members[0]
                if spec.domain == "foreign_affairs":  # the four groups are led by the section chiefs
                    members[0].extra = {
                        **(members[0].extra or {}),
                        "post": group.name.removesuffix("党小组") + "处长",
                    }
                    await members[0].save(update_fields=["extra"])


def _in_subtree(world: DemoWorld, member: Member, org: Organization) -> bool:
    branch = next(o for o in world.orgs() if o.id == member.branch_id)
    return branch.path.startswith(org.path)


def _attendance(
    activity_key: tuple, people: list[Member], rate: float, rng: random.Random
) -> list[tuple[tuple, int, AttendanceStatus]]:
    rows = []
    for person in people:
        roll = rng.random()
        if roll < rate:
            status = AttendanceStatus.PRESENT
        elif roll < rate + (1 - rate) * 0.6:
            status = AttendanceStatus.LEAVE
        else:
            status = AttendanceStatus.ABSENT
        rows.append((activity_key, person.id, status))
    return rows


async def _create_activities(spec: DemoTenant, world: DemoWorld, rng: random.Random) -> int:
    """A year of organizational life per branch and party group, with attendance."""
    from core.models import CommitteeSeat

    today = world.today
    months = _months_back(today)
    planned: list[tuple[tuple, Activity]] = []
    attendance: list[tuple[tuple, int, AttendanceStatus]] = []

    # themed party days record the tenant's four required parts (“4+X”; the demo's own gap is in
    # tenants/demo/standards_work.py)
    parts = [p["code"] for p in effective_config(world.tenant)["activities"]["themed_day_required_parts"]]

    def add(org: Organization, kind: str, day: dt.date, people: list[Member], rate: float, **kw: Any) -> None:
        topics = _TOPICS[kind]
        topic = f"{day.month}月{topics[(day.month + len(planned)) % len(topics)]}"
        key = (org.id, kind, day.isoformat(), topic)
        host = world.get(f"secretary:{_key_of(world, org)}")
        planned.append(
            (
                key,
                Activity(
                    organization_id=org.id,
                    kind=kind,
                    held_on=day,
                    topic=topic,
                    host_id=host.id if host else None,
                    minutes=f"{org.name}{day:%Y年%m月%d日}{topic}。会议由书记主持，应到{len(people)}人。",
                    extra={"parts": parts, "extras": []} if kind == "THEMED_PARTY_DAY" else {},
                    **kw,
                ),
            )
        )
        attendance.extend(_attendance(key, people, rate, rng))

    for item in spec.tree:
        org = world.org(item.key)
        if item.kind not in ("BRANCH", "JOINT_BRANCH", "TEMPORARY_BRANCH"):
            continue
        roster = _current(world.members(item.key))
        if not roster:
            continue
        term = await committees.live_term(org.id)
        committee = []
        if term is not None:
            seat_ids = {
                s.member_id for s in await CommitteeSeat.filter(term_id=term.id, ended_on=None) if s.member_id
            }
            committee = [m for m in roster if m.id in seat_ids]
        secretary = world.get(f"secretary:{item.key}")
        for year, month in months:
            themed_day = dt.date(year, month, 20)
            if month not in item.missing_months:
                add(org, "THEMED_PARTY_DAY", themed_day, roster, item.themed_day_rate)
                if committee:
                    add(org, "COMMITTEE_MEETING", dt.date(year, month, 8), committee, 0.95)
            if month in (3, 6, 9, 12) and not (item.missing_months and month == 6):
                add(org, "MEMBER_CONGRESS", dt.date(year, month, 15), roster, 0.9)
                add(
                    org,
                    "PARTY_LECTURE",
                    dt.date(year, month, 25),
                    roster,
                    0.9,
                    lecturer=f"{secretary.name}（支部书记）" if secretary else "上级党委宣讲员",
                )
            if month == 12 and item.key not in ("beishan", "finance"):
                add(org, "LIFE_MEETING", dt.date(year, month, 26), roster, 0.95)
                add(org, "DEMOCRATIC_APPRAISAL", dt.date(year, month, 27), roster, 0.95)
            if month == 11 and committee:
                talkers = list({m.id: m for m in [committee[0], *roster[:3]]}.values())
                add(org, "HEART_TO_HEART", dt.date(year, month, 12), talkers, 1.0)
        for group_key, _ in item.groups:
            group = world.org(group_key)
            people = _current(world.members(group_key))
            for year, month in months:
                if people and (month % 4 != 0 or group_key.endswith("-1")):
                    add(group, "GROUP_MEETING", dt.date(year, month, 10), people, 0.9)

    await Activity.bulk_create([a for _, a in planned], batch_size=500)
    ids = {
        (a.organization_id, a.kind, a.held_on.isoformat(), a.topic): a.id
        for a in await Activity.filter(organization_id__in=[o.id for o in world.orgs()])
    }
    await Attendance.bulk_create(
        [Attendance(activity_id=ids[key], member_id=mid, status=status) for key, mid, status in attendance],
        batch_size=1000,
    )
    return len(planned)


def _key_of(world: DemoWorld, org: Organization) -> str:
    for key, value in world.items():
        if key.startswith("org:") and value is org:
            return key[4:]
    return ""


async def _run_seeders(tenant: Tenant, world: DemoWorld) -> list[str]:
    lines: list[str] = []
    for entry in SEEDERS:
        if isinstance(entry, str):
            module_name, _, function_name = entry.partition(":")
            entry = getattr(importlib.import_module(module_name), function_name)
        lines += await entry(tenant, world)
    return lines


async def seed_tenant(
    spec: DemoTenant, *, slug: str, today: dt.date | None = None
) -> tuple[Tenant, list[str]]:
    """Create one demo tenant with its data (in one transaction)."""
    today = today or dt.date.today()
    rng = random.Random(spec.slug)
    async with in_transaction():
        with platform_scope():
            tenant = await create_tenant(
                slug=slug,
                name=spec.name,
                domain=spec.domain,
                enabled_plugins=list(spec.plugins),
                scoring_plugin=spec.scoring,
                by="demo",
            )
        with tenant_scope(tenant.id):
            world = DemoWorld(tenant, spec, today)
            await _create_orgs(spec, world)
            await _create_members(spec, world, rng)
            await _create_committees(spec, world, random.Random(f"{spec.slug}-committees"))
            activities = await _create_activities(spec, world, rng)
            members = len(world.all_members())
            lines = [
                f"{slug}: {spec.name} — {len(world.orgs())} 个组织, {members} 名人员, {activities} 次活动"
            ]
            lines += await _run_seeders(tenant, world)
    return tenant, lines


async def seed_demo(suffix: str = "", *, today: dt.date | None = None) -> list[str]:
    """Seed the four demo tenants (slug + ``suffix``); tenants that exist are skipped."""
    lines: list[str] = []
    for spec in DEMO_TENANTS:
        slug = f"{spec.slug}{suffix}"
        if await Tenant.filter(slug=slug).exists():
            lines.append(f"{slug}: 已存在，跳过 (already seeded)")
            continue
        _, tenant_lines = await seed_tenant(spec, slug=slug, today=today)
        lines += tenant_lines
    return lines
