"""Rules of basic support and records (基本保障/场所、基础台账), domain §3 and §5."""

from __future__ import annotations

from core import sql
from core.standards import data
from core.standards.api import Area, Finding, Rule, RuleContext, Severity
from core.standards.rules.organization import window

ITEM_LABELS: dict[str, str] = {
    "ROOM": "党员活动室",
    "EMBLEM": "党徽",
    "FLAG": "党旗",
    "OATH": "入党誓词",
    "RULES": "规章制度",
    "IDENTITY_PUBLIC": "党员身份公开",
    "AFFAIRS_PUBLIC": "党务公开",
    "BOOKS": "三本（工作记录本等）",
    "BOXES": "五盒（资料盒）",
    "KEEPER": "台账指定专人管理",
}


def item_label(code: str) -> str:
    return ITEM_LABELS.get(code, code)


class _ChecklistRule(Rule):
    inspection_kind = ""
    config_key = ""
    what = ""

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        required = list(ctx.config["standards"][self.config_key])
        latest = await data.latest_inspections(ctx, self.inspection_kind)
        out = []
        for branch in (await data.branches(ctx)).values():
            checked_on, items = latest.get(branch.id, (None, []))
            missing = [code for code in required if code not in items]
            if not missing:
                continue
            where = f"（{checked_on.isoformat()}检查）" if checked_on else "（尚无检查记录）"
            lacking = "、".join(item_label(c) for c in missing)
            out.append(
                self.finding(
                    branch.id,
                    f"{branch.name}{self.what}未达标{where}，缺少：{lacking}",
                    period=window(ctx),
                    numbers={
                        "missing": missing,
                        "required": required,
                        "checked_on": checked_on.isoformat() if checked_on else None,
                    },
                )
            )
        return out


class VenueIncomplete(_ChecklistRule):
    code = "VENUE_INCOMPLETE"
    title = "活动场所达到“一室四有两公开”"
    area = Area.VENUE
    severity = Severity.WARNING
    source = "domain §5"
    config_keys = ("standards.venue_items",)
    inspection_kind = "VENUE"
    config_key = "venue_items"
    what = "活动场所“一室四有两公开”"


class RecordsIncomplete(_ChecklistRule):
    code = "RECORDS_INCOMPLETE"
    title = "基础台账“三本五盒”齐全并由专人管理"
    area = Area.RECORDS
    severity = Severity.WARNING
    source = "domain §5"
    config_keys = ("standards.records_items",)
    inspection_kind = "RECORDS"
    config_key = "records_items"
    what = "基础台账“三本五盒”"


class ActivityRecordIncomplete(Rule):
    code = "ACTIVITY_RECORD_INCOMPLETE"
    title = "每次活动记录时间、主题、主持人、参加人员和会议记录"
    area = Area.RECORDS
    severity = Severity.WARNING
    source = "domain §3"

    async def evaluate(self, ctx: RuleContext) -> list[Finding]:
        # documents (the yearly plan and summary) have no host or attendance list
        kinds = sorted(s.code for s in ctx.vocabulary.activity_kinds.values() if s.document) or [
            "HEART_TO_HEART"
        ]
        params = {f"doc{i}": code for i, code in enumerate(kinds)}
        documents = [f":{name}" for name in params]
        rows = await sql.fetch(
            "SELECT a.organization_id AS org_id, COUNT(*) AS total, "
            "SUM(CASE WHEN a.host_id IS NULL OR a.minutes = '' OR a.topic = '' OR NOT EXISTS ("
            "SELECT 1 FROM attendance t WHERE t.tenant_id = a.tenant_id AND t.activity_id = a.id) "
            "THEN 1 ELSE 0 END) AS incomplete "
            "FROM activity a JOIN organization o ON o.id = a.organization_id AND o.tenant_id = a.tenant_id "
            "WHERE a.tenant_id = :tenant_id AND o.path LIKE :prefix AND a.cancelled_on IS NULL "
            f"AND a.kind <> 'HEART_TO_HEART' AND a.kind NOT IN ({', '.join(documents)}) "
            "AND a.held_on >= :start AND a.held_on <= :end "
            "GROUP BY a.organization_id",
            prefix=data.prefix(ctx),
            **params,
            start=ctx.period_start,
            end=ctx.period_end,
        )
        branches = await data.branches(ctx)
        groups = await data.party_groups(ctx)
        out = []
        for r in rows:
            incomplete = int(r["incomplete"] or 0)
            if not incomplete:
                continue
            org = branches.get(r["org_id"]) or groups.get(r["org_id"])
            if org is None:
                continue
            out.append(
                self.finding(
                    org.id,
                    f"{org.name}有{incomplete}次活动记录不完整（缺主持人、主题、参加人员或会议记录）",
                    period=window(ctx),
                    numbers={"incomplete": incomplete, "activities": int(r["total"])},
                    branch_id=org.parent_id if org.id in groups else None,
                )
            )
        return out


RULES: tuple[type[Rule], ...] = (VenueIncomplete, RecordsIncomplete, ActivityRecordIncomplete)
