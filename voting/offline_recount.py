#!/usr/bin/env python3
"""Recount a Townhall poll from its public ballot board, with nothing but Python's
standard library.

    python offline_recount.py board.json

board.json is the poll's exported ballot board (the "board.json" link on a counted
poll, or `manage.py verify_poll <id> --export board.json`): the poll's rules, its
options, its electorate (ids, no names) and every ballot with its receipt. The script
reads every ballot again, counts them, re-derives the outcome and compares each figure
with the result the poll published. Exit status 0 when all agree, 1 otherwise.

The law it applies (2025 Organic Law of Urban Residents' Committees):
  - residents' assembly: it decides only if more than half of its members take part
    (Art 27); representatives' assembly: if at least 2/3 of its members are present
    (Art 29); a motion then passes with more than half of those present (at a meeting
    the members present, online those who cast a ballot): a tie is not more than half;
  - a committee's consultation (no body): more than half of the base the poll states
    (ballots cast, valid ballots, members present or all members), no quorum;
  - choices: the option with strictly the most votes wins; grades: the grade given most
    often; several sharing the most are a tie, with no winner.
"""

import json
import sys
from collections import Counter


def more_than_half(count, base):
    return 2 * count > base


def ballot_problem(ballot, poll, option_ids, subject_ids):
    """Why a ballot's content does not fit the poll, or "" when it does."""
    content = ballot["content"]
    if not isinstance(content, dict):
        return "unreadable"
    if content == {"invalid": True}:
        return "" if ballot["channel"] in ("paper", "hands") else "invalid but not on paper"
    if poll["method"] == "graded":
        grades = content.get("grades")
        if set(content) != {"grades"} or not isinstance(grades, dict):
            return "unreadable"
        if {s for s in grades} != {str(s) for s in subject_ids}:
            return "does not grade exactly the people rated"
        if not all(grade in option_ids for grade in grades.values()):
            return "a grade that is not on the scale"
        return ""
    chosen = content.get("options")
    if set(content) != {"options"} or not isinstance(chosen, list):
        return "unreadable"
    if not all(option in option_ids for option in chosen) or len(set(chosen)) != len(chosen):
        return "an unknown or repeated option"
    fewest, most = (poll["min_choices"], poll["max_choices"])
    if poll["method"] != "multiple":
        fewest = most = 1
    if not fewest <= len(chosen) <= most:
        return f"{len(chosen)} options chosen"
    return ""


def leaders(counts):
    """The ids sharing the highest count (none if nobody got a vote), sorted."""
    top = max(counts.values(), default=0)
    return sorted(key for key, count in counts.items() if count == top and top > 0)


def yes_no(poll, figures, yes, no, abstain):
    """(decided, passed, needed) by the law's rule for a body, else the stated base."""
    if poll["body"]:
        members = figures["members"]
        counted = figures["present"] if poll["base"] == "present" else figures["cast"]
        if poll["body"] == "assembly":
            quorum = more_than_half(counted, members)
        else:
            quorum = 3 * counted >= 2 * members
        quorum = quorum and members > 0
    else:
        counted, quorum = figures["base_count"], True
    return quorum, quorum and more_than_half(yes, counted), counted // 2 + 1


