"""Forms of the poll pages: what people type or tick. The services check the law and
the window; these only turn the request into the arguments the services take."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation.meetings.models import Body, Meeting, Motion
from townhall.accounts.adapter import normalize_mobile

from .models import Elector, Option, PaperEntry, Poll, Subject

GRADE_HINT = "满意\n基本满意\n不满意"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# The largest key a database row can have (a signed 64-bit integer): a larger number
# sent to the database would fail as an error instead of finding nothing.
MAX_ID = 2**63 - 1


def row_id(value) -> int | None:
    """A posted id as a number, or None when it cannot be the key of a row."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class BallotUnreadable(ValueError):
    """The posted fields do not make a ballot at all (a missing or non-numeric choice)."""


def ballot_content(data) -> dict:
    """The ballot's content (see `Ballot.content`) from the posted fields, without
    knowing the poll: the vote path reads nothing before the service's locked read, and
    the service checks the content against the poll's method, options and subjects
    (`rules.content_verdict`). `grade-<subject id>` fields make a graded ballot,
    `options` (checkboxes) or `option` (radio buttons) a choice."""
    if grades := [key for key in data if key.startswith("grade-")]:
        content = {}
        for key in grades:
            subject, grade = row_id(key.removeprefix("grade-")), row_id(data.get(key))
            if subject is None or grade is None:
                raise BallotUnreadable(key)
            content[str(subject)] = grade
        return {"grades": content}
    chosen = [row_id(value) for value in data.getlist("options")] or [
        row_id(data.get("option", ""))
    ]
    if None in chosen:
        raise BallotUnreadable("options")
    return {"options": chosen}


def elector_label(elector: Elector, *, real_name: bool = False) -> str:
    """A household by its address, a person by the name others see; officials (paper
    entry, audit) see real names."""
    if elector.household_id:
        return elector.household.address
    person = elector.person
    return (person.real_name or str(person)) if real_name else str(person)


class BallotForm(forms.Form):
    """The vote form as shown: one field per question, built from the poll's options and
    subjects. Bound to what was posted, it shows a refused ballot as it was filled in."""

    def __init__(
        self,
        *args,
        poll: Poll,
        options: list[Option],
        subjects: list[Subject],
        for_self: bool = True,
        proxies: list[Elector] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = [(option.pk, option.label) for option in options]
        if poll.method == Poll.Method.MULTIPLE:
            self.fields["options"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_choice_range(poll.min_choices, poll.max_choices),
            )
        elif poll.method == Poll.Method.GRADED:
            for subject in subjects:
                self.fields[f"grade-{subject.pk}"] = forms.ChoiceField(
                    label=subject.label, choices=choices, widget=forms.RadioSelect
                )
            self.fields["comment"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "Kept apart from your grades, with no receipt: no one can tell whose it is."
                ),
            )
        else:
            self.fields["option"] = forms.ChoiceField(
                label=_("Your choice"), choices=choices, widget=forms.RadioSelect
            )
        if proxies:
            whom = [("", _("For myself"))] if for_self else []
            whom += [
                (elector.pk, _("For %(name)s (proxy)") % {"name": elector_label(elector)})
                for elector in proxies
            ]
            self.fields["on_behalf_of"] = forms.ChoiceField(
                label=_("Whose vote is this?"),
                choices=whom,
                # Someone who has voted for themselves picks one of the proxies.
                required=not for_self,
                widget=forms.RadioSelect,
                initial="" if for_self else None,
            )

    def grade_fields(self):
        return [self[name] for name in self.fields if name.startswith("grade-")]


