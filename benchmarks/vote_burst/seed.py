"""The community the burst runs on, written fast (bulk inserts) but through the real
services where it matters: the polls are created with `poll_create` and opened with
`poll_open`, so each electorate is the real frozen snapshot; the sessions are what
`django.contrib.auth.login` leaves in the cached_db engine (database row and Redis
entry, with the auth hash of each user); the CSRF cookie and form token are what the
vote form's page would have given each browser.

Then the clients' files for vote.lua, one client a line (tab-separated): session key,
CSRF cookie, CSRF form token, option id. Who votes what is decided by the client's
index (ground truth), and so is which clients try a second time.
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import KEY_PREFIX, SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string

from townhall.accounts.models import User
from townhall.community.models import Community, Grid, Membership, ResidentsCommittee, Role
from voting import services
from voting.models import Option, Poll

GRIDS = 40
BATCH = 5000
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The ground truth: client n votes CHOICES[n % 10] (6 yes, 3 no, 1 abstain in 10).
CHOICES = ("yes", "no", "yes", "abstain", "yes", "no", "yes", "yes", "no", "yes")
# A duplicate tries the next code: a second attempt that would change the vote.
OTHER = {"yes": "no", "no": "abstain", "abstain": "yes"}
# Duplicates sent at once by the same client, in the concurrent share of them.
SAME_CLIENT_AT_ONCE = 5


@dataclass
class Client:
    session: str
    csrf_cookie: str
    csrf_token: str
    choice: str


@dataclass
class Seeded:
    chair_id: int
    voters: int
    polls: dict[str, int]  # "vote", "bare", "profile" → poll id
    options: dict[str, dict[str, int]]  # poll name → code → option id
    expected: dict[str, int]  # code → ballots, in the vote poll
    files: dict[str, Path] = field(default_factory=dict)
    duplicates: int = 0
    concurrent_duplicates: int = 0

    def expected_tally(self) -> dict[str, int]:
        """The vote poll's tally as `result_compute` writes it: option id → ballots."""
        return {str(self.options["vote"][code]): n for code, n in self.expected.items()}


def seed(*, voters: int, duplicates: int, workdir: Path, polls=("vote", "bare", "profile")):
    today = timezone.localdate()
    community = Community.objects.create(name="投票基准社区", slug="vote-burst")
    committee = ResidentsCommittee.objects.create(
        community=community, name="投票基准居委会", slug="vote-burst"
    )
    grids = Grid.objects.bulk_create(
        Grid(committee=committee, name=f"第{n}网格") for n in range(1, GRIDS + 1)
    )
    chair = User.objects.create(
        username="bench-chair", real_name="主任", password=make_password(None)
    )
    Membership.objects.create(
        person=chair, committee=committee, role=Role.CHAIR, start=today - timedelta(days=400)
    )
    _give_totp(chair)

    # An unusable password each (as make_password(None) gives), unique so that every
    # session carries its own auth hash: hashing 30,000 real passwords would take hours.
    people = User.objects.bulk_create(
        (
            User(
                username=f"voter{n:05d}",
                real_name=f"居民{n}",
                display_name=f"邻居{n}",
                password="!" + get_random_string(40),
            )
            for n in range(voters)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(
                person=person,
                committee=committee,
                role=Role.RESIDENT,
                grid=grids[n % GRIDS],
                start=today - timedelta(days=30 + n % 700),
            )
            for n, person in enumerate(people)
        ),
        batch_size=BATCH,
    )

    poll_ids, options = {}, {}
    for name in polls:
        poll = services.poll_create(
            committee=committee,
            by=chair,
            title=f"基准投票：{name}",
            method=Poll.Method.YES_NO,
            closes_at=timezone.now() + timedelta(days=1),
            electorate=Poll.Electorate.RESIDENTS,
            base=Poll.Base.CAST,
            description="Vote-burst benchmark.",
        )
        poll = services.poll_open(poll=poll, by=chair)
        if poll.eligible != voters:
            raise SystemExit(f"poll {name}: {poll.eligible} electors, expected {voters}")
        poll_ids[name] = poll.pk
        options[name] = dict(Option.objects.filter(poll=poll).values_list("code", "pk"))

    clients = _log_in(people)
    expected = Counter(client.choice for client in clients)
    seeded = Seeded(
        chair_id=chair.pk,
        voters=voters,
        polls=poll_ids,
        options=options,
        expected=dict(expected),
    )
    workdir.mkdir(parents=True, exist_ok=True)
    for name in polls:
        seeded.files[name] = _write(workdir / f"{name}.tsv", clients, options[name])
    seeded.files["duplicates"], seeded.duplicates, seeded.concurrent_duplicates = _write_duplicates(
        workdir / "duplicates.tsv", clients, options["vote"], duplicates
    )
    return seeded


def _give_totp(person: User) -> None:
    # The chair opens and closes polls, which needs two-step verification (as the
    # tests' `give_totp` fixture sets it up).
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def _log_in(people: list[User]) -> list[Client]:
    """What `login()` leaves for each person: a session row (encoded and signed by the
    session engine) and its Redis entry, holding the user id, backend and auth hash;
    and the CSRF secret (cookie) and masked form token the vote page would have set."""
    from django.middleware.csrf import _mask_cipher_secret  # what get_token() renders

    store = SessionStore()
    age = settings.SESSION_COOKIE_AGE
    expire = timezone.now() + timedelta(seconds=age)
    cache = caches[settings.SESSION_CACHE_ALIAS]
    clients, rows, entries = [], [], {}
    for n, person in enumerate(people):
        key = get_random_string(32, VALID_KEY_CHARS)
        data = {
            SESSION_KEY: str(person.pk),
            BACKEND_SESSION_KEY: MODEL_BACKEND,
            HASH_SESSION_KEY: person.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        entries[KEY_PREFIX + key] = data
        secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        clients.append(Client(key, secret, _mask_cipher_secret(secret), CHOICES[n % 10]))
        if len(rows) == BATCH:
            _store_sessions(rows, entries, cache, age)
            rows, entries = [], {}
    _store_sessions(rows, entries, cache, age)
    return clients


def _store_sessions(rows, entries, cache, age) -> None:
    if rows:
        Session.objects.bulk_create(rows)
        cache.set_many(entries, timeout=age)


def _write(path: Path, clients: list[Client], options: dict[str, int]) -> Path:
    with path.open("w") as out:
        for client in clients:
            out.write(_line(client, options[client.choice]))
    return path


def _write_duplicates(path: Path, clients, options, count: int) -> tuple[Path, int, int]:
    """`count` second attempts by clients who have voted, each trying to change its vote:
    half by single clients spread over the electorate, half by clients who post
    SAME_CLIENT_AT_ONCE times at once (adjacent lines go out on different connections)."""
    rng = secrets.SystemRandom()
    at_once = (count // 2) // SAME_CLIENT_AT_ONCE
    picked = rng.sample(clients, min(len(clients), count - at_once * (SAME_CLIENT_AT_ONCE - 1)))
    lines = [_line(c, options[OTHER[c.choice]]) for c in picked[at_once:]]
    for client in picked[:at_once]:
        lines.extend([_line(client, options[OTHER[client.choice]])] * SAME_CLIENT_AT_ONCE)
    path.write_text("".join(lines))
    return path, len(lines), at_once * SAME_CLIENT_AT_ONCE


def _line(client: Client, option: int) -> str:
    return f"{client.session}\t{client.csrf_cookie}\t{client.csrf_token}\t{option}\n"
