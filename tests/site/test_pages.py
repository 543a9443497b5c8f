"""The home page and the health check."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.community.models import Role

from ..factories import CommitteeFactory, GridFactory, MembershipFactory


@pytest.mark.django_db
def test_home_page_shows_the_community_and_its_committees(client):
    committee = CommitteeFactory(community__name="东川路社区", name="幸福里居委会")
    GridFactory(committee=committee)
    MembershipFactory(committee=committee, role=Role.RESIDENT)

    response = client.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "东川路社区" in page
    assert "幸福里居委会" in page


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_committees(client):
    def queries_for_home():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    CommitteeFactory()
    one = queries_for_home()
    for _ in range(5):
        MembershipFactory(committee=CommitteeFactory(), role=Role.RESIDENT)

    assert queries_for_home() == one


@pytest.mark.django_db
def test_health_check_reports_database_and_channel_layer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": True,
        "channel_layer": True,
    }


@pytest.mark.django_db
def test_health_check_fails_with_503_when_the_channel_layer_is_down(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens on port 1: the round trip must fail, not hang.
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()

    assert response.status_code == 503
    assert json.loads(response.content)["channel_layer"] is False
    assert json.loads(response.content)["database"] is True