def _choice_range(low: int, high: int) -> str:
    if low == high:
        return _("Choose %(n)s.") % {"n": low}
    return _("Choose at least %(low)s and at most %(high)s.") % {"low": low, "high": high}


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is being decided or asked, and where to read more."),
    )
    method = forms.ChoiceField(label=_("Method"), choices=Poll.Method.choices)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": GRADE_HINT}),
        help_text=_(
            "Single and multiple choice: the choices. Graded: the grades, best first "
            "(e.g. 满意 / 基本满意 / 不满意, or 优秀 / 称职 / 基本称职 / 不称职). "
            "Yes / no / abstain polls need none."
        ),
    )
    subjects = forms.CharField(
        label=_("Rated, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Graded polls only: each person or item that gets a grade."),
    )
    min_choices = forms.IntegerField(label=_("Fewest choices"), min_value=0, initial=1)
    max_choices = forms.IntegerField(
        label=_("Most choices"),
        min_value=1,
        initial=1,
        help_text=_("Multiple choice only; the others take one choice."),
    )
    electorate = forms.ChoiceField(label=_("Who may vote"), choices=Poll.Electorate.choices)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("For a vote of the members checked in at a meeting."),
    )
    body = forms.ChoiceField(
        label=_("Deciding body"),
        choices=[("", _("None: the committee consults residents")), *Body.choices],
        required=False,
        help_text=_("A body's vote is counted by its majority rule (quorum, more than half)."),
    )
    base = forms.ChoiceField(
        label=_("Majority of"),
        choices=Poll.Base.choices,
        help_text=_(
            "What a majority is counted against. By law a body decides by more than half "
            "of the members present (at a meeting) or of the ballots cast (online)."
        ),
    )
    named = forms.BooleanField(
        label=_("Named (roll-call) vote: everyone sees who voted what"),
        required=False,
        help_text=_("Only for representatives' votes. Otherwise the ballot is secret."),
    )
    proxies_allowed = forms.BooleanField(
        label=_("Written proxies allowed (at most 3 per voter)"),
        required=False,
        help_text=_("Never in representatives' votes."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Empty: when you open it."),
    )
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput())

    # What a vote on a motion does not ask: it is yes / no / abstain (options made by the
    # service), one choice, at the motion's own meeting and body.
    NOT_FOR_A_MOTION = (
        "method",
        "options",
        "subjects",
        "min_choices",
        "max_choices",
        "meeting",
        "body",
    )

    def __init__(self, *args, meetings, motion: Motion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.motion = motion
        self.fields["meeting"].queryset = meetings
        if motion is not None:
            # Not shown, and anything posted under these names is not read.
            for name in self.NOT_FOR_A_MOTION:
                del self.fields[name]

    def clean_options(self) -> list[str]:
        return _lines(self.cleaned_data["options"])

    def clean_subjects(self) -> list[str]:
        return _lines(self.cleaned_data["subjects"])

    def clean(self):
        cleaned = super().clean()
        if self.motion is not None:
            cleaned.update(
                method=Poll.Method.YES_NO,
                meeting=self.motion.meeting,
                body=self.motion.meeting.body,
            )
        return cleaned


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why close it before its time"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the poll and in the ledger; everyone can read it."),
    )


class ElectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, elector: Elector) -> str:
        return elector_label(elector, real_name=True)


class PaperForm(forms.Form):
    """Paper ballots or a show of hands: who handed them in, and how many for each
    option. Counts make the ballots (`paper.contents_from_counts`); for multiple choice
    and graded polls each ballot is typed as a line of option numbers."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=PaperEntry.Kind.choices, widget=forms.RadioSelect
    )
    electors = ElectorChoiceField(
        label=_("Who voted this way"),
        queryset=Elector.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick everyone whose ballot or raised hand this entry counts."),
    )
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0, initial=0)

    def __init__(self, *args, poll: Poll, options: list[Option], electors, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = options
        self.fields["electors"].queryset = electors
        if not poll.named:
            # A show of hands is public: only a named poll takes one (voting.paper).
            self.fields["kind"].choices = [(PaperEntry.Kind.PAPER, PaperEntry.Kind.PAPER.label)]
        if poll.method in (Poll.Method.YES_NO, Poll.Method.SINGLE):
            for option in options:
                self.fields[f"count-{option.pk}"] = forms.IntegerField(
                    label=option.label, min_value=0, initial=0
                )
        else:
            self.fields["lines"] = forms.CharField(
                label=_("Ballots, one per line"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "Each line is one ballot: the numbers of the options chosen "
                    "(multiple choice), or of the grade given to each rated person in "
                    "order (graded), separated by spaces or commas."
                ),
            )

    def count_fields(self):
        return [self[name] for name in self.fields if name.startswith("count-")]

    def counts(self) -> dict[int, int]:
        return {
            int(name.removeprefix("count-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("count-")
        }

    def clean_lines(self) -> list[list[int]]:
        ballots = []
        for number, line in enumerate(_lines(self.cleaned_data["lines"]), start=1):
            picks = [row_id(part) for part in line.replace(",", " ").replace("，", " ").split()]
            if None in picks or any(not 1 <= pick <= len(self.options) for pick in picks):
                raise forms.ValidationError(
                    _("Line %(n)s: use option numbers from 1 to %(max)s.")
                    % {"n": number, "max": len(self.options)}
                )
            ballots.append(picks)
        return ballots


class ProxyForm(forms.Form):
    """A written proxy: the resident grants it online themselves, or the office records
    one handed in on paper (then the grantor and the form's reference are typed)."""

    grantor_phone = forms.CharField(
        label=_("Mobile number of the voter who gives the proxy"), max_length=20
    )
    holder_phone = forms.CharField(
        label=_("Mobile number of the voter who will cast the vote"),
        max_length=20,
        help_text=_("They must be in this poll's electorate too, and carry at most 3 proxies."),
    )
    document = forms.CharField(
        label=_("Written authorisation"),
        max_length=200,
        help_text=_("How it was given in writing, e.g. the number of the signed form."),
    )

    def __init__(self, *args, for_office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_office:
            del self.fields["grantor_phone"], self.fields["document"]
        for name in ("grantor_phone", "holder_phone"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"inputmode": "tel", "autocomplete": "off", "type": "tel"}
                )

    def clean_holder_phone(self) -> str:
        return _phone(self.cleaned_data["holder_phone"])

    def clean_grantor_phone(self) -> str:
        return _phone(self.cleaned_data["grantor_phone"])


def _phone(text: str) -> str:
    phone = normalize_mobile(text)
    if not phone.startswith("+86"):
        raise forms.ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."))
    return phone
