"""Recounting: `manage.py verify_poll` and the standard-library `offline_recount.py`
count a poll again from its ballot board and agree with the published result, for every
kind of poll; a ballot or a figure changed afterwards is found."""

import json
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from deliberation.meetings import services as meetings
from deliberation.meetings.models import Body
from townhall.community.models import Role
from voting import exports, offline_recount, services
from voting.models import Ballot, Elector, Option, PaperEntry, Participation, Poll, Subject
from voting.paper import contents_from_counts, paper_entry_add, paper_entry_confirm

from .conftest import choose, option_id

SCRIPT = Path(offline_recount.__file__)


def verify(poll, **options) -> str:
    out = StringIO()
    call_command("verify_poll", str(poll.pk), stdout=out, **options)
    return out.getvalue()


def vote(poll, people, contents):
    for person, content in zip(people, contents, strict=True):
        services.ballot_cast(poll=poll, voter=person, content=content)


def close(poll, chair):
    services.poll_close(poll=poll, by=chair, reason="表决完毕")
    poll.refresh_from_db()
    return poll


@pytest.fixture
def counted(poll, residents, chair):
    vote(poll, residents[:4], [choose(poll, c) for c in ("yes", "no", "yes", "abstain")])
    return close(poll, chair)


def test_the_recount_equals_the_published_result(counted):
    out = verify(counted)

    assert "OK: the recount equals the published result." in out
    assert "cast: 4" in out and "valid: 4" in out
    assert "passed: false" in out  # 2 of 4 is a tie, not more than half


def test_a_ballot_changed_after_the_count_is_found(counted):
    ballot = Ballot.objects.filter(poll=counted, content=choose(counted, "yes")).first()
    Ballot.objects.filter(pk=ballot.pk).update(content=choose(counted, "no"))

    with pytest.raises(CommandError) as error:
        verify(counted)

    message = str(error.value)
    assert f"Poll {counted.pk} NOT verified" in message
    assert "tally: recounted" in message and "yes: recounted 1, published 2" in message


def test_a_ballot_slipped_in_after_the_count_is_found(counted):
    Ballot.objects.create(
        receipt="2222-3333-4444", poll=counted, content=choose(counted, "yes"), channel="online"
    )

    with pytest.raises(CommandError) as error:
        verify(counted)

    message = str(error.value)
    assert "cast: recounted 5, published 4" in message
    assert "5 ballots but 4 voters" in message


def test_a_published_result_changed_afterwards_is_found(counted):
    result = {**counted.result, "yes": 3, "passed": True}
    Poll.objects.filter(pk=counted.pk).update(result=result)

    with pytest.raises(CommandError) as error:
        verify(counted)

    assert "the published result differs from the one the ledger recorded" in str(error.value)


def test_a_ballot_that_does_not_fit_the_poll_is_found(counted):
    ballot = Ballot.objects.filter(poll=counted).first()
    Ballot.objects.filter(pk=ballot.pk).update(content={"invalid": True})

    with pytest.raises(CommandError) as error:
        verify(counted)

    assert f"ballot {ballot.pk}: invalid but not on paper" in str(error.value)


def test_a_poll_past_its_closing_time_is_counted_first(poll, residents):
    vote(poll, residents[:2], [choose(poll, "yes"), choose(poll, "yes")])
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    out = verify(poll)

    assert "OK" in out
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_an_open_poll_cannot_be_verified_yet(poll):
    with pytest.raises(CommandError) as error:
        verify(poll)
    assert "not counted yet" in str(error.value)
    with pytest.raises(CommandError):
        call_command("verify_poll", "999999")


