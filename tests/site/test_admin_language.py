"""The Wagtail admin speaks the reader's language with Wagtail's own Chinese, names the
site after the community and shows staff by their names, not their mobile numbers."""

import io
import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Site
from wagtail.users.models import UserProfile

from townhall.accounts.models import User
from townhall.cms.models import HomePage
from townhall.community import demo
from townhall.community.models import ResidentsCommittee, Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(is_staff=True, is_superuser=True, real_name="周敏", phone="+8613800000066")


def sidebar_labels(response) -> list[str]:
    """The labels of the admin's main menu, which Wagtail renders from JSON."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    labels = re.findall(
        r'"label": "([^"]*)"', json.dumps(json.loads(props.group(1)), ensure_ascii=False)
    )
    return labels


def test_the_admin_menu_is_in_wagtails_chinese(client, admin):
    client.force_login(admin)

    response = client.get("/cms/")

    labels = sidebar_labels(response)
    assert "页面" in labels
    assert "分页" not in labels
    assert "文档" in labels


def test_the_admin_is_in_english_when_the_person_chose_english(client, admin):
    client.force_login(admin)
    client.cookies["django_language"] = "en"

    labels = sidebar_labels(client.get("/cms/"))

    assert "Pages" in labels


def test_the_person_may_keep_the_admin_in_english_whatever_the_site_language(client, admin):
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)

    labels = sidebar_labels(client.get("/cms/"))

    assert "Pages" in labels


def test_the_admin_offers_only_the_sites_languages(client, admin):
    client.force_login(admin)

    response = client.get("/cms/account/")

    choices = re.findall(r'<option value="([^"]*)"', response.content.decode())
    assert {"zh-hans", "en"} <= set(choices)
    assert "fr" not in choices and "zh-hant" not in choices


def test_the_dashboard_counts_pages_in_chinese_where_wagtail_has_no_translation(
    client, admin, wagtail_site
):
    client.force_login(admin)

    html = client.get("/cms/").content.decode()

    assert "个页面" in html
    assert " Pages <span" not in html and " Page <span" not in html


def test_a_new_site_is_named_not_localhost():
    # The admin names the site by site_name, falling back to the hostname.
    assert Site.objects.get(is_default_site=True).site_name == "议事厅"


def test_load_demo_names_the_site_after_the_community(client, wagtail_site):
    call_command("load_demo", stdout=io.StringIO())
    login = next(login for login in demo.DEMO_LOGINS if login.role == Role.STAFF)
    staff = User.objects.get(phone__endswith=login.phone)
    client.force_login(staff)

    html = client.get("/cms/").content.decode()

    assert Site.objects.get(is_default_site=True).site_name == "晨曦路社区"
    assert re.search(r"<h1[^>]*>\s*晨曦路社区\s*</h1>", html)
    assert "localhost" not in html


def test_the_admin_names_staff_by_their_real_names_not_their_numbers(client, admin, wagtail_site):
    author = UserFactory(is_staff=True, real_name="王红梅", phone="+8613800000044")
    page = wagtail_site.add_child(instance=HomePage(title="通知", slug="notice", owner=author))
    page.save_revision(user=author, log_action=True)
    page.locked, page.locked_by = True, author
    page.save()
    client.force_login(admin)

    history = client.get(f"/cms/pages/{page.pk}/history/").content.decode()
    editor = client.get(f"/cms/pages/{page.pk}/edit/").content.decode()
    sidebar = client.get("/cms/").content.decode()

    assert "王红梅" in history
    assert "王红梅" in editor  # "locked by"
    assert "13800000044" not in history + editor
    assert '"name": "周敏"' in json.dumps(
        json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', sidebar, re.S)[1]),
        ensure_ascii=False,
    )


def test_no_english_count_of_seconds_reads_as_a_duration():
    # "12 seconds" reads as time passing; a count of 附议 says "supporters (附议)".
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "zh_Hans/LC_MESSAGES/django.po"))
    as_duration = re.compile(r"%\(\w+\)s (of %\(\w+\)s )?seconds?\b")

    wrong = [e.msgid for e in catalogue if as_duration.search(e.msgid + " " + e.msgid_plural)]

    assert not wrong


def test_an_english_opinion_list_counts_supporters(client, wagtail_site):
    call_command("load_demo", stdout=io.StringIO())
    committee = ResidentsCommittee.objects.order_by("pk").first()
    client.cookies["django_language"] = "en"

    html = client.get(f"/committees/{committee.slug}/opinions/").content.decode()

    assert re.search(r"\d+ supporters? \(附议\)", html)
    assert not re.search(r"\d+ seconds?\b", html)
