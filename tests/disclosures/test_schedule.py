"""The disclosure schedule (公开计划): which period each category owes, by when, and
whether a live disclosure covers it."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from townhall.disclosures import rules, selectors
from townhall.disclosures.models import (
    DisclosureIndexPage,
    DisclosureSchedule,
    schedule_defaults_ensure,
)
from townhall.disclosures.rules import Category, Frequency, Period, Status
from townhall.disclosures.services import correction_start
from townhall.disclosures.wagtail_hooks import new_board_gets_the_default_schedule

from ..factories import CommitteeFactory, UserFactory
from .conftest import publish

MONTHLY, QUARTERLY = Frequency.MONTHLY, Frequency.QUARTERLY
d = date

# --- Rules: the period due and its deadline --------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        (MONTHLY, d(2026, 11, 5), Period(d(2026, 10, 1), d(2026, 10, 31), d(2026, 11, 10))),
        (MONTHLY, d(2026, 11, 1), Period(d(2026, 10, 1), d(2026, 10, 31), d(2026, 11, 10))),
        (MONTHLY, d(2026, 10, 31), Period(d(2026, 9, 1), d(2026, 9, 30), d(2026, 10, 10))),
        (MONTHLY, d(2027, 1, 1), Period(d(2026, 12, 1), d(2026, 12, 31), d(2027, 1, 10))),
        (MONTHLY, d(2027, 1, 31), Period(d(2026, 12, 1), d(2026, 12, 31), d(2027, 1, 10))),
        (MONTHLY, d(2027, 3, 1), Period(d(2027, 2, 1), d(2027, 2, 28), d(2027, 3, 10))),
        (MONTHLY, d(2028, 3, 9), Period(d(2028, 2, 1), d(2028, 2, 29), d(2028, 3, 10))),
        (QUARTERLY, d(2027, 1, 1), Period(d(2026, 10, 1), d(2026, 12, 31), d(2027, 1, 15))),
        (QUARTERLY, d(2027, 3, 31), Period(d(2026, 10, 1), d(2026, 12, 31), d(2027, 1, 15))),
        (QUARTERLY, d(2027, 4, 1), Period(d(2027, 1, 1), d(2027, 3, 31), d(2027, 4, 15))),
        (QUARTERLY, d(2026, 7, 1), Period(d(2026, 4, 1), d(2026, 6, 30), d(2026, 7, 15))),
        (QUARTERLY, d(2026, 11, 5), Period(d(2026, 7, 1), d(2026, 9, 30), d(2026, 10, 15))),
    ],
    ids=[
        "month-early-in-next",
        "month-first-day-of-next",
        "month-last-day-of-month",
        "january-owes-december-of-last-year",
        "january-end-still-owes-december",
        "february-of-a-common-year",
        "february-of-a-leap-year",
        "quarter-january-owes-q4-of-last-year",
        "quarter-march-end-still-owes-q4",
        "quarter-april-owes-q1",
        "quarter-july-owes-q2",
        "quarter-november-owes-q3",
    ],
)
def test_period_due_is_the_last_full_period_with_its_deadline(frequency, today, expected):
    assert rules.period_due(frequency, today) == expected


def test_grace_days_move_the_deadline_only():
    assert rules.period_due(MONTHLY, d(2026, 11, 5), grace_days=0) == Period(
        d(2026, 10, 1), d(2026, 10, 31), d(2026, 10, 31)
    )
    assert rules.period_due(QUARTERLY, d(2026, 11, 5), grace_days=30).due_by == d(2026, 10, 30)


def test_event_driven_categories_have_no_calendar_period():
    with pytest.raises(ValueError):
        rules.period_due(Frequency.AFTER_EVENT, d(2026, 11, 5))


def test_a_decision_is_due_within_the_days_after_it():
    assert rules.event_due(d(2026, 12, 29), 5) == Period(
        d(2026, 12, 29), d(2026, 12, 29), d(2027, 1, 3)
    )


# --- Rules: done, due, overdue ---------------------------------------------------------

OCT_END, OCT_DUE = d(2026, 10, 31), d(2026, 11, 10)


@pytest.mark.parametrize(
    ("latest_end", "period_end", "due_by", "today", "expected"),
    [
        (OCT_END, OCT_END, OCT_DUE, d(2026, 11, 5), Status.DONE),
        (OCT_END, OCT_END, OCT_DUE, d(2026, 12, 1), Status.DONE),  # late, but out
        (d(2026, 12, 31), OCT_END, OCT_DUE, d(2026, 11, 20), Status.DONE),  # a longer one
        (d(2026, 9, 30), OCT_END, OCT_DUE, d(2026, 11, 5), Status.DUE),  # only September
        (None, OCT_END, OCT_DUE, d(2026, 11, 1), Status.DUE),
        (None, OCT_END, OCT_DUE, OCT_DUE, Status.DUE),  # the deadline itself
        (None, OCT_END, OCT_DUE, d(2026, 11, 11), Status.OVERDUE),  # the day after
        (d(2026, 9, 30), OCT_END, OCT_DUE, d(2026, 11, 11), Status.OVERDUE),
        (None, None, None, d(2026, 11, 11), Status.DONE),  # no decision awaiting
        (None, d(2026, 11, 3), d(2026, 11, 8), d(2026, 11, 8), Status.DUE),  # decision
        (None, d(2026, 11, 3), d(2026, 11, 8), d(2026, 11, 9), Status.OVERDUE),
    ],
    ids=[
        "disclosed-in-time",
        "disclosed-late-counts-as-done",
        "longer-period-covers",
        "earlier-period-does-not-cover",
        "nothing-yet-in-grace",
        "due-by-day-is-still-due",
        "next-day-is-overdue",
        "earlier-period-after-deadline",
        "event-none-known",
        "event-deadline-day",
        "event-day-after-deadline",
    ],
)
def test_status_reads_like_the_policy(latest_end, period_end, due_by, today, expected):
    assert rules.status(latest_end, period_end, due_by, today) == expected


def _period_start_on_or_before(day: date, frequency: str) -> date:
    """Brute force: walk back a day at a time to the first day of a month (of a
    quarter's first month)."""
    months = range(1, 13) if frequency == MONTHLY else (1, 4, 7, 10)
    while not (day.day == 1 and day.month in months):
        day -= timedelta(days=1)
    return day


@given(
    frequency=st.sampled_from([MONTHLY, QUARTERLY]),
    today=st.dates(min_value=d(2000, 1, 1), max_value=d(2100, 12, 31)),
    grace=st.integers(min_value=0, max_value=60),
)
def test_period_due_matches_walking_the_calendar(frequency, today, grace):
    period = rules.period_due(frequency, today, grace_days=grace)

    assert period.start.day == 1
    assert period.end < today
    current_start = _period_start_on_or_before(today, frequency)
    assert period.end == current_start - timedelta(days=1)
    assert period.start == _period_start_on_or_before(period.end, frequency)
    assert period.due_by == period.end + timedelta(days=grace)


@given(
    latest=st.none() | st.dates(min_value=d(2026, 1, 1), max_value=d(2027, 12, 31)),
    today=st.dates(min_value=d(2026, 1, 1), max_value=d(2027, 12, 31)),
    frequency=st.sampled_from([MONTHLY, QUARTERLY]),
)
def test_status_is_done_or_else_due_until_the_deadline(latest, today, frequency):
    period = rules.period_due(frequency, today)

    result = rules.status(latest, period.end, period.due_by, today)

    if latest is not None and latest >= period.end:
        assert result == Status.DONE
    else:
        assert result == (Status.DUE if today <= period.due_by else Status.OVERDUE)


# --- Defaults, written once per committee ----------------------------------------------


def _schedule_of(committee) -> dict[str, str]:
    return dict(committee.disclosure_schedules.values_list("category", "frequency"))


@pytest.mark.django_db
def test_defaults_follow_local_policy_and_are_written_once(committee):
    added = schedule_defaults_ensure(committee)
    again = schedule_defaults_ensure(committee)

    assert sorted(added) == sorted(Category.values) and again == []
    assert _schedule_of(committee) == {
        "funds": "monthly",
        "facilities": "quarterly",
        "services": "quarterly",
        "government": "quarterly",
        "other": "quarterly",
        "decisions": "after_event",
        "consultations": "after_event",
    }
    assert set(committee.disclosure_schedules.values_list("days_after_event", flat=True)) == {5}


@pytest.mark.django_db
def test_defaults_fill_gaps_without_undoing_staff_changes(committee):
    schedule_defaults_ensure(committee)
    committee.disclosure_schedules.filter(category="funds").update(frequency="quarterly")
    committee.disclosure_schedules.filter(category="other").delete()

    added = schedule_defaults_ensure(committee)

    assert added == ["other"]
    assert _schedule_of(committee)["funds"] == "quarterly"
    assert committee.disclosure_schedules.count() == 7


@pytest.mark.django_db
def test_each_committee_gets_its_own_schedule(committee):
    other = CommitteeFactory()

    schedule_defaults_ensure(committee)
    schedule_defaults_ensure(other)

    assert DisclosureSchedule.objects.filter(committee=other).count() == 7
    assert DisclosureSchedule.objects.count() == 14


@pytest.mark.django_db
def test_a_new_board_brings_the_default_schedule(board, committee):
    new_board_gets_the_default_schedule(None, board)

    assert committee.disclosure_schedules.count() == 7


# --- The selector: statuses from live disclosures --------------------------------------

NOV_5 = d(2026, 11, 5)  # October's finances due by 10 November; Q3 by 15 October


def _row(rows, category, committee=None):
    found = [
        r
        for r in rows
        if r.category == category and (committee is None or r.committee == committee)
    ]
    assert len(found) == 1
    return found[0]


def _shown(day: date) -> dict:
    return {"shown_from": day, "shown_until": day + timedelta(days=20)}


@pytest.mark.django_db
def test_published_october_finances_make_funds_done(committee, draft):
    page = publish(draft(**_shown(d(2026, 11, 3))))

    funds = _row(selectors.schedule_status([committee], today=NOV_5), "funds")

    assert (funds.period_start, funds.period_end, funds.due_by) == (
        d(2026, 10, 1),
        d(2026, 10, 31),
        d(2026, 11, 10),
    )
    assert funds.status == Status.DONE
    assert funds.disclosure == page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "expected"),
    [(NOV_5, Status.DUE), (d(2026, 11, 10), Status.DUE), (d(2026, 11, 11), Status.OVERDUE)],
    ids=["in-grace", "on-the-10th", "on-the-11th"],
)
def test_a_draft_does_not_count(committee, draft, today, expected):
    draft()

    funds = _row(selectors.schedule_status([committee], today=today), "funds")

    assert (funds.status, funds.disclosure) == (expected, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [(d(2026, 9, 1), d(2026, 9, 30)), (d(2026, 11, 1), d(2026, 11, 30))],
    ids=["september-only", "november-does-not-stand-in-for-october"],
)
def test_a_disclosure_of_another_month_does_not_cover_october(committee, draft, start, end):
    publish(draft(period_start=start, period_end=end, **_shown(d(2026, 11, 2))))

    funds = _row(selectors.schedule_status([committee], today=d(2026, 11, 11)), "funds")

    assert (funds.status, funds.disclosure) == (Status.OVERDUE, None)


