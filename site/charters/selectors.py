"""Reads about charters: which version is in force on a day, and each charter's history."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from django.utils import timezone

from .models import CharterIndexPage, CharterPage, CharterVersion


class Dated(Protocol):
    number: int
    effective_from: date


V = TypeVar("V", bound=Dated)


def in_force_among(versions: Iterable[V], on: date) -> V | None:
    """The version in force on `on`: the latest `effective_from` not after it; of two
    taking effect the same day, the later adopted (higher number). The rule as a pure
    function, so that the index page can apply it to versions fetched in one query."""
    started = [v for v in versions if v.effective_from <= on]
    return max(started, key=lambda v: (v.effective_from, v.number), default=None)


def charter_version_in_force(*, page: CharterPage, on: date | None = None) -> CharterVersion | None:
    on = on or timezone.localdate()
    return (
        page.versions.filter(effective_from__lte=on).order_by("-effective_from", "-number").first()
    )


def charter_versions_upcoming(*, page: CharterPage, on: date | None = None) -> list[CharterVersion]:
    """Adopted, in force from a later day: soonest first."""
    on = on or timezone.localdate()
    return list(page.versions.filter(effective_from__gt=on).order_by("effective_from", "number"))


def charter_version_latest(*, page: CharterPage) -> CharterVersion | None:
    """The last version recorded: the text an amendment starts from."""
    return page.versions.order_by("-number").first()


@dataclass(frozen=True)
class HistoryRow:
    version: CharterVersion
    status: str  # "in_force", "upcoming" or "superseded"

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"

    @property
    def upcoming(self) -> bool:
        return self.status == "upcoming"


def charter_history(*, page: CharterPage, on: date | None = None) -> list[HistoryRow]:
    """Every version, newest first, each saying whether it is in force on `on`."""
    if page.pk is None:  # a new page in the editor's preview
        return []
    on = on or timezone.localdate()
    versions = list(page.versions.order_by("-number"))
    current = in_force_among(versions, on)
    return [
        HistoryRow(
            version=v,
            status="in_force"
            if v is current
            else "upcoming"
            if v.effective_from > on
            else "superseded",
        )
        for v in versions
    ]


@dataclass(frozen=True)
class CharterOverview:
    page: CharterPage
    in_force: CharterVersion | None
    upcoming: list[CharterVersion] = field(default_factory=list)


def charters_overview(*, index: CharterIndexPage, on: date | None = None) -> list[CharterOverview]:
    """The committee's published charters with the version in force, in a fixed number
    of queries however many charters there are."""
    on = on or timezone.localdate()
    pages = list(CharterPage.objects.child_of(index).live().public().order_by("path"))
    by_page: dict[int, list[CharterVersion]] = {page.pk: [] for page in pages}
    for version in CharterVersion.objects.filter(page__in=pages).defer("text"):
        by_page[version.page_id].append(version)
    return [
        CharterOverview(
            page=page,
            in_force=in_force_among(by_page[page.pk], on),
            upcoming=sorted(
                (v for v in by_page[page.pk] if v.effective_from > on),
                key=lambda v: (v.effective_from, v.number),
            ),
        )
        for page in pages
    ]