def recount(data):
    """Every figure of the result, counted again from the board's ballots."""
    poll, ballots, electorate = data["poll"], data["ballots"], data["electorate"]
    option_ids = [option["id"] for option in data["options"]]  # the scale, best first
    subject_ids = {subject["id"] for subject in data["subjects"]}
    readable = [b["content"] for b in ballots if isinstance(b["content"], dict)]
    valid = [content for content in readable if content != {"invalid": True}]
    at_meeting = poll["electorate"] == "meeting"
    figures = {
        "method": poll["method"],
        "body": poll["body"],
        "base": poll["base"],
        "eligible": len(electorate),
        # At a meeting the quorum counts the meeting's whole roll, and a member is
        # present if still checked in at the close or if they voted before leaving.
        "members": poll["roll"] if at_meeting else len(electorate),
        "cast": len(ballots),
        "valid": len(valid),
        "present": (
            sum(1 for e in electorate if e["present_at_close"] or e["voted"])
            if at_meeting
            else len(ballots)
        ),
        "channels": dict(Counter(b["channel"] for b in ballots)),
    }
    figures["base_count"] = figures[poll["base"]]  # cast, valid, present or members
    figures["problems"] = [
        f"ballot {b['receipt']}: {problem}"
        for b in ballots
        if (problem := ballot_problem(b, poll, set(option_ids), subject_ids))
    ]
    receipts = Counter(b["receipt"] for b in ballots)
    figures["problems"] += [f"receipt {r} appears {n} times" for r, n in receipts.items() if n > 1]
    if poll["named"]:  # a roll-call ballot names its elector: one each, from the electorate
        ids = {e["id"] for e in electorate}
        named = Counter(b.get("elector") for b in ballots)
        figures["problems"] += [
            f"elector {e} has {n} ballots" if e in ids else f"elector {e} is not in the electorate"
            for e, n in named.items()
            if n > 1 or e not in ids
        ]
    if poll["method"] == "graded":
        grades = {str(s): {str(g): 0 for g in option_ids} for s in sorted(subject_ids)}
        for content in valid:
            for subject, grade in content.get("grades", {}).items():
                given = grades.setdefault(str(subject), {})
                given[str(grade)] = given.get(str(grade), 0) + 1
        figures["grades"] = grades
        figures["outcomes"] = {}
        position = {str(grade): i for i, grade in enumerate(option_ids)}  # best first
        for subject, counts in grades.items():
            tied = sorted(leaders(counts), key=lambda g: position.get(g, len(position)))
            grade = int(tied[0]) if len(tied) == 1 else None
            figures["outcomes"][subject] = {
                "grade": grade,
                "tie": [int(g) for g in tied] if len(tied) > 1 else [],
            }
        figures["decided"] = all(o["grade"] is not None for o in figures["outcomes"].values())
        return figures
    tally = {str(option): 0 for option in option_ids}
    for content in valid:
        for option in content.get("options", []):
            tally[str(option)] = tally.get(str(option), 0) + 1  # unknown ids show too
    figures["tally"] = tally
    if poll["method"] == "yes_no":
        codes = {option["code"]: str(option["id"]) for option in data["options"]}
        yes, no, abstain = (tally[codes[code]] for code in ("yes", "no", "abstain"))
        decided, passed, needed = yes_no(poll, figures, yes, no, abstain)
        figures.update(yes=yes, no=no, abstain=abstain, decided=decided, passed=passed)
        figures["needed"] = needed
        return figures
    tied = leaders({int(option): count for option, count in tally.items()})
    winner = tied[0] if len(tied) == 1 else None
    figures.update(
        winner=winner,
        tie=tied if len(tied) > 1 else [],
        majority=winner is not None and more_than_half(tally[str(winner)], figures["base_count"]),
        decided=winner is not None,
    )
    return figures


def compare(recounted, published):
    """What differs between the recount and the published result, one line each."""
    differences = list(recounted.get("problems", []))
    for key, value in recounted.items():
        if key == "problems":
            continue
        if key == "channels":
            # The published result lists every channel, with 0 for those unused.
            shown = {k: v for k, v in (published.get(key) or {}).items() if v}
            value = {k: v for k, v in value.items() if v}
        elif key == "outcomes":
            shown = {
                subject: {"grade": o.get("grade"), "tie": o.get("tie")}
                for subject, o in (published.get(key) or {}).items()
            }
        else:
            shown = published.get(key)
        if shown != value:
            differences.append(f"{key}: recounted {value!r}, published {shown!r}")
    return differences


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as board:
            data = json.load(board)
        recounted = recount(data)
        differences = compare(recounted, data["result"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"NOT READABLE: {argv[1]} is not a ballot board ({error!r})")
        return 1
    title = data["poll"]["title"]
    print(f"Poll {data['poll']['id']}: {title}")
    for key in ("eligible", "members", "present", "cast", "valid", "base_count"):
        print(f"  {key}: {recounted[key]}")
    for key in ("tally", "grades", "yes", "no", "abstain", "decided", "passed", "winner"):
        if key in recounted:
            print(f"  {key}: {json.dumps(recounted[key])}")
    if differences:
        print("DIFFERENCES:")
        for line in differences:
            print("  -", line)
        return 1
    print("OK: the recount equals the published result.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