@pytest.mark.django_db
def test_quarterly_items_are_covered_by_the_quarter_or_a_longer_period(committee, draft):
    quarter = publish(
        draft(
            title="第三季度设施使用情况",
            category="facilities",
            period_start=d(2026, 7, 1),
            period_end=d(2026, 9, 30),
            **_shown(d(2026, 10, 8)),
        )
    )
    publish(
        draft(
            title="2026年度社区服务项目",
            category="services",
            period_start=d(2026, 1, 1),
            period_end=d(2026, 12, 31),
            **_shown(d(2026, 10, 8)),
        )
    )

    rows = selectors.schedule_status([committee], today=NOV_5)

    facilities = _row(rows, "facilities")
    assert (facilities.period_start, facilities.due_by) == (d(2026, 7, 1), d(2026, 10, 15))
    assert (facilities.status, facilities.disclosure) == (Status.DONE, quarter)
    assert _row(rows, "services").status == Status.DONE
    assert _row(rows, "government").status == Status.OVERDUE  # Q3 due by 15 October


@pytest.mark.django_db
def test_a_withdrawn_disclosure_no_longer_counts(committee, draft):
    page = publish(draft(**_shown(d(2026, 11, 3))))
    page.unpublish(user=UserFactory(is_staff=True, is_superuser=True))

    funds = _row(selectors.schedule_status([committee], today=NOV_5), "funds")

    assert (funds.status, funds.disclosure) == (Status.DUE, None)


