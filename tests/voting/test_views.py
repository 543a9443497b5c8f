"""The poll pages as residents, the chair and auditors use them: voting and the receipt,
the ballot board, the chair's controls, paper ballots, proxies and the audit view."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body
from townhall.community.models import Role
from voting import services
from voting.models import Ballot, BallotComment, Channel, Elector, PaperEntry, Participation, Poll

from .conftest import choose, option_id

RECEIPT = re.compile(
    r'class="receipt__code"[^>]*>.*?([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</p>', re.S
)


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def vote_url(poll: Poll) -> str:
    return reverse("voting:ballot_cast", args=[poll.pk])


def detail_url(poll: Poll) -> str:
    return reverse("voting:poll_detail", args=[poll.pk])


def board_url(poll: Poll) -> str:
    return reverse("voting:ballot_board", args=[poll.pk])


def receipt_of(response) -> str:
    return RECEIPT.search(response.content.decode()).group(1)


def vote(client, poll: Poll, code: str = "yes", **fields):
    return client.post(vote_url(poll), {"option": option_id(poll, code), **fields})


# Voting and the receipt ---------------------------------------------------------------


def test_a_resident_votes_and_gets_a_receipt_to_keep(en, poll, residents):
    en.force_login(residents[0])
    response = vote(en, poll, "yes")

    assert response.status_code == 200
    receipt = receipt_of(response)
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.receipt == receipt
    assert ballot.content == choose(poll, "yes")
    page = response.content.decode()
    assert (
        "Once voting ends, you can find your ballot with your receipt code in the published"
        " list of ballots." in page
    )
    download = re.search(r'download="([^"]+)" href="data:text/plain;charset=utf-8,([^"]+)"', page)
    assert download.group(1) == f"receipt-{poll.pk}-{receipt}.txt"
    text = unquote(download.group(2))
    assert receipt in text
    assert f"/polls/{poll.pk}/board/?receipt={receipt}" in text
    assert "data-receipt-print" in page and "This code is shown only once." in page
    # Shown once, kept nowhere: the session is not written.
    assert "sessionid" not in response.cookies


def test_each_voter_gets_their_own_receipt_in_their_own_language(client, open_poll, residents):
    poll = open_poll(title="<b>是否</b>修路")
    pages = {}
    for resident, language in zip(residents[:4], ("en", "zh-hans", "en", "zh-hans"), strict=True):
        client.cookies["django_language"] = language
        client.force_login(resident)
        response = vote(client, poll, "yes")
        pages[resident.pk] = (language, response.content.decode())

    receipts = set(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True))
    shown = set()
    for language, page in pages.values():
        (receipt,) = RECEIPT.findall(page)
        shown.add(receipt)
        # The code, the board link, the download's name, and its text (twice).
        assert page.count(receipt) == 5
        assert f'<html lang="{language}">' in page
        assert ("Your receipt" in page) == (language == "en")
        assert "&lt;b&gt;是否&lt;/b&gt;修路" in page and "<b>是否" not in page
    assert shown == receipts and len(receipts) == 4


def test_the_receipt_page_is_the_services_queries_and_the_signed_in_user(en, poll, residents):
    en.force_login(residents[0])
    vote(en, poll, "no")  # the first ballot of a process reads the poll's options once
    en.force_login(residents[1])
    yes = option_id(poll, "yes")

    with CaptureQueriesContext(connection) as queries:
        response = en.post(vote_url(poll), {"option": yes})

    assert response.status_code == 200
    # The test's own transaction turns the service's into a savepoint, and the first
    # ballot of a connection prepares the statement: neither is a query of the ballot.
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "PREPARE"))
    ]
    # The signed-in user, then the ballot; the page reads nothing more.
    assert statements[0].startswith("SELECT") and '"accounts_user"' in statements[0]
    if connection.vendor == "postgresql":
        # The poll under the ballot lock, the voter's elector row and both rows: one
        # statement.
        assert len(statements) == 2, statements
        assert statements[1].startswith("EXECUTE voting_ballot_cast")
    else:
        # The poll under the lock with the elector row, then the two inserts.
        assert len(statements) == 4, statements
        assert "voting_poll" in statements[1] and "voting_elector" in statements[1]
        assert statements[2].startswith('INSERT INTO "voting_participation"')
        assert statements[3].startswith('INSERT INTO "voting_ballot"')


def test_a_second_attempt_is_answered_without_reading_the_poll_again(en, poll, residents):
    en.force_login(residents[0])
    vote(en, poll, "yes")

    with CaptureQueriesContext(connection) as queries:
        again = vote(en, poll, "no")

    assert again.status_code == 409
    page = again.content.decode()
    assert poll.title in page
    assert f'href="{detail_url(poll)}"' in page
    # The user, and the ballot's statements (the lock, the refused insert); the page's
    # title comes from them.
    assert not any(
        query["sql"].startswith('SELECT "voting_poll"') for query in queries.captured_queries
    )


def test_a_refusal_speaks_the_voters_language(client, poll, residents):
    from django.utils import translation

    message = "You have already voted in this poll. Only your first ballot counts."
    client.force_login(residents[0])  # no language chosen: the site's, Chinese
    vote(client, poll, "yes")

    again = vote(client, poll, "no")

    page = again.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext(message) in page
    assert '<html lang="zh-hans">' in page and again["Content-Language"] == "zh-hans"


def test_the_vote_path_reads_the_same_user_as_django(rf, residents, client):
    from importlib import import_module

    from django.conf import settings
    from django.contrib import auth
    from django.contrib.auth import get_user_model

    from voting.views.session_user import _user_reader, session_user

    client.force_login(residents[0])
    request = rf.post("/")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    request.session = store(client.session.session_key)

    lean, django = session_user(request), auth.get_user(request)

    # PostgreSQL reads the row with a plain SELECT; elsewhere it is Django's get_user.
    plain = _user_reader(get_user_model()) is not None
    assert plain == (connection.vendor == "postgresql")

    assert lean.pk == django.pk == residents[0].pk
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(lean, field.attname) == getattr(django, field.attname), field.name


def test_the_first_ballot_counts_and_a_second_is_refused_as_already_voted(en, poll, residents):
    en.force_login(residents[0])
    vote(en, poll, "yes")

    again = vote(en, poll, "no")

    assert again.status_code == 409
    page = again.content.decode()
    assert "You have already voted in this poll" in page
    assert "You have voted." in page
    assert Ballot.objects.get(poll=poll).content == choose(poll, "yes")


def test_the_poll_page_offers_the_form_then_says_you_have_voted(en, poll, residents):
    en.force_login(residents[0])
    before = en.get(detail_url(poll)).content.decode()
    vote(en, poll, "yes")
    after = en.get(detail_url(poll)).content.decode()

    assert f'action="{vote_url(poll)}"' in before
    assert 'type="radio" name="option"' in before
    assert "You have voted." in after
    assert f'action="{vote_url(poll)}"' not in after


def test_a_named_poll_says_so_before_the_form(en, open_poll, committee, make_person):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(3)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True)
    en.force_login(representatives[0])

    page = en.get(detail_url(poll)).content.decode()

    banner = page.index("Named vote: everyone can see who voted what.")
    assert banner < page.index(f'action="{vote_url(poll)}"')
    assert "Secret ballot: your choice is recorded without your name." not in page


def test_a_secret_poll_says_so_and_hides_its_figures_until_counted(en, poll, residents, chair):
    for resident in residents[:3]:
        en.force_login(resident)
        vote(en, poll, "yes")
    en.force_login(residents[3])

    running = en.get(detail_url(poll)).content.decode()
    services.poll_close(poll=poll, by=chair, reason="提前结束测试")
    counted = en.get(detail_url(poll)).content.decode()

    assert "Secret ballot: your choice is recorded without your name." in running
    assert "results are hidden until the poll is counted." in running
    assert 'data-live="voted">3<' in running  # turnout is public, the figures are not
    assert 'id="result"' not in running
    assert 'id="result"' in counted
    assert "3 votes · 100.0%" in counted
    assert "Majority counted over the ballots cast" in counted
    assert "online 3 · by proxy 0 · paper ballots 0 · show of hands 0" in counted


def test_the_turnout_box_is_wired_for_the_live_script(en, poll, residents):
    page = en.get(detail_url(poll)).content.decode()

    assert f'id="poll-turnout" data-poll-live data-ws="/ws/polls/{poll.pk}/"' in page
    assert 'src="/static/js/poll_live.js"' in page


def test_a_named_poll_shows_its_running_count(en, open_poll, committee, make_person):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(3)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True)
    en.force_login(representatives[0])
    vote(en, poll, "no")

    page = en.get(detail_url(poll)).content.decode()

    assert f'data-live-tally="{option_id(poll, "no")}">1<' in page
    assert f'data-live-tally="{option_id(poll, "yes")}">0<' in page


def test_multiple_choice_states_its_limits_and_takes_checkboxes(en, open_poll, residents):
    poll = open_poll(
        method=Poll.Method.MULTIPLE, options=["绿化", "停车", "照明"], min_choices=1, max_choices=2
    )
    en.force_login(residents[0])

    page = en.get(detail_url(poll)).content.decode()
    response = en.post(
        vote_url(poll),
        {"options": [option_id(poll, label="绿化"), option_id(poll, label="照明")]},
    )

    assert "Choose at least 1 and at most 2." in page
    assert page.count('type="checkbox" name="options"') == 3
    assert response.status_code == 200
    chosen = sorted([option_id(poll, label="绿化"), option_id(poll, label="照明")])
    assert Ballot.objects.get(poll=poll).content == {"options": chosen}


def test_a_graded_ballot_rates_each_subject_with_a_comment_kept_apart(en, open_poll, residents):
    poll = open_poll(
        method=Poll.Method.GRADED,
        options=["满意", "基本满意", "不满意"],
        subjects=["居委会整体", "王主任"],
        title="2025年度民主评议",
    )
    subjects = list(poll.subjects.order_by("order"))
    en.force_login(residents[0])

    page = en.get(detail_url(poll)).content.decode()
    response = en.post(
        vote_url(poll),
        {
            f"grade-{subjects[0].pk}": option_id(poll, label="满意"),
            f"grade-{subjects[1].pk}": option_id(poll, label="基本满意"),
            "comment": "楼道灯修得很快",
        },
    )

    assert "<legend>居委会整体</legend>" in page and "<legend>王主任</legend>" in page
    assert 'name="comment"' in page
    assert response.status_code == 200
    assert Ballot.objects.get(poll=poll).content == {
        "grades": {
            str(subjects[0].pk): option_id(poll, label="满意"),
            str(subjects[1].pk): option_id(poll, label="基本满意"),
        }
    }
    assert BallotComment.objects.get(poll=poll).text == "楼道灯修得很快"


# The ballot board -----------------------------------------------------------------------


def test_the_board_lists_the_receipt_after_counting_and_finds_it(en, poll, residents, chair):
    receipts = []
    for resident in residents[:3]:
        en.force_login(resident)
        receipts.append(receipt_of(vote(en, poll, "yes")))
    services.poll_close(poll=poll, by=chair, reason="全部住户已投票")
    en.logout()
    en.cookies["django_language"] = "en"  # logging out clears the cookies

    listing = en.get(board_url(poll))
    typed = receipts[1].lower().replace("-", " ")
    found = en.get(board_url(poll), {"receipt": typed})
    missing = en.get(board_url(poll), {"receipt": "2222-2222-2222"})

    assert listing.status_code == 200
    assert all(receipt in listing.content.decode() for receipt in receipts)
    assert "Found: your ballot is on the board and was counted." in found.content.decode()
    assert re.search(
        rf'class="board-row--found"[^>]*>\s*<td[^>]*><span class="receipt-code">{receipts[1]}<',
        found.content.decode(),
    )
    assert "No ballot has this receipt." in missing.content.decode()
    assert f'href="{reverse("voting:board_export", args=[poll.pk])}"' in listing.content.decode()
    assert f'href="{reverse("voting:board_csv", args=[poll.pk])}"' in listing.content.decode()
    assert f"python offline_recount.py board-{poll.pk}.json" in listing.content.decode()
    assert f"manage.py verify_poll {poll.pk}" in listing.content.decode()


def test_the_board_of_an_open_poll_says_when_it_opens(en, poll):
    response = en.get(board_url(poll))

    assert response.status_code == 200
    assert "The ballot board opens when counting is done." in response.content.decode()


def test_the_board_counts_a_poll_whose_time_is_up(en, poll, residents):
    en.force_login(residents[0])
    receipt = receipt_of(vote(en, poll, "no"))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = en.get(board_url(poll))

    assert receipt in response.content.decode()
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_a_named_board_shows_who_voted_what(en, open_poll, committee, make_person, chair):
    representative = make_person(committee, Role.REPRESENTATIVE, real_name="李代表")
    make_person(committee, Role.REPRESENTATIVE)
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, named=True)
    en.force_login(representative)
    vote(en, poll, "no")
    services.poll_close(poll=poll, by=chair, reason="会议结束")

    page = en.get(board_url(poll)).content.decode()

    # The option's label as stored when the poll was drafted (in the site's language).
    no = poll.options.get(code="no").label
    assert re.search(rf">李代表</td>\s*<td[^>]*>{no}</td>", page)


def test_the_board_reads_the_same_few_rows_whatever_the_number_of_ballots(
    en, poll, residents, chair
):
    for resident in residents:
        en.force_login(resident)
        vote(en, poll, "yes")
    services.poll_close(poll=poll, by=chair, reason="测试")
    en.logout()

    with CaptureQueriesContext(connection) as queries:
        response = en.get(board_url(poll))

    # The poll, its options and subjects, the count and the page of ballots.
    assert response.status_code == 200
    assert len(queries.captured_queries) == 5


def test_the_poll_page_reads_a_fixed_number_of_rows(en, poll, residents):
    for resident in residents[1:]:
        en.force_login(resident)
        vote(en, poll, "yes")
    en.force_login(residents[0])

    with CaptureQueriesContext(connection) as queries:
        response = en.get(detail_url(poll))

    # The poll, options, subjects, the user, their elector row and participation, their
    # roles, the turnout and the inbox badge: none of it grows with the ballots.
    assert response.status_code == 200
    assert len(queries.captured_queries) == 9


# Lists ---------------------------------------------------------------------------------


def test_the_list_marks_the_polls_already_voted(en, poll, open_poll, residents):
    other = open_poll(title="是否更换小区大门")
    en.force_login(residents[0])
    vote(en, poll, "yes")

    page = en.get(reverse("voting:poll_list")).content.decode()

    voted = page.index(poll.title)
    not_voted = page.index(other.title)
    assert "Voted" in page[voted : voted + 300]
    assert "Not voted yet" in page[not_voted : not_voted + 300]


def test_visitors_see_counted_polls_and_their_boards_only(en, poll, open_poll, chair):
    counted = open_poll(title="是否同意增设快递柜")
    services.poll_close(poll=counted, by=chair, reason="测试")

    page = en.get(reverse("voting:poll_list")).content.decode()

    assert counted.title in page
    assert board_url(counted) in page
    assert poll.title not in page


# The chair -----------------------------------------------------------------------------


def test_the_chair_drafts_a_poll_from_the_form(en, committee, chair, residents):
    en.force_login(chair)
    closes = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "小区停车方案",
        "method": Poll.Method.SINGLE,
        "options": "方案一\n方案二\n\n",
        "min_choices": 1,
        "max_choices": 1,
        "electorate": Poll.Electorate.RESIDENTS,
        "base": Poll.Base.CAST,
        "closes_at": closes,
    }
    url = reverse("voting:poll_new", args=[committee.pk])

    refused = en.post(url, {**data, "named": "on"})
    response = en.post(url, data)

    assert refused.status_code == 400
    assert "Only representatives&#x27; votes can be named" in refused.content.decode()
    assert 'value="小区停车方案"' in refused.content.decode()
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(poll)
    assert list(poll.options.values_list("label", flat=True)) == ["方案一", "方案二"]


def test_the_chair_opens_then_closes_early_with_a_reason(en, make_poll, chair, residents):
    poll = make_poll()
    en.force_login(chair)

    opened = en.post(reverse("voting:poll_open", args=[poll.pk]))
    form = en.get(reverse("voting:poll_close", args=[poll.pk]))
    no_reason = en.post(reverse("voting:poll_close", args=[poll.pk]), {"reason": " "})
    closed = en.post(reverse("voting:poll_close", args=[poll.pk]), {"reason": "暴雨停电"})
    page = en.get(detail_url(poll)).content.decode()

    assert opened.status_code == 302
    assert form.status_code == 200
    assert no_reason.status_code == 400
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED
    assert closed.status_code == 302
    assert "暴雨停电" in page
    assert 'id="result"' in page


def test_a_draft_shows_the_chair_the_open_button_and_residents_no_form(
    en, make_poll, chair, residents
):
    poll = make_poll()
    en.force_login(chair)
    chair_page = en.get(detail_url(poll)).content.decode()
    en.force_login(residents[0])
    resident_page = en.get(detail_url(poll)).content.decode()

    assert reverse("voting:poll_open", args=[poll.pk]) in chair_page
    assert reverse("voting:poll_open", args=[poll.pk]) not in resident_page
    assert "it is not open for voting yet" in resident_page


# Paper ballots at a meeting --------------------------------------------------------------


@pytest.fixture
def meeting_poll(committee, chair, residents, open_poll):
    """A secret poll of the residents checked in at an open residents' assembly."""
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="居民会议",
        starts_at=timezone.now() + timedelta(days=11),
        place="活动中心",
        chair=chair,
    )
    meetings.meeting_open(meeting=meeting, by=chair)
    for resident in residents:
        meetings.attendance_check_in(meeting=meeting, person=resident, by=chair)
    return open_poll(
        electorate=Poll.Electorate.MEETING,
        meeting=meeting,
        body=Body.ASSEMBLY,
        base=Poll.Base.PRESENT,
        title="是否同意修订居民公约",
    )


