"""Vote burst: a whole community (30,000 voters) votes at once, through the production
serving set-up, next to two references measured on the same servers in the same run.

    .venv/bin/python benchmarks/vote_burst/run.py [--voters 30000] [--connections 50] [--keep]
    make bench-votes                       # the same, with the defaults

Builds a throwaway PostgreSQL database (`townhall_bench`, dropped at the end unless
--keep) and uses a Redis database of its own (/3, flushed before and after). Seeds the
committee, its residents, the polls (opened by `voting.services.poll_open`) and one
logged-in session and CSRF token per voter (seed.py), then serves the project with
granian (WSGI, 2 workers of 4 threads, DEBUG off, sessions in cached_db on Redis, CSRF
on) and drives it with wrk (vote.lua), 50 connections on 2 threads:

1. framework ceiling: GET of an empty Django response, for --empty-seconds;
2. bare durable write: each voter POSTs once to a view that writes the participation
   and the ballot rows in one SQL statement (views.py), on a poll of its own;
3. the vote path: each voter POSTs its ballot once to /polls/<pk>/vote/;
4. duplicates: a tenth as many second attempts by voters who have voted, some by the
   same voter several times at once; every one must be refused (409).

Then checks the database (exactly one ballot and participation per voter, nothing from
the duplicates, the tally equal to the ground truth, also after `poll_close` counts the
poll), prints the figures (rates, latencies, CPU per answer) and the goal, and when the
goal is missed profiles the workers with py-spy during a second burst (on a third poll)
and prints where the time goes.
Needs PostgreSQL and Redis on 127.0.0.1; installs wrk (apt) and py-spy (pip) if absent.
"""

import argparse
import contextlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