@pytest.mark.django_db
def test_a_published_correction_is_shown_rather_than_what_it_corrects(committee, draft):
    original = publish(draft(**_shown(d(2026, 11, 3))))
    correction = correction_start(original=original, by=UserFactory())
    correction.save_revision()
    correction = publish(correction)

    funds = _row(selectors.schedule_status([committee], today=NOV_5), "funds")

    assert (funds.status, funds.disclosure) == (Status.DONE, correction)


@pytest.mark.django_db
def test_major_items_owe_nothing_until_decisions_are_known(committee):
    rows = selectors.schedule_status([committee], today=NOV_5)

    for category in ("decisions", "consultations"):
        row = _row(rows, category)
        assert row.frequency == Frequency.AFTER_EVENT and row.days_after_event == 5
        assert (row.period_start, row.due_by, row.status) == (None, None, Status.DONE)
    assert selectors.events_awaiting_disclosure([committee]) == {}


@pytest.mark.django_db
def test_the_committees_own_schedule_replaces_the_default(committee):
    schedule_defaults_ensure(committee)
    committee.disclosure_schedules.filter(category="funds").update(frequency="quarterly")
    committee.disclosure_schedules.filter(category="other").update(frequency="monthly")

    rows = selectors.schedule_status([committee], today=NOV_5)

    assert (_row(rows, "funds").frequency, _row(rows, "funds").period_start) == (
        "quarterly",
        d(2026, 7, 1),
    )
    assert _row(rows, "other").period_start == d(2026, 10, 1)


