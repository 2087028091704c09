"""The approval lifecycle: what lapses, lifts or ages soon, so nothing goes stale or
out of bounds unnoticed. The same notices are build warnings and `casebook report freshness`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..content.load import Library
from ..content.model import Item
from ..core.problems import Problem

CATEGORIES = {
    "expiring": "approval expires soon",
    "expired": "approval expired, case still in the repository",
    "embargo": "embargo lifts soon",
    "stale": "case is older than the freshness limit",
    "unapproved": "results not yet approved by the customer",
    "changed": "changed since the customer approved it",
    "behind": "translation approved before its default file's latest approval",
}


@dataclass(frozen=True, order=True)
class Notice:
    day: date  # when it happens (or happened)
    category: str
    path: str
    line: int
    title: str

    def problem(self, as_of: date) -> Problem:
        days = (self.day - as_of).days
        when = f"in {days} days" if days > 0 else "today" if days == 0 else f"{-days} days ago"
        hints = {"expiring": "ask the customer to renew the approval, or plan to withdraw the case",
                 "expired": "renew the approval, or set approval.status to withdrawn",
                 "embargo": "check the launch is still on",
                 "stale": "refresh the results with the customer, or retire the case",
                 "unapproved": "send the case to the customer for approval",
                 "changed": "send the customer the proof (casebook proof), then casebook approve",
                 "behind": "check the translation says what the default file now says, then approve it again (--lang)"}
        return Problem(self.path, self.line, "warning", f"{CATEGORIES[self.category]} ({self.day.isoformat()}, {when})",
                       hints[self.category])


def notices(library: Library, as_of: date, within_days: int, max_age_days: int) -> list[Notice]:
    horizon = as_of + timedelta(days=within_days)
    oldest = as_of - timedelta(days=max_age_days)
    found: list[Notice] = []
    translations = [item for item in library.translated() if item.kind == "case"]
    for case in [*library.items["case"].values(), *translations]:
        approval = case.meta.approval
        expires, embargo = approval.expires_on, case.meta.publish_on
        if approval.status == "approved" and expires is not None:
            if as_of < expires <= horizon:
                found.append(_notice(case, expires, "expiring", ("approval", "expires_on")))
            elif expires <= as_of:
                found.append(_notice(case, expires, "expired", ("approval", "expires_on")))
        if approval.status == "approved" and embargo is not None and as_of < embargo <= horizon:
            found.append(_notice(case, embargo, "embargo", ("publish_on",)))
        if case.lang is None and approval.status == "approved" and case.meta.date < oldest and not (expires and expires <= as_of):
            found.append(_notice(case, case.meta.date, "stale", ("date",)))
        if approval.status == "approved" and case.unapproved:
            found.append(_notice(case, approval.approved_on, "changed", ("approval", "fingerprint")))
        if approval.status in ("draft", "in_review"):
            found.append(_notice(case, case.meta.date, "unapproved", ("approval", "status")))
    for translation in translations:  # the default file was approved again (its words changed) after this one was
        default, approved = library.items["case"].get(translation.slug), translation.meta.approval.approved_on
        newer = default.meta.approval.approved_on if default is not None else None
        if approved is not None and newer is not None and newer > approved:
            found.append(_notice(translation, newer, "behind", ("approval", "approved_on")))
    return sorted(found)


def _notice(case: Item, day: date, category: str, field: tuple) -> Notice:
    return Notice(day, category, case.path, case.line_of(field), case.meta.title)
