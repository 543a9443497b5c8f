"""What the poll pages share: the gatekeeper's refusals, fetching a poll, and turning
stored ids (ballot contents, the published result) into the labels people read."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from townhall.community.refusals import refusal_for

from .. import selectors
from ..models import Option, Poll, Subject
from ..permissions import Action, check


def refusal(request, action: Action, committee):
    """None when allowed; else the two-step set-up redirect or the 403 page (the house
    pattern, `townhall.community.refusals`)."""
    return refusal_for(request, check(request.user, action, committee), committee)


def poll_for_write(pk: int) -> Poll:
    return get_object_or_404(Poll.objects.select_related("committee"), pk=pk)


def poll_for_read(pk: int) -> Poll:
    """The poll (404 if unknown), counted first if its closing time has passed: there
    is no cron, the first reader after the close counts it."""
    return selectors.poll_for_read(pk)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def form_error(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


def base_words(base: str) -> str:
    """The base of the majority as a sentence: "以到会人数为基数"."""
    return {
        Poll.Base.CAST: _("Majority counted over the ballots cast"),
        Poll.Base.VALID: _("Majority counted over the valid ballots"),
        Poll.Base.PRESENT: _("Majority counted over the members present"),
        Poll.Base.MEMBERS: _("Majority counted over all members"),
    }.get(base, "")


class Labels:
    """Option and subject labels of one poll, read once for a page."""

    def __init__(self, options: list[Option], subjects: list[Subject]):
        self.options = options
        self.subjects = subjects
        self.option = {option.pk: option.label for option in options}
        self.subject = {subject.pk: subject.label for subject in subjects}

    def content(self, content: dict) -> str:
        """A ballot as a reader reads it: "张三：称职；李四：优秀", or the choices."""
        if content.get("invalid"):
            return _("Invalid ballot")
        if "grades" in content:
            return "；".join(
                f"{self.subject.get(int(subject), subject)}：{self.option.get(grade, grade)}"
                for subject, grade in sorted(
                    content["grades"].items(), key=lambda item: self._subject_order(item[0])
                )
            )
        return "、".join(str(self.option.get(option, option)) for option in content["options"])

    def _subject_order(self, key) -> int:
        order = [subject.pk for subject in self.subjects]
        return order.index(int(key)) if int(key) in order else len(order)


def result_display(poll: Poll, labels: Labels) -> dict | None:
    """The published result with labels: rows of (label, votes, share, winner) for a
    choice poll, a table of grades per rated person for a graded one."""
    result = poll.result
    if not result:
        return None
    shown = {
        "figures": result,
        "base_words": base_words(result.get("base", poll.base)),
        "channels": [
            (label, result.get("channels", {}).get(code, 0))
            for code, label in (
                ("online", _("online")),
                ("proxy", _("by proxy")),
                ("paper", _("paper ballots")),
                ("hands", _("show of hands")),
            )
        ],
        "tie": bool(result.get("tie")),
        "no_quorum": result.get("decided") is False and poll.method == Poll.Method.YES_NO,
    }
    if poll.method == Poll.Method.GRADED:
        grades, outcomes = result.get("grades", {}), result.get("outcomes", {})
        shown["grade_labels"] = [option.label for option in labels.options]
        shown["subjects"] = [
            {
                "label": subject.label,
                "counts": [
                    (option.label, grades.get(str(subject.pk), {}).get(str(option.pk), 0))
                    for option in labels.options
                ],
                "grade": labels.option.get(outcomes.get(str(subject.pk), {}).get("grade")),
                "reason": outcomes.get(str(subject.pk), {}).get("reason", ""),
            }
            for subject in labels.subjects
        ]
        return shown
    tally = result.get("tally", {})
    count = result.get("base_count") or 0
    tied = set(result.get("tie") or [])
    shown["rows"] = [
        {
            "pk": option.pk,
            "label": option.label,
            "votes": tally.get(str(option.pk), 0),
            "percent": round(100 * tally.get(str(option.pk), 0) / count, 1) if count else 0,
            "winner": result.get("winner") == option.pk,
            "tied": option.pk in tied,
        }
        for option in labels.options
    ]
    return shown