def _board_for(wagtail_site, committee):
    return wagtail_site.add_child(
        instance=DisclosureIndexPage(
            title="居务公开栏", slug=f"board-{committee.pk}", committee=committee
        )
    )


@pytest.mark.django_db
def test_another_committees_disclosures_do_not_count(wagtail_site, committee, draft):
    other = CommitteeFactory()
    _board_for(wagtail_site, other)
    publish(draft(**_shown(d(2026, 11, 3))))

    rows = selectors.schedule_status([committee, other], today=NOV_5)

    assert len(rows) == 14
    assert [r.committee for r in rows[:7]] == [committee] * 7  # in the order given
    assert _row(rows, "funds", committee).status == Status.DONE
    assert _row(rows, "funds", other).status == Status.DUE


@pytest.mark.django_db
def test_a_committee_without_a_board_owes_its_schedule_all_the_same():
    lonely = CommitteeFactory()

    rows = selectors.schedule_status([lonely], today=d(2026, 11, 11))

    assert _row(rows, "funds").status == Status.OVERDUE


@pytest.mark.django_db
def test_the_schedule_takes_the_same_queries_for_one_committee_or_many(
    wagtail_site, committee, draft
):
    publish(draft(**_shown(d(2026, 11, 3))))
    others = [CommitteeFactory() for _ in range(3)]
    for other in others:
        _board_for(wagtail_site, other)
        schedule_defaults_ensure(other)

    with CaptureQueriesContext(connection) as one:
        selectors.schedule_status([committee], today=NOV_5)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.schedule_status([committee, *others], today=NOV_5)

    assert len(one) == len(many) == 4  # schedules, boards, disclosures, decisions
    assert len(rows) == 28


