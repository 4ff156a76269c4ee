"""Plugin member fields (``zhibu_member_fields``): setting a member's ``extra`` values."""

from __future__ import annotations

from typing import Any


async def update_member_extra(member: Any, values: dict[str, Any], vocabulary: Any) -> Any:
    """Set plugin member fields (``zhibu_member_fields``) of ``member``; validated, audited."""
    from core import audit
    from core.errors import ValidationFailed
    from core.guard import require

    if not isinstance(values, dict) or not values:
        raise ValidationFailed("扩展信息不能为空", field="values")
    require(member.branch.path)
    cleaned = vocabulary.validate_member_extra(values, partial=True)
    before = audit.snapshot(member)
    extra = dict(member.extra or {})
    for code, value in cleaned.items():
        if value is None:
            extra.pop(code, None)
        else:
            extra[code] = value
    member.extra = extra
    await member.save(update_fields=["extra", "updated_at"])
    audit.changed(member, before)
    return member