def test_paper_ballots_count_once_another_official_confirms(
    en, meeting_poll, chair, staff, residents
):
    poll = meeting_poll
    electors = list(Elector.objects.filter(poll=poll, person__in=residents[:3]))
    en.force_login(chair)
    form = en.get(reverse("voting:paper_new", args=[poll.pk]))
    entered = en.post(
        reverse("voting:paper_new", args=[poll.pk]),
        {
            "kind": PaperEntry.Kind.PAPER,
            "electors": [elector.pk for elector in electors],
            f"count-{option_id(poll, 'yes')}": 2,
            f"count-{option_id(poll, 'no')}": 0,
            f"count-{option_id(poll, 'abstain')}": 0,
            "invalid": 1,
        },
    )
    entry = PaperEntry.objects.get()
    confirm_url = reverse("voting:paper_confirm", args=[poll.pk, entry.pk])
    chair_page = en.get(detail_url(poll)).content.decode()
    by_the_same = en.post(confirm_url)

    assert form.status_code == 200
    assert entered.status_code == 302
    assert confirm_url not in chair_page
    assert "Another official must confirm this entry before it counts." in chair_page
    assert by_the_same.status_code == 302
    assert not Participation.objects.filter(poll=poll).exists()

    en.force_login(staff)
    assert confirm_url in en.get(detail_url(poll)).content.decode()
    confirmed = en.post(confirm_url)

    assert confirmed.status_code == 302
    assert Participation.objects.filter(poll=poll, channel=Channel.PAPER).count() == 3
    assert sorted(
        c.get("invalid", False) for c in poll.ballots.values_list("content", flat=True)
    ) == [
        False,
        False,
        True,
    ]


