"""The moderation controls beside an opinion or comment: each person sees what they may
use, and a page of many comments costs no query per comment."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from deliberation.models import Comment
from deliberation.moderation import services
from townhall.community.models import Role

from .factories import CommentFactory, TopicFactory

pytestmark = pytest.mark.django_db

CONTROLS = Template(
    "{% load moderation %}{% for item in items %}"
    "<div>{% if item|content_visible_to:request.user %}{{ item.body }}{% endif %}"
    "{% moderation_controls item %}</div>{% endfor %}"
)


@pytest.fixture
def neighbour(make_person, committee, grid):
    return make_person(committee, Role.RESIDENT, grid=grid)


def render(user, items) -> str:
    """The items as a page of a new request by `user` shows them."""
    request = RequestFactory().get("/")
    request.user = make_fresh(user) if user.is_authenticated else user
    with translation.override("en"):
        return CONTROLS.render(Context({"request": request, "items": items}))


def test_resident_sees_a_report_form_beside_a_neighbours_opinion(opinion, neighbour):
    html = render(neighbour, [opinion])

    assert reverse("deliberation:opinion_report", args=[opinion.pk]) in html
    assert "Report…" in html
    assert "Hide…" not in html


def test_author_is_not_offered_to_report_their_own_opinion(opinion, resident):
    assert "Report…" not in render(resident, [opinion])


def test_signed_out_visitor_sees_no_controls(opinion):
    assert "<form" not in render(AnonymousUser(), [opinion])


def test_resident_who_reported_sees_that_instead_of_the_form(opinion, neighbour):
    services.report_file(item=opinion, reporter=neighbour, reason="广告")

    html = render(neighbour, [opinion])

    assert "You reported this" in html
    assert "Report…" not in html


def test_staff_sees_the_hide_form(opinion, staff):
    html = render(staff, [opinion])

    assert reverse("deliberation:opinion_hide", args=[opinion.pk]) in html


def test_author_of_a_hidden_opinion_sees_the_appeal_form_then_its_state(opinion, resident, staff):
    services.item_hide(item=opinion, by=staff, reason="广告")
    opinion.refresh_from_db()

    assert reverse("deliberation:opinion_appeal", args=[opinion.pk]) in render(resident, [opinion])

    services.appeal_file(item=opinion, author=resident, text="不是广告")
    html = render(resident, [opinion])
    assert "Your appeal is awaiting a moderator" in html
    assert reverse("deliberation:opinion_appeal", args=[opinion.pk]) not in html


def test_hidden_text_is_read_by_author_and_staff_only(opinion, resident, neighbour, staff):
    services.item_hide(item=opinion, by=staff, reason="广告")
    opinion.refresh_from_db()

    assert opinion.body in render(resident, [opinion])
    assert opinion.body in render(staff, [opinion])
    assert opinion.body not in render(neighbour, [opinion])
    assert opinion.body not in render(AnonymousUser(), [opinion])


def test_no_report_form_on_a_hidden_opinion(opinion, neighbour, staff):
    services.item_hide(item=opinion, by=staff, reason="广告")
    opinion.refresh_from_db()

    assert "Report…" not in render(neighbour, [opinion])


@pytest.mark.parametrize("who", ["neighbour", "staff"])
def test_controls_for_many_comments_cost_no_query_per_comment(
    who, committee, make_person, grid, request
):
    viewer = request.getfixturevalue(who)
    topic = TopicFactory(committee=committee)
    authors = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]

    def comments(count):
        for index in range(count):
            CommentFactory(topic=topic, author=authors[index % 3])
        listed = list(topic.comments.all())
        services.item_hide(item=listed[0], by=request.getfixturevalue("staff"), reason="广告")
        return list(Comment.objects.filter(topic=topic).select_related("topic__committee"))

    few = comments(3)
    with CaptureQueriesContext(connection) as few_queries:
        render(viewer, few)
    Comment.objects.update(hidden_at=None, hidden_reason="")
    many = comments(17)
    with CaptureQueriesContext(connection) as many_queries:
        render(viewer, many)

    assert len(many) == 20
    assert len(many_queries) == len(few_queries)


def make_fresh(user):
    """The user object of a new request: nothing cached on it yet."""
    return type(user).objects.get(pk=user.pk)