# granian threads per WSGI worker, as in the README's production command. Measured on 2
# cores (README, "Server threads"): 2 to 8 serve alike, 4 best; 16 and granian's default
# (up to 25 per worker at 50 clients) lose throughput and the p95 to thread switching,
# and the default can run PostgreSQL out of connections.
BLOCKING_THREADS = 4
GOAL_SHARE_OF_BARE = 0.60
GOAL_SHARE_OF_EMPTY = 0.08
GOAL_P95_MS = 200
BOOT_TIMEOUT = 90


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=30_000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="granian WSGI workers")
    parser.add_argument(
        "--blocking-threads",
        type=int,
        default=BLOCKING_THREADS,
        help=f"granian threads per worker (default {BLOCKING_THREADS}, the README's production "
        "command; 0: granian's own default, backpressure/2 for WSGI)",
    )
    parser.add_argument("--duplicates", type=int, help="second attempts (default voters/10)")
    parser.add_argument("--empty-seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="townhall_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/townhall-vote-burst"))
    parser.add_argument(
        "--profile",
        choices=["auto", "always", "never"],
        default="auto",
        help="py-spy one worker during a second burst: when the goal is missed (auto)",
    )
    parser.add_argument("--profile-seconds", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database and Redis data")
    args = parser.parse_args()
    duplicates = args.voters // 10 if args.duplicates is None else args.duplicates

    ensure_wrk()
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = server_environment(args)
    os.environ.update(env)

    args.machine = [print_machine()]
    connection_headroom(args)
    recreate_database(args)
    flush_redis(args.redis)
    step("migrate", [sys.executable, "-m", "django", "migrate", "--noinput"], env)
    step(
        "collectstatic",
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env,
    )

    import django

    django.setup()
    from django.db import connections

    from benchmarks.vote_burst.seed import seed

    args.machine.append(print_servers(args.redis))
    started = time.perf_counter()
    polls = ("vote", "bare", "profile") if args.profile != "never" else ("vote", "bare")
    seeded = seed(voters=args.voters, duplicates=duplicates, workdir=args.workdir, polls=polls)
    print(
        f"seeded {args.voters} verified residents, {len(polls)} open polls (electorates "
        f"frozen by poll_open), {args.voters} sessions, {seeded.duplicates} duplicates "
        f"({seeded.concurrent_duplicates} at once by the same voter) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    vote_path = f"/polls/{seeded.polls['vote']}/vote/"
    # This process keeps its database connection through the burst: the checks after it
    # must not be refused for want of a connection slot.

    server = Granian(args, env)
    try:
        server.wait_ready()
        setup_checks = enforced(args.port, seeded)
        for label, ok, detail in setup_checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {label}  ({detail})")
        load = Load(args, f"http://127.0.0.1:{args.port}", server)
        load.run("warm-up", "cycle", "GET", "/bench/empty/", seeded.files["vote"], seconds=3)
        figures = {
            "empty": load.run(
                "framework ceiling: empty response (GET)",
                "cycle",
                "GET",
                "/bench/empty/",
                seeded.files["vote"],
                seconds=args.empty_seconds,
            ),
            "bare": load.run(
                "bare durable write (POST, both rows in one statement)",
                "once",
                "POST",
                f"/bench/polls/{seeded.polls['bare']}/bare-vote/",
                seeded.files["bare"],
            ),
        }
        figures["vote"] = load.run(
            "vote path (POST /polls/<pk>/vote/)", "once", "POST", vote_path, seeded.files["vote"]
        )
        figures["duplicates"] = load.run(
            "duplicates (second attempts, must all be refused)",
            "once",
            "POST",
            vote_path,
            seeded.files["duplicates"],
        )
        checks = setup_checks + verify(seeded, figures)
        met = report(args, seeded, figures, checks)
        if args.profile == "always" or (args.profile == "auto" and not met):
            profile(args, server, load, seeded)
    finally:
        server.stop()
        connections.close_all()
        if not args.keep:
            drop_database(args)
            flush_redis(args.redis)
        else:
            print(f"\nkept: database {args.database}, Redis {args.redis}, files {args.workdir}")


# --- Set-up ----------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: apt-get install wrk (as root)")
    print("installing wrk (apt-get install -y wrk) ...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    apt = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(apt, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], **quiet)
        subprocess.run(apt, check=True, **quiet)


def server_environment(args) -> dict[str, str]:
    """What a production deployment sets (README, "Scaling out"), on the benchmark's
    own database and Redis; plain HTTP on 127.0.0.1 (HTTPS off), as the TLS of a
    deployment ends at its reverse proxy."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GRANIAN_",))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "benchmarks.vote_burst.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "REDIS_URL": args.redis,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "vote-burst-benchmark-key-" + "x" * 40),
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_STATIC_ROOT": str(args.workdir / "static"),
        "PYTHONUNBUFFERED": "1",
    }


def connection_headroom(args) -> None:
    """Each busy server thread holds a PostgreSQL connection (CONN_MAX_AGE): say so
    before the burst if the server could run out of them (granian's default is many
    threads per worker, so up to one connection per client connection)."""
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        limit = int(admin.execute("SHOW max_connections").fetchone()[0])
        used = admin.execute("SELECT count(*) FROM pg_stat_activity").fetchone()[0]
    threads = args.blocking_threads or args.connections
    needed = min(args.connections, args.workers * threads) + 5
    if limit - used < needed:
        print(
            f"!! PostgreSQL: max_connections {limit}, {used} in use, the servers may need "
            f"{needed}: expect 500s (too many clients); try --blocking-threads",
            flush=True,
        )


def enforced(port: int, seeded) -> list[tuple[str, bool, str]]:
    """The set-up refuses what production refuses: a POST without its CSRF token, a
    vote without a session. Neither consumes a ballot."""
    import http.client

    session, cookie, token, option = seeded.files["bare"].open().readline().split("\t")

    def post(path: str, headers: dict[str, str], body: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        connection.request("POST", path, body=body, headers=headers)
        status = connection.getresponse().status
        connection.close()
        return status

    no_token = post(
        f"/bench/polls/{seeded.polls['bare']}/bare-vote/",
        {"Cookie": f"sessionid={session}; csrftoken={cookie}"},
        f"option={option.strip()}",
    )
    no_session = post(
        f"/polls/{seeded.polls['vote']}/vote/",
        {"Cookie": f"csrftoken={cookie}"},
        f"csrfmiddlewaretoken={token}&option={option.strip()}",
    )
    return [
        ("CSRF enforced: a POST without the token is refused", no_token == 403, no_token),
        ("a vote without a session is sent to log in", no_session == 302, no_session),
    ]


def recreate_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')


def drop_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def step(label: str, command: list[str], env: dict[str, str]) -> None:
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)


class Granian:
    """The production WSGI server (README: "Scaling out"), in its own process group."""

    def __init__(self, args, env):
        self.port = args.port
        self.command = [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            *(["--blocking-threads", str(args.blocking_threads)] if args.blocking_threads else []),
            "townhall.wsgi:application",
        ]
        self.log_path = args.workdir / "granian.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        args.server_command = "granian " + " ".join(self.command[1:])
        print(f"\nserver: {args.server_command}", flush=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + BOOT_TIMEOUT
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"granian exited:\n{self.log_path.read_text()[-4000:]}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(f"granian not ready in {BOOT_TIMEOUT}s:\n{self.log_path.read_text()}")

    def workers(self) -> list[int]:
        """The worker processes (the descendants of granian's main process)."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    children = [int(p) for p in (task / "children").read_text().split()]
                    found.extend(children)
                    todo.extend(children)
        return sorted(set(found))

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


# --- Load ------------------------------------------------------------------------


class Load:
    """wrk with vote.lua: 'once' sends every line of a file exactly once, 'cycle' loops
    over them for a duration."""

    def __init__(self, args, base_url: str, server: "Granian"):
        self.args = args
        self.base_url = base_url
        self.server = server

    def start(self, mode, method, path, data: Path, seconds: int):
        command = [
            "wrk",
            "-t",
            str(self.args.threads),
            "-c",
            str(self.args.connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(HERE / "vote.lua"),
            self.base_url,
            "--",
            mode,
            method,
            path,
            str(data),
            str(self.args.threads),
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=HERE
        )
        lines: queue.Queue = queue.Queue()

        def pump():
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return process, lines

    def run(self, label, mode, method, path, data: Path, seconds: int | None = None) -> dict:
        count = sum(1 for _ in data.open())
        if mode == "once":
            # wrk runs for -d whatever its threads do; it is interrupted once every
            # thread has had all its answers, so the limit only stops a stuck run.
            seconds = max(120, count // 10)
        print(f"\n== {label}: {path}", flush=True)
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(self.server.workers())
        process, lines = self.start(mode, method, path, data, seconds)
        output, done, interrupted = [], 0, False
        deadline = time.monotonic() + seconds + 60
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = ""
            if line is None:
                break
            output.append(line)
            if line.startswith("DONE "):
                done += 1
                if done == self.args.threads and not interrupted:
                    interrupted = True
                    process.send_signal(signal.SIGINT)
            if time.monotonic() > deadline and not interrupted:
                print("!! wrk did not finish in time: interrupted", flush=True)
                interrupted = True
                process.send_signal(signal.SIGINT)
        process.wait()
        cpu = cpu_seconds(self.server.workers())
        text = "".join(output)
        (self.args.workdir / f"wrk-{re.sub(r'[^a-z]+', '-', label.lower())[:40]}.txt").write_text(
            text
        )
        found = [line for line in output if line.startswith("RESULT ")]
        if not found:
            raise SystemExit(f"wrk gave no result:\n{text}")
        result = json.loads(found[-1][len("RESULT ") :])
        # One {status: count} per wrk thread, merged.
        merged = Counter()
        for statuses in result["other_statuses"]:
            merged.update({int(code): count for code, count in statuses.items()})
        result["other_statuses"] = dict(sorted(merged.items()))
        result["sent_lines"] = count
        result["complete"] = mode == "cycle" or (done == self.args.threads)
        seconds_active = result["active_us"] / 1e6
        result["rate"] = result["received"] / seconds_active if seconds_active else 0.0
        result["load_before"] = load_before
        # CPU time per answer, by process group: what the machine spent on each request
        # whatever else it was running (the rate depends on the load, this much less).
        result["cpu_ms"] = (
            {
                group: (cpu.get(group, 0.0) - cpu_before.get(group, 0.0)) * 1e3 / result["received"]
                for group in CPU_GROUPS
            }
            if result["received"]
            else {}
        )
        lat = result["latency_us"]
        print(
            f"   {result['received']} answers in {seconds_active:.1f} s: "
            f"{result['rate']:.0f}/s; p50 {lat['p50'] / 1000:.1f} ms, "
            f"p95 {lat['p95'] / 1000:.1f} ms, p99 {lat['p99'] / 1000:.1f} ms; "
            f"{_statuses(result)}",
            flush=True,
        )
        if result["cpu_ms"]:
            print(
                "   CPU per answer: "
                + ", ".join(f"{group} {ms:.2f} ms" for group, ms in result["cpu_ms"].items()),
                flush=True,
            )
        return result


CPU_GROUPS = ("server", "postgresql", "redis")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(workers: list[int]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server's workers, PostgreSQL's
    processes and Redis. A process's reaped children count in it (cutime, cstime): a
    PostgreSQL backend that exits (a connection closed, anyone's) moves its time to the
    postmaster instead of taking it out of the sum."""
    workers = set(workers)
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        group = (
            "server"
            if pid in workers
            else "postgresql"
            if name.startswith("postgres")
            else "redis"
            if name.startswith("redis-server")
            else None
        )
        if group:
            # utime, stime, cutime, cstime: fields 14 to 17 of /proc/<pid>/stat (1-based).
            ticks = sum(int(value) for value in fields[11:15])
            used[group] = used.get(group, 0.0) + ticks / CLOCK_TICKS
    return used


# --- Checks and report -----------------------------------------------------------


def verify(seeded, figures) -> list[tuple[str, bool, str]]:
    """What must hold after the burst, read from the database, then after the count."""
    from townhall.accounts.models import User
    from voting import services
    from voting.models import Ballot, Participation, Poll
    from voting.results import result_compute

    checks = []

    def check(label: str, ok: bool, detail: str = "") -> None:
        checks.append((label, bool(ok), detail))

    vote, dup, bare = figures["vote"], figures["duplicates"], figures["bare"]
    n = seeded.voters
    for key, result in figures.items():
        errors = {k: v for k, v in result["errors"].items() if v and k != "status"}
        check(f"{key}: no socket errors or timeouts", not errors, str(errors or ""))
    empty = figures["empty"]
    check("framework ceiling: every answer 200", empty["ok"] == empty["received"], _statuses(empty))
    poll = Poll.objects.get(pk=seeded.polls["vote"])
    ballots = Ballot.objects.filter(poll=poll).count()
    participations = Participation.objects.filter(poll=poll).count()
    check(f"every voter's ballot accepted (200 × {n})", vote["ok"] == n, _statuses(vote))
    check(f"exactly {n} ballots in the poll", ballots == n, f"{ballots} ballots")
    check(f"exactly {n} participations", participations == n, f"{participations} rows")
    check(
        f"every duplicate refused (409 × {seeded.duplicates})",
        dup["refused"] == seeded.duplicates and dup["ok"] == 0 and dup["other"] == 0,
        _statuses(dup),
    )
    expected = seeded.expected_tally()
    direct = Counter()
    for content in Ballot.objects.filter(poll=poll).values_list("content", flat=True):
        direct.update(str(option) for option in content.get("options", ()))
    check("tally over Ballot.content equals the ground truth", dict(direct) == expected)
    computed = {k: v for k, v in result_compute(poll)["tally"].items() if v}
    check("result_compute's tally equals the ground truth", computed == expected, str(computed))
    chair = User.objects.get(pk=seeded.chair_id)
    try:
        poll = services.poll_close(poll=poll, by=chair, reason="投票基准测试结束")
    except Exception as error:  # reported as a failed check, with the run's figures
        check("poll_close counts the poll", False, repr(error))
    else:
        published = {k: v for k, v in (poll.result or {}).get("tally", {}).items() if v}
        check(
            "poll_close's published tally equals the ground truth",
            published == expected and poll.result.get("cast") == n,
            f"tally {published}, cast {poll.result.get('cast')}",
        )
    bare_rows = Ballot.objects.filter(poll_id=seeded.polls["bare"]).count()
    check(
        f"bare write: {n} answers 200 and {n} ballots",
        bare["ok"] == n and bare_rows == n,
        f"{_statuses(bare)}; {bare_rows} ballots",
    )
    return checks


def _statuses(result: dict) -> str:
    text = f"200: {result['ok']}, 409: {result['refused']}, other: {result['other']}"
    if result["other_statuses"]:
        text += " (" + ", ".join(f"{k}: {v}" for k, v in result["other_statuses"].items()) + ")"
    return text


def report(args, seeded, figures, checks) -> bool:
    print(
        f"\n== Vote burst: {seeded.voters} voters, {args.connections} connections "
        f"(wrk -t {args.threads}), granian WSGI {args.workers} workers "
        f"({args.blocking_threads or 'default'} threads each), "
        f"PostgreSQL + Redis cached_db sessions, CSRF on"
    )
    print(
        f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'requests':>9} {'errors':>7} {'load':>5}"
    )
    names = {
        "empty": "framework ceiling (empty)",
        "bare": "bare durable write",
        "vote": "vote path",
        "duplicates": "duplicates (409s)",
    }
    for key, name in names.items():
        if key not in figures:
            continue
        f = figures[key]
        lat = f["latency_us"]
        errors = sum(f["errors"][k] for k in ("connect", "read", "write", "timeout"))
        unexpected = f["other"] + (f["refused"] if key != "duplicates" else f["ok"])
        print(
            f"{name:28} {f['rate']:8.0f} {lat['p50'] / 1e3:8.1f} {lat['p95'] / 1e3:8.1f} "
            f"{lat['p99'] / 1e3:8.1f} {lat['max'] / 1e3:8.1f} {f['received']:9d} "
            f"{errors + unexpected:7d} {f['load_before']:5.1f}"
        )
    print("   (errors: socket errors + unexpected statuses; load: 1-min load average before)")
    print(f"\n{'CPU ms per answer':28} " + " ".join(f"{group:>10}" for group in CPU_GROUPS))
    for key, name in names.items():
        if key in figures and figures[key].get("cpu_ms"):
            cpu = figures[key]["cpu_ms"]
            print(f"{name:28} " + " ".join(f"{cpu.get(group, 0.0):10.2f}" for group in CPU_GROUPS))
    if "vote" not in figures:
        return False
    vote, bare, empty = figures["vote"]["rate"], figures["bare"]["rate"], figures["empty"]["rate"]
    p95 = figures["vote"]["latency_us"]["p95"] / 1e3
    share_bare, share_empty = vote / bare, vote / empty
    goals = [
        (
            f"vote path ≥ {GOAL_SHARE_OF_BARE:.0%} of the bare durable write",
            share_bare >= GOAL_SHARE_OF_BARE,
            f"{share_bare:.1%}",
        ),
        (
            f"vote path ≥ {GOAL_SHARE_OF_EMPTY:.0%} of the framework ceiling",
            share_empty >= GOAL_SHARE_OF_EMPTY,
            f"{share_empty:.1%}",
        ),
        (
            f"vote path p95 < {GOAL_P95_MS} ms at {args.connections} clients",
            p95 < GOAL_P95_MS,
            f"{p95:.1f} ms",
        ),
    ]
    print(
        f"\nvote path: {vote:.0f} ballots/s = {share_bare:.1%} of the bare durable write, "
        f"{share_empty:.1%} of the framework ceiling"
    )
    print("\nchecks:")
    for label, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}" + (f"  ({detail})" if detail else ""))
    print("goal:")
    for label, ok, detail in goals:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}  ({detail})")
    met = all(ok for _, ok, _ in checks + goals)
    print(f"\n{'GOAL MET' if met else 'GOAL NOT MET'}")
    results = args.workdir / "results.json"
    results.write_text(
        json.dumps(
            {
                "command": sys.argv,
                "machine": args.machine,
                "server": args.server_command,
                "voters": seeded.voters,
                "connections": args.connections,
                "figures": figures,
                "vote_share_of_bare": share_bare,
                "vote_share_of_empty": share_empty,
                "checks": checks,
                "goals": goals,
                "met": met,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"(figures also in {results})")
    return met


def print_machine() -> str:
    import django
    import granian
    import psycopg
    import redis

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0]
    text = (
        f"machine: nproc {len(os.sched_getaffinity(0))} ({cpu}), load {os.getloadavg()[0]:.1f}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"granian {granian.__version__}, psycopg {psycopg.__version__} "
        f"(libpq {psycopg.pq.version()}), redis-py {redis.__version__}, {wrk.strip()}"
    )
    print(text, flush=True)
    return text


def print_servers(redis_url: str) -> str:
    import redis
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    info = redis.Redis.from_url(redis_url).info("server")
    text = f"servers: PostgreSQL {postgres}, Redis {info.get('redis_version')}"
    print(text, flush=True)
    return text


# --- Profile ---------------------------------------------------------------------

# Where a sample's time goes: a sample counts for a label when its stack holds every
# (file fragment, function or None for any) of the label, outermost first.
CATEGORIES = [
    ("the vote view, all of it", [("voting/views/", "ballot_cast")]),
    ("  voting.services.ballot_cast", [("voting/services", "ballot_cast")]),
    (
        "    its SQL (one statement: lock, checks, both rows)",
        [("voting/services", "ballot_cast"), ("psycopg/", None)],
    ),
    ("    live turnout push (on commit)", [("voting/live", None)]),
    ("  receipt page", [("voting/views/", "_receipt")]),
    ("  refusal page", [("voting/views/", "_refused")]),
    ("request.user: session + user row", [("voting/views/", "_session_user")]),
    ("  session load (Redis)", [("voting/views/", "_session_user"), ("redis/", None)]),
    ("  user row (SQL)", [("voting/views/", "_session_user"), ("psycopg/", None)]),
    ("CSRF check", [("django/middleware/csrf", None)]),
    ("URL resolving", [("django/urls/resolvers", None)]),
    ("SQL anywhere (psycopg)", [("psycopg/", None)]),
    ("Redis anywhere", [("redis/", None)]),
    ("ORM (query building, instances)", [("django/db/models/", None)]),
    ("templates anywhere", [("django/template/", None)]),
    ("ledger", [("ledger/", None)]),
    ("logging", [("logging/", None)]),
]
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^():]*)(?::(?P<line>\d+))?\)$")


def profile(args, server: "Granian", load: Load, seeded) -> None:
    """py-spy on both workers while the voters vote again, on the third poll: one worker
    sampled where its thread holding the GIL is (its Python time: a worker runs one
    thread at a time), the other in wall time, every thread, idle ones included
    (waiting on PostgreSQL or Redis is time a request spends)."""
    spy = BIN / "py-spy"
    if not spy.exists():
        print("\ninstalling py-spy into the venv ...", flush=True)
        subprocess.run([str(BIN / "pip"), "install", "--quiet", "py-spy"], check=True)
    workers = server.workers()
    if len(workers) < 2:
        print(f"!! profile: expected 2 granian workers, found {workers}")
        return
    path = f"/polls/{seeded.polls['profile']}/vote/"
    print(
        f"\n== profile: py-spy on workers {workers[0]} (GIL) and {workers[1]} (wall) for "
        f"{args.profile_seconds} s during a second burst: {path}",
        flush=True,
    )
    process, _lines = load.start("once", "POST", path, seeded.files["profile"], 3600)
    time.sleep(1)
    runs = {}
    for mode, worker in (("gil", workers[0]), ("wall", workers[1])):
        out = args.workdir / f"profile-{mode}.collapsed"
        command = [
            str(spy),
            "record",
            "--pid",
            str(worker),
            "--duration",
            str(args.profile_seconds),
            "--rate",
            "200",
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(out),
            "--idle" if mode == "wall" else "--gil",
        ]
        runs[mode] = (
            out,
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        )
    for mode, (out, spying) in runs.items():
        output, _ = spying.communicate()
        if spying.returncode != 0 or not out.exists():
            print(f"!! py-spy ({mode}) failed: {output[-2000:]}")
            runs[mode] = (None, None)
    process.send_signal(signal.SIGINT)
    process.wait()
    gil, wall = (runs[mode][0] for mode in ("gil", "wall"))
    if gil and wall:
        summarize_profile(gil, wall)


def summarize_profile(gil_path: Path, wall_path: Path) -> None:
    (gil, gil_all), (wall, wall_all) = _in_requests(gil_path), _in_requests(wall_path)
    gil_total, wall_total = sum(c for _, c in gil), sum(c for _, c in wall)
    if not gil_total or not wall_total:
        print("!! no samples inside a Django request")
        return
    print(
        f"samples inside requests: {gil_total} of {gil_all} GIL (one worker: the thread "
        f"running Python), {wall_total} of {wall_all} wall (the other worker: every thread, "
        "waits included)"
    )
    print(
        f"{'where the time goes (an indented line is part of the one above)':66} "
        f"{'GIL':>6} {'wall':>6}"
    )
    for label, needs in CATEGORIES:
        shares = [
            _share(stacks, total, needs) for stacks, total in ((gil, gil_total), (wall, wall_total))
        ]
        print(f"{label:66} {shares[0]:6.1%} {shares[1]:6.1%}")
    for name, stacks, total in (("GIL", gil, gil_total), ("wall", wall, wall_total)):
        inclusive, own = Counter(), Counter()
        for frames, count in stacks:
            for key in {(fn, f) for fn, f, _ in frames}:
                inclusive[key] += count
            fn, f, line = frames[-1]
            own[(fn, f"{f}:{line}" if line else f)] += count
        print(f"top frames, {name}, by time inside them (below the middleware):")
        shown = 0
        for (fn, f), count in inclusive.most_common():
            if count / total > 0.9 or "granian" in f or f.startswith("<"):
                continue  # the stack every request shares
            print(f"  {count / total:6.1%}  {fn}  ({f})")
            shown += 1
            if shown == 25:
                break
        print(f"top frames, {name}, by own time:")
        for (fn, f), count in own.most_common(15):
            print(f"  {count / total:6.1%}  {fn}  ({f})")
    print(f"(collapsed stacks: {gil_path}, {wall_path})")


def _in_requests(path: Path) -> tuple[list[tuple[list[tuple[str, str, str]], int]], int]:
    """The stacks sampled inside a Django request, and the number of all samples."""
    stacks, every = [], 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            every += int(count)
            frames = [_frame(frame) for frame in stack.split(";")]
            if any("django/core/handlers" in file for _, file, _ in frames):
                stacks.append((frames, int(count)))
    return stacks, every


def _share(stacks, total: int, needs: list[tuple[str, str | None]]) -> float:
    def matches(frames) -> bool:
        at = 0
        for fragment, function in needs:
            while at < len(frames):
                fn, file, _ = frames[at]
                at += 1
                if fragment in file and (function is None or fn == function):
                    break
            else:
                return False
        return True

    return sum(count for frames, count in stacks if matches(frames)) / total


def _frame(text: str) -> tuple[str, str, str]:
    match = FRAME.match(text.strip())
    if not match:
        return text, "", ""
    file = match["file"]
    for marker in ("site-packages/", f"{ROOT}/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return match["function"], file, match["line"] or ""


if __name__ == "__main__":
    main()
