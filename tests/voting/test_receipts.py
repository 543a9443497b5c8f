"""The receipt cannot be lost by reloading: the receipt page says it is shown once and
offers to keep it; a reload (a second POST) or a GET of the vote address says the vote
is in and where the ballot will be found; a proxy holder's receipt says whose it is.
Nothing of this is stored with the voter (see test_secrecy.py)."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from voting.models import Ballot, Elector, Participation

from .conftest import option_id

ALREADY = "投票结束后，可在公示的选票清单中用您的回执码查找您的选票"
RECEIPT = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def vote(client, poll, code="yes", **fields):
    url = reverse("voting:ballot_cast", args=[poll.pk])
    return client.post(url, {"option": option_id(poll, code), **fields})


def board_link(poll) -> str:
    return f'href="{reverse("voting:ballot_board", args=[poll.pk])}"'


def test_the_receipt_page_says_the_code_is_shown_once_and_offers_to_keep_it(zh, poll, residents):
    zh.force_login(residents[0])

    page = vote(zh, poll).content.decode()

    assert "回执码只显示这一次，请现在就保存好。" in page
    assert "离开本页前，请下载、打印或复制保存。" in page
    assert ALREADY in page
    assert "下载回执" in page and "打印" in page and "复制回执码" in page
    # Leaving before keeping it asks first (the script), and nothing else is loaded.
    assert re.search(r'<script src="[^"]*js/receipt\.js"', page)
    assert "代" not in page.split("<main")[1].split("</main>")[0].split("回执")[0]


def test_a_reload_of_the_receipt_page_says_already_voted_with_the_board(zh, poll, residents):
    zh.force_login(residents[0])
    first = vote(zh, poll, "yes")

    again = vote(zh, poll, "yes")  # the browser posts the same form again

    assert first.status_code == 200 and again.status_code == 409
    page = again.content.decode()
    assert "您已投票" in page
    assert ALREADY in page
    assert board_link(poll) in page
    assert not RECEIPT.search(page)  # the receipt is not shown again: it is kept nowhere
    assert "sessionid" not in again.cookies
    assert Ballot.objects.filter(poll=poll).count() == Participation.objects.count() == 1


def test_a_second_ballot_with_another_choice_is_answered_the_same_way(en, poll, residents):
    en.force_login(residents[0])
    vote(en, poll, "yes")

    page = vote(en, poll, "no").content.decode()

    assert "You have voted." in page
    assert "you can find your ballot with your receipt code in the published list" in page
    assert board_link(poll) in page
    assert "Your ballot was not taken" not in page  # the title says voted, not an error


def test_a_get_of_the_vote_address_after_voting_shows_the_voted_poll(en, poll, residents):
    en.force_login(residents[0])
    vote(en, poll)
    url = reverse("voting:ballot_cast", args=[poll.pk])

    response = en.get(url)
    page = en.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert response["Location"] == reverse("voting:poll_detail", args=[poll.pk]) + "#vote"
    assert "You have voted." in page
    assert board_link(poll) in page
    assert f'action="{url}"' not in page  # no blank form
    assert en.put(url).status_code == 405


def test_a_proxy_holders_receipt_says_whose_ballot_it_is(zh, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    grantor, holder, other = residents[0], residents[1], residents[2]
    zh.force_login(grantor)
    zh.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": holder.phone[3:]})
    zh.force_login(holder)
    principal = Elector.objects.get(poll=poll, person=grantor)

    by_proxy = vote(zh, poll, "no", on_behalf_of=principal.pk).content.decode()
    own = vote(zh, poll, "yes", on_behalf_of="").content.decode()
    zh.force_login(other)
    another = vote(zh, poll, "yes").content.decode()

    name = str(grantor)
    assert f"已代{name}投票" in by_proxy
    assert f"这是{name}的选票" in by_proxy
    assert f"请把这张回执交给{name}本人" in by_proxy
    download = re.search(r'href="data:text/plain;charset=utf-8,([^"]+)"', by_proxy).group(1)
    assert f"{name}的选票（委托投票）" in unquote(download)
    # The pages are cached per poll: one's own receipt never speaks of a proxy.
    for page in (own, another):
        assert "交给" not in page and "委托投票" not in page
        assert "您的回执" in page


def test_a_proxy_ballot_posted_again_says_that_vote_is_already_cast(en, open_poll, residents):
    poll = open_poll(proxies_allowed=True)
    grantor, holder = residents[0], residents[1]
    en.force_login(grantor)
    en.post(reverse("voting:proxy_new", args=[poll.pk]), {"holder_phone": holder.phone[3:]})
    en.force_login(holder)
    principal = Elector.objects.get(poll=poll, person=grantor)
    vote(en, poll, "no", on_behalf_of=principal.pk)

    again = vote(en, poll, "no", on_behalf_of=principal.pk)

    page = again.content.decode()
    assert again.status_code == 409
    assert "This vote has already been cast." in page
    assert "You have voted." not in page  # the holder has not voted for themselves
    assert board_link(poll) in page


def test_the_answer_pages_keep_large_text_from_the_browser_or_the_person(zh, poll, residents):
    from townhall.accounts.text_size import COOKIE, CSS_CLASS

    voter = residents[0]
    voter.large_text = True
    voter.save(update_fields=["large_text"])
    zh.force_login(voter)

    receipt = vote(zh, poll).content.decode()
    zh.cookies[COOKIE] = "standard"  # this browser's choice wins over the person's
    again = vote(zh, poll).content.decode()

    assert f'<html lang="zh-hans" class="{CSS_CLASS}">' in receipt
    assert '<html lang="zh-hans">' in again
