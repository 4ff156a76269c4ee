"""The 两专六有 venue standard: two dedicated rooms and six items of equipment."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VenueItem:
    code: str
    label: str
    group: str  # DEDICATED (两专) or EQUIPPED (六有)


VENUE_ITEMS: tuple[VenueItem, ...] = (
    VenueItem("activity_room", "专门的党群活动室", "DEDICATED"),
    VenueItem("party_office", "专门的党建专干室", "DEDICATED"),
    VenueItem("conference_table", "有会议桌", "EQUIPPED"),
    VenueItem("computer", "有电脑", "EQUIPPED"),
    VenueItem("air_conditioning", "有空调", "EQUIPPED"),
    VenueItem("video_conferencing", "有会议电视", "EQUIPPED"),
    VenueItem("bookcase", "有书柜", "EQUIPPED"),
    VenueItem("record_books", "有记录本", "EQUIPPED"),
)
GROUP_LABELS = {"DEDICATED": "两专", "EQUIPPED": "六有"}
