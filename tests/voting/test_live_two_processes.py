"""Live turnout across processes, as in production: ballots come in through WSGI workers
(granian) and the poll's pages hold their websockets on two separate daphne processes,
all joined by the Redis channel layer and cache. A ballot cast anywhere reaches every
open page.

Needs PostgreSQL and Redis (CI's second pass); skipped on the embedded defaults, where
no second process could see the in-memory database or channel layer.
"""

import contextlib
import json
import time
from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from websockets.sync.client import connect as ws_connect

from townhall.community.models import Role
from voting import services
from voting.models import Participation, Poll

from ..servers import (
    Server,
    collectstatic,
    daphne_command,
    free_port,
    granian_wsgi_command,
    needs_postgres_and_redis,
    server_env,
    session_cookie,
)

pytestmark = [
    pytest.mark.scaleout,
    needs_postgres_and_redis,
    pytest.mark.django_db(transaction=True),
]

PUSH_TIMEOUT = 10  # seconds for a push to reach an open page


@pytest.fixture(scope="module")
def servers(request, django_db_setup):
    """granian (WSGI) for HTTP and two daphne processes for websockets, all on the test
    database and the same Redis; always stopped at the end of the module."""
    env = server_env()
    collectstatic(env)
    started: list[Server] = []

    def stop_all():
        for server in reversed(started):
            server.stop()

    request.addfinalizer(stop_all)
    wsgi_port, a_port, b_port = free_port(), free_port(), free_port()
    # Started together, waited for one by one: they boot in parallel.
    started.append(Server("granian-wsgi", granian_wsgi_command(wsgi_port), env, wsgi_port))
    started.append(Server("daphne-a", daphne_command(a_port), env, a_port))
    started.append(Server("daphne-b", daphne_command(b_port), env, b_port))
    wsgi, daphne_a, daphne_b = started
    wsgi.wait_for_healthz()
    daphne_a.wait_for_port()
    daphne_b.wait_for_port()
    return {"wsgi": wsgi, "a": daphne_a, "b": daphne_b}


@pytest.fixture
def poll_and_voters(make_person, committee, grid):
    chair = make_person(committee, Role.CHAIR, mfa=True)
    voters = [make_person(committee, Role.RESIDENT, grid=grid) for _ in range(3)]
    poll = services.poll_create(
        committee=committee,
        by=chair,
        title="加装电梯",
        method=Poll.Method.YES_NO,
        closes_at=timezone.now() + timedelta(hours=1),
        electorate=Poll.Electorate.RESIDENTS,
        base=Poll.Base.CAST,
    )
    return services.poll_open(poll=poll, by=chair), voters


@contextlib.contextmanager
def _page(server: Server, poll: Poll):
    """A poll page's websocket held open on `server`, past its first message."""
    try:
        connection = ws_connect(
            f"ws://127.0.0.1:{server.port}/ws/polls/{poll.pk}/",
            origin=f"http://127.0.0.1:{server.port}",
            open_timeout=10,
        )
    except Exception as error:
        server.fail(f"could not open the poll's websocket: {error!r}")
    with connection as websocket:
        first = _recv(server, websocket)
        assert first == {"event": "poll.turnout", "voted": 0, "eligible": 3}
        yield websocket


def _recv(server: Server, websocket) -> dict:
    try:
        return json.loads(websocket.recv(timeout=PUSH_TIMEOUT))
    except TimeoutError:
        server.fail(f"no turnout message within {PUSH_TIMEOUT}s")


def _recv_until_voted(server: Server, websocket, voted: int) -> dict:
    """Messages until one shows `voted` ballots (an earlier push may come first)."""
    deadline = time.monotonic() + PUSH_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        try:
            message = json.loads(websocket.recv(timeout=deadline - time.monotonic()))
        except TimeoutError:
            break
        seen.append(message)
        if message.get("voted") == voted:
            return message
    server.fail(f"no message with voted={voted} within {PUSH_TIMEOUT}s; got {seen}")


def test_a_ballot_cast_over_http_reaches_pages_open_on_both_daphnes(servers, poll_and_voters):
    wsgi, daphne_a, daphne_b = servers["wsgi"], servers["a"], servers["b"]
    poll, voters = poll_and_voters
    yes = poll.options.get(code="yes")
    with _page(daphne_a, poll) as on_a, _page(daphne_b, poll) as on_b:
        # The voter opens the poll page on a WSGI worker, then votes from it.
        browser = requests.Session()
        browser.cookies.set(settings.SESSION_COOKIE_NAME, session_cookie(voters[0]))
        page_url = f"{wsgi.base_url}/polls/{poll.pk}/"
        page = browser.get(page_url, timeout=10, allow_redirects=False)
        if page.status_code != 200:
            wsgi.fail(f"GET {page_url} answered {page.status_code}: {page.text[:1000]}")
        assert 'id="poll-turnout"' in page.text
        assert "poll_live" in page.text, "the poll page does not load its live script"
        csrf_token = browser.cookies.get(settings.CSRF_COOKIE_NAME)
        assert csrf_token, "the poll page set no CSRF cookie"
        vote_url = f"{page_url}vote/"
        voted = browser.post(
            vote_url,
            data={"option": yes.pk, "csrfmiddlewaretoken": csrf_token},
            headers={"Referer": page_url},
            timeout=10,
            allow_redirects=False,
        )
        if voted.status_code != 200:
            wsgi.fail(f"POST {vote_url} answered {voted.status_code}: {voted.text[:1000]}")

        # What everyone watching notices: the turnout goes to 1 on both processes.
        expected = {"event": "poll.turnout", "voted": 1, "eligible": 3}
        assert _recv(daphne_a, on_a) == expected
        assert _recv(daphne_b, on_b) == expected

    assert Participation.objects.filter(poll=poll).count() == 1


def test_after_a_burst_a_refresh_on_either_daphne_gives_the_last_ballots(servers, poll_and_voters):
    daphne_a, daphne_b = servers["a"], servers["b"]
    poll, voters = poll_and_voters
    no = poll.options.get(code="no")
    with _page(daphne_a, poll) as on_a, _page(daphne_b, poll) as on_b:
        opened = time.monotonic()
        # Ballots from a third process (this one), through the same Redis.
        for voter in voters:
            services.ballot_cast(poll=poll, voter=voter, content={"options": [no.pk]})

        for server, websocket in ((daphne_a, on_a), (daphne_b, on_b)):
            first = _recv(server, websocket)
            assert first["event"] == "poll.turnout"
            assert set(first) == {"event", "voted", "eligible"}  # a secret poll: no tally
            assert 1 <= first["voted"] <= 3
        # What a page does after a quiet moment: ask once for the latest figures.
        time.sleep(max(0.0, opened + 1.2 - time.monotonic()))
        for server, websocket in ((daphne_a, on_a), (daphne_b, on_b)):
            websocket.send(json.dumps({"type": "refresh"}))
            latest = _recv_until_voted(server, websocket, 3)
            assert latest == {"event": "poll.turnout", "voted": 3, "eligible": 3}
