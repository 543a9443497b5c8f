"""The large-text switch: remembered in this browser (a cookie) and for the person."""

import pytest
from django.urls import reverse

from townhall.accounts.text_size import COOKIE

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:text_size")


def html_tag(response) -> str:
    page = response.content.decode()
    return page[page.index("<html") : page.index(">", page.index("<html")) + 1]


def test_a_visitor_turns_large_text_on_and_every_page_is_larger(client, wagtail_site):
    response = client.post(SWITCH, {"large": "1", "next": "/privacy/"})

    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies[COOKIE].value == "large"
    assert response.cookies[COOKIE]["max-age"] >= 30 * 24 * 60 * 60
    for url in ("/privacy/", "/accounts/login/", "/"):
        assert 'class="text-large"' in html_tag(client.get(url)), url


def test_the_switch_says_whether_large_text_is_on(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="large" value="1"' in page and 'aria-pressed="false"' in page
    assert "text-large" not in html_tag(client.get("/accounts/login/"))

    client.post(SWITCH, {"large": "1", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()

    assert 'name="large" value="0"' in page


def test_turning_it_off_leaves_standard_text(client):
    client.post(SWITCH, {"large": "1"})
    response = client.post(SWITCH, {"large": "0", "next": "/privacy/"})

    assert response.cookies[COOKIE].value == "standard"
    assert "text-large" not in html_tag(client.get("/privacy/"))


def test_a_signed_in_person_keeps_the_setting_on_another_browser(client):
    person = UserFactory()
    client.force_login(person)

    client.post(SWITCH, {"large": "1", "next": "/privacy/"})

    person.refresh_from_db()
    assert person.large_text is True
    client.cookies.clear()  # another phone: no cookie yet
    client.force_login(person)
    assert 'class="text-large"' in html_tag(client.get("/privacy/"))


def test_this_browsers_choice_wins_over_the_persons(client):
    person = UserFactory(large_text=True)
    client.force_login(person)
    client.cookies[COOKIE] = "standard"

    assert "text-large" not in html_tag(client.get("/privacy/"))


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_the_switch_never_sends_anyone_off_the_site(client, next_url):
    response = client.post(SWITCH, {"large": "1", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_without_next_it_goes_back_to_the_page_it_was_pressed_on(client):
    response = client.post(SWITCH, {"large": "1"}, HTTP_REFERER="http://testserver/polls/")

    assert response["Location"] == "http://testserver/polls/"


def test_the_switch_only_takes_a_post(client):
    assert client.get(SWITCH).status_code == 405