@pytest.mark.django_db
def test_on_display_now_lists_what_is_on_the_board_today(wagtail_site, committee, draft):
    showing = publish(draft(title="十月经费", shown_from=d(2026, 10, 22), shown_until=NOV_5))
    ends_later = publish(
        draft(title="九月经费", shown_from=d(2026, 10, 20), shown_until=d(2026, 11, 30))
    )
    publish(draft(title="八月经费", shown_from=d(2026, 10, 20), shown_until=d(2026, 11, 4)))
    publish(draft(title="下月公示", shown_from=d(2026, 11, 6), shown_until=d(2026, 11, 30)))
    draft(title="草稿", shown_from=d(2026, 11, 1), shown_until=d(2026, 11, 30))
    other = CommitteeFactory()
    _board_for(wagtail_site, other)

    with CaptureQueriesContext(connection) as queries:
        displayed = selectors.on_display_now([committee, other], today=NOV_5)

    assert [(item.committee, item.page) for item in displayed] == [
        (committee, showing),  # comes down first
        (committee, ends_later),
    ]
    assert len(queries) == 2


# --- The include, for the auditors' workspace ------------------------------------------


@pytest.mark.django_db
def test_the_include_shows_each_status_as_a_badge_labelled_for_phones(committee, draft):
    page = publish(draft(**_shown(d(2026, 11, 3))))
    rows = selectors.schedule_status([committee], today=NOV_5)

    with translation.override("en"):
        html = render_to_string("disclosures/includes/schedule_status.html", {"rows": rows})

    assert 'class="table table--stack"' in html
    assert html.count("<tr>") == 1 + 7  # the head and one row per category
    assert 'badge--ok">Up to date' in html
    assert 'badge--bad">Overdue' in html  # Q3 regular items, past 15 October
    assert 'data-label="Due by">2026-11-10' in html
    assert f'href="{page.url}"' in html
    assert "Within 5 days of the decision" in html
    assert "No decision awaiting disclosure" in html


@pytest.mark.django_db
def test_the_include_marks_a_period_in_grace_as_due(committee):
    rows = selectors.schedule_status([committee], today=NOV_5)

    html = render_to_string("disclosures/includes/schedule_status.html", {"rows": rows})

    assert "badge--warn" in html


def test_the_include_has_an_empty_state():
    with translation.override("en"):
        html = render_to_string("disclosures/includes/schedule_status.html", {"rows": []})

    assert "No disclosure schedule to show" in html and "<table" not in html


# --- Staff edit the schedule in the Wagtail admin --------------------------------------


@pytest.mark.django_db
def test_staff_list_the_schedule_by_committee_and_change_a_frequency(client, committee):
    other = CommitteeFactory()
    schedule_defaults_ensure(committee)
    schedule_defaults_ensure(other)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(
        reverse("wagtailsnippets_disclosures_disclosureschedule:list"), {"committee": committee.pk}
    )

    def edit_url(schedule):
        return reverse("wagtailsnippets_disclosures_disclosureschedule:edit", args=[schedule.pk])

    assert listing.status_code == 200
    text = listing.content.decode()
    funds = committee.disclosure_schedules.get(category="funds")
    assert edit_url(funds) in text
    assert edit_url(other.disclosure_schedules.get(category="funds")) not in text

    saved = client.post(
        edit_url(funds),
        {
            "committee": committee.pk,
            "category": "funds",
            "frequency": "quarterly",
            "days_after_event": 5,
        },
    )

    assert saved.status_code == 302
    funds.refresh_from_db()
    assert funds.frequency == "quarterly"
