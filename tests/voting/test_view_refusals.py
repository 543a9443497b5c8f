"""Ballots and requests the poll pages refuse: each with the reason on the page and an
HTTP status that says why (409 the poll's state, 403 who asked, 400 what was filled in),
what was chosen kept, and never an error page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.community.models import Role
from voting.models import Ballot, Elector, Participation, Poll

from ..factories import CommitteeFactory
from .conftest import option_id


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def vote_url(poll) -> str:
    return reverse("voting:ballot_cast", args=[poll.pk])


def test_a_get_on_the_vote_address_goes_to_the_poll(en, poll, residents):
    en.force_login(residents[0])

    response = en.get(vote_url(poll))

    assert response.status_code == 302
    assert response["Location"] == reverse("voting:poll_detail", args=[poll.pk]) + "#vote"
    assert en.delete(vote_url(poll)).status_code == 405


def test_a_ballot_for_an_unknown_poll_is_not_found(en, residents):
    en.force_login(residents[0])

    assert en.post(reverse("voting:ballot_cast", args=[999999]), {"option": 1}).status_code == 404
    assert en.get(reverse("voting:poll_detail", args=[999999])).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(en, poll):
    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Ballot.objects.exists()


def test_a_vote_after_the_password_was_changed_elsewhere_is_sent_to_sign_in(en, poll, residents):
    voter = residents[0]
    en.force_login(voter)
    voter.set_password("a new password 2024")
    voter.save()

    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Ballot.objects.exists()
    # The old session is gone: signing in again is the only way back.
    assert en.post(vote_url(poll), {"option": option_id(poll, "yes")}).status_code == 302


def test_a_deactivated_account_cannot_vote(en, poll, residents):
    en.force_login(residents[0])
    residents[0].is_active = False
    residents[0].save()

    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 302
    assert not Ballot.objects.exists()


def test_a_session_signed_with_the_previous_secret_key_still_votes(en, poll, residents, settings):
    en.force_login(residents[0])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40

    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 200
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_someone_outside_the_electorate_is_refused(en, poll, make_person):
    outsider = make_person(CommitteeFactory(), Role.RESIDENT)
    en.force_login(outsider)

    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 403
    assert "You are not in this poll&#x27;s electorate." in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_resident_verified_after_the_poll_opened_is_not_in_its_electorate(
    en, poll, make_person, committee
):
    newcomer = make_person(committee, Role.RESIDENT)
    en.force_login(newcomer)

    page = en.get(reverse("voting:poll_detail", args=[poll.pk])).content.decode()
    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert "It was fixed when the poll opened" in page
    assert f'action="{vote_url(poll)}"' not in page
    assert response.status_code == 403


def test_a_ballot_a_moment_late_is_refused_with_the_closing_time(en, poll, residents):
    yes = option_id(poll, "yes")
    en.force_login(residents[0])
    en.post(vote_url(poll), {"option": yes})
    closes_at = timezone.now() - timedelta(seconds=1)
    Poll.objects.filter(pk=poll.pk).update(closes_at=closes_at)
    en.force_login(residents[1])

    response = en.post(vote_url(poll), {"option": yes})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Your ballot arrived too late and was not counted." in page
    assert timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M") in page
    # The late voter sees the result: the refusal's page counted the poll.
    assert 'id="result"' in page
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_a_ballot_after_an_early_close_is_refused(en, poll, residents, chair):
    from voting import services

    services.poll_close(poll=poll, by=chair, reason="停电")
    en.force_login(residents[0])

    response = en.post(vote_url(poll), {"option": option_id(poll, "yes")})

    assert response.status_code == 409
    assert "Voting closed at" in response.content.decode()


def test_a_ballot_on_a_draft_or_before_the_opening_time_is_refused(
    en, make_poll, open_poll, residents
):
    draft = make_poll()
    later = open_poll(opens_at=timezone.now() + timedelta(hours=2), title="明天开始的投票")
    en.force_login(residents[0])

    on_draft = en.post(vote_url(draft), {"option": option_id(draft, "yes")})
    too_early = en.post(vote_url(later), {"option": option_id(later, "yes")})
    page = en.get(reverse("voting:poll_detail", args=[later.pk])).content.decode()

    assert on_draft.status_code == too_early.status_code == 409
    assert "Voting has not opened yet" in on_draft.content.decode()
    assert "it opens at" in too_early.content.decode()
    assert "Voting opens at" in page
    assert not Ballot.objects.exists()


def test_too_many_choices_are_refused_and_the_form_keeps_them(en, open_poll, residents):
    poll = open_poll(
        method=Poll.Method.MULTIPLE,
        options=["绿化", "停车", "照明"],
        min_choices=1,
        max_choices=2,
    )
    chosen = [option_id(poll, label=label) for label in ("绿化", "停车", "照明")]
    en.force_login(residents[0])

    response = en.post(vote_url(poll), {"options": chosen})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose between 1 and 2 options; you chose 3." in page
    for option in chosen:
        assert f'name="options" value="{option}"' in page
    assert page.count("checked") == 3
    assert not Participation.objects.exists()


def test_a_ballot_with_nothing_chosen_is_refused_as_unreadable(en, poll, residents):
    en.force_login(residents[0])

    response = en.post(vote_url(poll), {})

    assert response.status_code == 400
    assert "Make your choice before you vote." in response.content.decode()


def test_a_choice_of_another_poll_is_refused(en, poll, open_poll, residents):
    other = open_poll(title="另一个投票")
    en.force_login(residents[0])

    response = en.post(vote_url(poll), {"option": option_id(other, "yes")})

    assert response.status_code == 400
    assert "not one of the poll&#x27;s options" in response.content.decode()


def test_a_graded_ballot_missing_a_grade_keeps_the_others(en, open_poll, residents):
    poll = open_poll(
        method=Poll.Method.GRADED, options=["称职", "不称职"], subjects=["王主任", "李委员"]
    )
    first, _second = poll.subjects.order_by("order")
    en.force_login(residents[0])

    response = en.post(
        vote_url(poll),
        {f"grade-{first.pk}": option_id(poll, label="称职"), "comment": "辛苦了"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Give a grade to everyone rated on this ballot." in page
    kept = f'name="grade-{first.pk}" value="{option_id(poll, label="称职")}"'
    assert kept in page and "checked" in page[page.index(kept) - 200 : page.index(kept) + 200]
    assert "辛苦了" in page


def test_a_vote_for_someone_whose_proxy_one_does_not_hold_is_refused(en, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    stranger = Elector.objects.get(poll=poll, person=residents[4])
    en.force_login(residents[0])

    response = en.post(
        vote_url(poll), {"option": option_id(poll, "yes"), "on_behalf_of": stranger.pk}
    )
    garbled = en.post(vote_url(poll), {"option": option_id(poll, "yes"), "on_behalf_of": "x"})

    assert response.status_code == garbled.status_code == 403
    assert "You do not hold a written proxy from this voter" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_proxy_on_a_poll_that_allows_none_is_refused_on_the_form(en, poll, residents):
    en.force_login(residents[0])

    response = en.post(
        reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": residents[1].phone}
    )

    assert response.status_code == 400
    assert "This poll does not allow proxies." in response.content.decode()


def test_a_fourth_proxy_is_refused(en, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    holder = residents[0]
    for grantor in residents[1:4]:
        en.force_login(grantor)
        en.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": holder.phone})
    en.force_login(residents[4])

    response = en.post(
        reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": holder.phone[3:]}
    )

    assert response.status_code == 400
    assert "already carries 3 proxies" in response.content.decode()


def test_a_proxy_to_an_unknown_number_says_so(en, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    en.force_login(residents[0])

    unknown = en.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": "13000000000"})
    malformed = en.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": "12345"})

    assert unknown.status_code == malformed.status_code == 400
    assert "No one has an account with this mobile number." in unknown.content.decode()
    assert "Enter an 11-digit mobile number" in malformed.content.decode()


def test_the_board_files_of_an_open_poll_are_not_published(en, poll):
    assert en.get(reverse("voting:board_export", args=[poll.pk])).status_code == 404
    assert en.get(reverse("voting:board_csv", args=[poll.pk])).status_code == 404


def test_odd_page_numbers_and_receipts_on_the_board_still_show_it(en, poll, chair):
    from voting import services

    services.poll_close(poll=poll, by=chair, reason="测试")
    board = reverse("voting:ballot_board", args=[poll.pk])

    assert en.get(board, {"page": "abc"}).status_code == 200
    assert en.get(board, {"page": "999"}).status_code == 200
    nonsense = en.get(board, {"receipt": "<script>"})
    assert nonsense.status_code == 200
    assert "<script>" not in nonsense.content.decode().split('id="search-heading"')[1]


def test_closing_early_without_a_reason_is_refused_and_the_poll_stays_open(en, poll, chair):
    en.force_login(chair)

    response = en.post(reverse("voting:poll_close", args=[poll.pk]), {"reason": ""})

    assert response.status_code == 400
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


def test_opening_twice_says_so(en, poll, chair):
    en.force_login(chair)

    response = en.post(reverse("voting:poll_open", args=[poll.pk]), follow=True)

    assert "This poll has already been opened." in response.content.decode()


def test_a_chair_without_two_step_verification_is_sent_to_set_it_up(
    en, make_poll, make_person, committee
):
    poll = make_poll()
    chair = make_person(committee, Role.CHAIR)  # no TOTP
    en.force_login(chair)

    response = en.post(reverse("voting:poll_open", args=[poll.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.DRAFT


def test_paper_entry_confirmation_is_post_only(en, poll, staff):
    en.force_login(staff)

    assert en.get(reverse("voting:paper_confirm", args=[poll.pk, 1])).status_code == 405


def test_paper_ballots_for_a_poll_not_held_at_a_meeting_are_refused(en, poll, chair):
    en.force_login(chair)
    elector = poll.electors.first()

    page = en.get(reverse("voting:paper_new", args=[poll.pk])).content.decode()
    response = en.post(
        reverse("voting:paper_new", args=[poll.pk]),
        {
            "kind": "paper",
            "electors": [elector.pk],
            f"count-{option_id(poll, 'yes')}": 1,
            f"count-{option_id(poll, 'no')}": 0,
            f"count-{option_id(poll, 'abstain')}": 0,
            "invalid": 0,
        },
    )

    assert "entered only for a poll held at a meeting" in page
    assert response.status_code == 400
    assert "entered only for a poll held at a meeting" in response.content.decode()


def test_numbers_no_row_can_have_are_not_found_rather_than_an_error(en, poll, residents):
    huge = "9" * 30
    en.force_login(residents[0])

    assert en.get(f"/polls/{huge}/").status_code == 404
    assert en.get(f"/polls/{huge}/board/").status_code == 404
    assert en.post(f"/polls/{huge}/vote/", {"option": 1}).status_code == 404
    assert en.get(f"/polls/{poll.pk}/paper/{huge}/confirm/").status_code == 405
    odd_choice = en.post(vote_url(poll), {"option": "²"})
    odd_proxy = en.post(vote_url(poll), {"option": option_id(poll, "yes"), "on_behalf_of": huge})
    assert odd_choice.status_code == 400
    assert odd_proxy.status_code == 403
    assert not Ballot.objects.exists()