def run_script(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_offline_script_recounts_an_exported_board_and_finds_an_edit(counted, tmp_path):
    board = tmp_path / "board.json"
    out = verify(counted, export=str(board))
    assert f"written to {board}" in out

    checked = run_script(board)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK: the recount equals the published result." in checked.stdout

    data = json.loads(board.read_text(encoding="utf-8"))
    no = option_id(counted, "no")
    changed = next(b for b in data["ballots"] if b["content"]["options"] != [no])
    changed["content"] = {"options": [no]}
    board.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    checked = run_script(board)
    assert checked.returncode == 1
    assert "DIFFERENCES:" in checked.stdout
    assert "no: recounted 2, published 1" in checked.stdout


def test_the_offline_script_finds_a_published_figure_that_was_edited(counted, tmp_path):
    data = exports.board_export(counted)
    data["result"]["passed"] = not data["result"]["passed"]
    board = tmp_path / "board.json"
    board.write_text(json.dumps(data), encoding="utf-8")

    checked = run_script(board)

    assert checked.returncode == 1
    assert "passed: recounted" in checked.stdout


# Every kind of poll: the offline rules agree with the service's count --------------------


def test_single_choice_with_a_tie_recounts(open_poll, residents, chair):
    poll = open_poll(method=Poll.Method.SINGLE, options=["东门", "西门", "南门"])
    east, west = (option_id(poll, label=label) for label in ("东门", "西门"))
    vote(poll, residents[:4], [{"options": [o]} for o in (east, west, east, west)])

    poll = close(poll, chair)

    assert poll.result["tie"] == sorted([east, west])
    assert "OK" in verify(poll)


def test_multiple_choice_recounts(open_poll, residents, chair):
    poll = open_poll(
        method=Poll.Method.MULTIPLE, options=["甲", "乙", "丙"], min_choices=1, max_choices=2
    )
    a, b, c = (option_id(poll, label=label) for label in ("甲", "乙", "丙"))
    vote(poll, residents[:3], [{"options": [a, b]}, {"options": [a]}, {"options": [c, a]}])

    poll = close(poll, chair)

    assert poll.result["winner"] == a and poll.result["majority"] is True
    assert "OK" in verify(poll)


def test_graded_poll_recounts(open_poll, residents, chair):
    poll = open_poll(
        method=Poll.Method.GRADED,
        options=["优秀", "称职", "基本称职", "不称职"],
        subjects=["王主任", "李委员"],
    )
    grades = list(Option.objects.filter(poll=poll).values_list("pk", flat=True))
    wang, li = (str(pk) for pk in Subject.objects.filter(poll=poll).values_list("pk", flat=True))
    picks = [(0, 1), (0, 1), (1, 2), (0, 2)]
    vote(
        poll,
        residents[:4],
        [{"grades": {wang: grades[w], li: grades[x]}} for w, x in picks],
    )

    poll = close(poll, chair)

    assert poll.result["outcomes"][wang]["grade"] == grades[0]
    assert poll.result["outcomes"][li]["tie"] == [grades[1], grades[2]]
    assert "OK" in verify(poll)


def test_assembly_meeting_poll_with_paper_ballots_and_a_member_who_left_recounts(
    committee, chair, staff, residents, open_poll, tmp_path
):
    meeting = meetings.meeting_convene(
        committee=committee,
        by=chair,
        body=Body.ASSEMBLY,
        title="2025年第二次居民会议",
        starts_at=timezone.now() + timedelta(days=12),
        place="社区活动中心",
        chair=chair,
    )
    meeting = meetings.meeting_open(meeting=meeting, by=chair)
    for person in residents[:4]:
        meetings.attendance_check_in(meeting=meeting, person=person, by=chair)
    poll = open_poll(
        electorate=Poll.Electorate.MEETING, meeting=meeting, body=Body.ASSEMBLY, base="present"
    )
    entry = paper_entry_add(
        poll=poll,
        by=chair,
        kind=PaperEntry.Kind.PAPER,
        electors=list(Elector.objects.filter(poll=poll, person__in=residents[:2])),
        ballots=contents_from_counts(poll, {option_id(poll, "yes"): 1}, invalid=1),
    )
    paper_entry_confirm(entry=entry, by=staff)
    vote(poll, residents[2:3], [choose(poll, "yes")])
    # Voted, then left: still counted as present, since the vote was cast in person.
    meetings.attendance_check_out(meeting=meeting, person=residents[2], by=chair)

    poll = close(poll, chair)

    assert (poll.result["members"], poll.result["present"], poll.result["cast"]) == (5, 4, 3)
    assert poll.result["channels"]["paper"] == 2
    board = tmp_path / "board.json"
    assert "OK" in verify(poll, export=str(board))
    assert run_script(board).returncode == 0


def test_named_representatives_poll_recounts_and_an_elector_moved_is_found(
    open_poll, make_person, committee, chair, tmp_path
):
    representatives = [make_person(committee, Role.REPRESENTATIVE) for _ in range(4)]
    poll = open_poll(electorate=Poll.Electorate.REPRESENTATIVES, body="representatives", named=True)
    vote(poll, representatives, [choose(poll, c) for c in ("yes", "yes", "no", "yes")])

    poll = close(poll, chair)  # 4 of 5 members (the chair too) voted: quorum, passes

    assert poll.result["passed"] is True
    board = tmp_path / "board.json"
    verify(poll, export=str(board))
    data = json.loads(board.read_text(encoding="utf-8"))
    data["ballots"][1]["elector"] = data["ballots"][0]["elector"]
    board.write_text(json.dumps(data), encoding="utf-8")
    checked = run_script(board)
    assert checked.returncode == 1
    assert f"elector {data['ballots'][0]['elector']} has 2 ballots" in checked.stdout


def test_a_participation_row_removed_is_found(counted):
    Participation.objects.filter(poll=counted).first().delete()

    with pytest.raises(CommandError) as error:
        verify(counted)

    assert "4 ballots but 3 voters" in str(error.value)