def test_a_paper_entry_with_too_few_ballots_keeps_what_was_typed(
    en, meeting_poll, chair, residents
):
    poll = meeting_poll
    electors = list(Elector.objects.filter(poll=poll, person__in=residents[:2]))
    en.force_login(chair)

    response = en.post(
        reverse("voting:paper_new", args=[poll.pk]),
        {
            "kind": PaperEntry.Kind.PAPER,
            "electors": [elector.pk for elector in electors],
            f"count-{option_id(poll, 'yes')}": 1,
            f"count-{option_id(poll, 'no')}": 0,
            f"count-{option_id(poll, 'abstain')}": 0,
            "invalid": 0,
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "1 ballots for 2 voters" in page
    assert all(f'value="{elector.pk}" id' in page and "checked" in page for elector in electors)
    assert not PaperEntry.objects.exists()


def test_a_poll_on_a_motion_is_drafted_from_it_and_decides_it(en, meeting_poll, chair):
    meeting = meeting_poll.meeting
    motion = meetings.motion_add(
        meeting=meeting, by=chair, kind="procedural", title="延长会议时间", text="延长半小时"
    )
    en.force_login(chair)
    url = reverse("voting:poll_new", args=[meeting.committee_id]) + f"?motion={motion.pk}"

    form = en.get(url).content.decode()
    closes = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = en.post(
        url,
        {
            "title": "延长会议时间",
            "method": Poll.Method.YES_NO,
            "min_choices": 1,
            "max_choices": 1,
            "electorate": Poll.Electorate.MEETING,
            "meeting": meeting.pk,
            "body": Body.ASSEMBLY,
            "base": Poll.Base.PRESENT,
            "closes_at": closes,
        },
    )

    assert "counting it decides the motion" in form
    assert 'value="延长会议时间"' in form
    assert response.status_code == 302
    assert Poll.objects.get(motion=motion).meeting == meeting


# Proxies ------------------------------------------------------------------------------


def test_a_resident_gives_a_proxy_and_the_holder_votes_for_both(en, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    grantor, holder = residents[0], residents[1]
    en.force_login(grantor)
    given = en.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": holder.phone[3:]})
    en.force_login(holder)
    page = en.get(detail_url(poll)).content.decode()
    grantor_elector = Elector.objects.get(poll=poll, person=grantor)

    by_proxy = vote(en, poll, "no", on_behalf_of=grantor_elector.pk)
    own = vote(en, poll, "yes", on_behalf_of="")

    assert given.status_code == 302
    assert "For myself" in page
    assert f"For {grantor} (proxy)" in page
    assert by_proxy.status_code == own.status_code == 200
    channels = dict(
        Participation.objects.filter(poll=poll).values_list("elector__person", "channel")
    )
    assert channels == {grantor.pk: Channel.PROXY, holder.pk: Channel.ONLINE}


def test_staff_record_a_paper_proxy_with_its_form_number(en, open_poll, residents, staff):
    poll = open_poll(proxies_allowed=True)
    en.force_login(staff)
    url = reverse("voting:proxy_new", args=[poll.pk])

    form = en.get(url).content.decode()
    response = en.post(
        url,
        {
            "grantor_phone": residents[2].phone,
            "holder_phone": residents[3].phone[3:],
            "document": "委托书第7号",
        },
    )

    assert 'name="grantor_phone"' in form and 'name="document"' in form
    assert response.status_code == 302
    proxy = poll.proxies.get()
    assert (proxy.grantor.person, proxy.holder.person, proxy.document) == (
        residents[2],
        residents[3],
        "委托书第7号",
    )


# Audit -------------------------------------------------------------------------------------


def test_the_audit_shows_who_voted_and_never_what(en, poll, residents, make_person, committee):
    supervisor = make_person(committee, Role.SUPERVISOR, mfa=True)
    residents[0].real_name = "张三丰"
    residents[0].save()
    en.force_login(residents[0])
    receipt = receipt_of(vote(en, poll, "abstain"))
    en.force_login(supervisor)

    response = en.get(reverse("voting:poll_audit", args=[poll.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Electorate: 5 voters" in page
    assert "Who voted: 1" in page
    assert re.search(r">张三丰\s*</td>\s*<td[^>]*><time", page)
    assert receipt not in page
    assert "Abstain" not in page
