from datetime import date, timedelta
from decimal import Decimal

import pytest

from townhall.disclosures.models import DisclosureIndexPage, DisclosurePage, FigureLine


@pytest.fixture
def board(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(
            title="居务公开栏", slug=f"board-{committee.pk}", committee=committee
        )
    )


@pytest.fixture
def draft(board):
    """A disclosure as staff draft it: figures entered, not yet published."""

    def make(title="2026年10月社区经费收支", **fields):
        today = date.today()
        values = {
            "category": "funds",
            "period_start": date(2026, 10, 1),
            "period_end": date(2026, 10, 31),
            "body": "<p>十月经费收支如下。</p>",
            "shown_from": today,
            "shown_until": today + timedelta(days=20),
            **fields,
        }
        page = board.add_child(instance=DisclosurePage(title=title, live=False, **values))
        page.figures.add(FigureLine(label="街道办拨款", direction="income", amount=Decimal("5000")))
        page.figures.add(
            FigureLine(label="楼道照明维修", direction="spending", amount=Decimal("1200.50"))
        )
        page.save_revision()
        return page

    return make


def publish(page, user=None):
    page = DisclosurePage.objects.get(pk=page.pk)
    page.get_latest_revision().publish(user=user)
    return DisclosurePage.objects.get(pk=page.pk)
