"""Other records (meeting summaries, settled topics) become draft disclosures for review."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from townhall.community.models import Role
from townhall.disclosures.models import DisclosurePage
from townhall.disclosures.services import disclosure_draft_create


def _draft(committee, by):
    return disclosure_draft_create(
        committee=committee,
        title="意见收集会情况公示",
        category="consultations",
        body_html="<p>收集意见12条。</p>",
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 20),
        by=by,
    )


def test_draft_lands_unpublished_on_the_committees_board_for_review(board, committee, make_person):
    staff = make_person(committee, Role.STAFF)
    page = _draft(committee, staff)

    page = DisclosurePage.objects.get(pk=page.pk)
    assert page.get_parent().specific == board
    assert not page.live
    assert page.category == "consultations"
    assert (page.shown_until - page.shown_from).days + 1 == 15
    assert page.get_latest_revision().user == staff


def test_two_drafts_on_the_same_day_do_not_collide(board, committee, make_person):
    staff = make_person(committee, Role.STAFF)
    assert _draft(committee, staff).slug != _draft(committee, staff).slug


def test_committee_without_a_board_is_told_so(wagtail_site, committee, make_person):
    with translation.override("en"), pytest.raises(ValidationError, match="no disclosure board"):
        _draft(committee, make_person(committee, Role.STAFF))
    assert not DisclosurePage.objects.exists()
