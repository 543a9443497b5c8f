"""Forms for opinions: submitting one, recording one for a resident, the list's filters,
seconding, and the committee's status handling."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from townhall.accounts.adapter import MobileField
from townhall.community.models import Membership, ResidentsCommittee

from .. import rules
from ..collection.models import CollectionMeeting
from . import photos as photo_checks
from .models import Category, Channel, Kind, Opinion, Status
from .selectors import SORTS, residents_to_record_for

# The resident list shows this many at most; a search narrows it.
RESIDENTS_SHOWN = 200


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more image uploads, each checked and re-encoded by photos.photo_clean."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": photo_checks.ACCEPT, "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            uploads = [upload for upload in data if upload]
        else:
            uploads = [data] if data else []
        limit = settings.TOWNHALL_OPINION_PHOTOS_MAX
        if len(uploads) > limit:
            raise ValidationError(
                _("You chose %(count)s photos; attach at most %(max)s.")
                % {"count": len(uploads), "max": limit}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(photo_checks.photo_clean(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class OpinionForm(forms.Form):
    """What a resident says: the same fields whoever types them."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.OPINION)
    title = forms.CharField(
        label=_("Title"),
        max_length=Opinion._meta.get_field("title").max_length,
        help_text=_("In a few words, e.g. “The stair light in building 3 is broken”."),
    )
    body = forms.CharField(
        label=_("What you want to say"),
        max_length=Opinion._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where, what, since when, and what you suggest."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    grid = forms.ModelChoiceField(label=_("Grid it concerns"), queryset=None, empty_label=None)
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to %(max)s JPEG, PNG or WebP photos; their location data is removed.")
        % {"max": settings.TOWNHALL_OPINION_PHOTOS_MAX},
    )

    def __init__(self, *args, committee: ResidentsCommittee, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = committee.grids.all()

    @property
    def photos_dropped(self) -> bool:
        """True when photos were chosen but the form comes back: browsers cannot refill
        a file input, so the page asks for them again."""
        return self.is_bound and bool(self.files.getlist("photos")) and bool(self.errors)


class ResidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership: Membership) -> str:
        person = membership.person
        address = membership.household.address if membership.household else ""
        parts = [person.real_name or str(person), membership.grid.name if membership.grid else ""]
        return " · ".join(part for part in [*parts, address, person.phone_display] if part)


class RecordOnBehalfForm(OpinionForm):
    """A grid worker or staff member records what a resident told them."""

    field_order = ["phone", "resident", "channel", "collection_meeting"]

    phone = MobileField(
        required=False,
        help_text=_("The resident's mobile number, or choose them from the list below."),
    )
    resident = ResidentChoiceField(
        label=_("Resident"),
        queryset=None,
        required=False,
        empty_label=_("— choose a resident —"),
        help_text=_("Real name · grid · address. Your own grid comes first."),
    )
    channel = forms.ChoiceField(
        label=_("How it was gathered"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        initial=Channel.HOME_VISIT,
    )
    collection_meeting = forms.ModelChoiceField(
        label=_("Opinion collection meeting"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args, committee: ResidentsCommittee, worker, search: str = "", **kwargs):
        super().__init__(*args, committee=committee, **kwargs)
        self.committee = committee
        residents = residents_to_record_for(committee, worker=worker)
        field = self.fields["resident"]
        field.queryset = residents
        # Render at most RESIDENTS_SHOWN names (a committee may have thousands); the
        # chosen one stays in the list. Validation still accepts any of the committee's.
        shown = list(
            residents_to_record_for(committee, worker=worker, search=search)[:RESIDENTS_SHOWN]
        )
        chosen = self.data.get(self.add_prefix("resident")) if self.is_bound else None
        if chosen and chosen.isdigit() and all(str(m.pk) != chosen for m in shown):
            shown += list(residents.filter(pk=chosen))
        field.widget.choices = [("", field.empty_label)] + [
            (m.pk, field.label_from_instance(m)) for m in shown
        ]
        self.residents_truncated = len(shown) >= RESIDENTS_SHOWN
        self.fields["collection_meeting"].queryset = CollectionMeeting.objects.filter(
            committee=committee
        ).order_by("-held_at")
        self.fields["grid"].required = False
        self.fields["grid"].empty_label = _("— the resident's own grid —")
        self.fields["grid"].help_text = _("Leave it to use the grid the resident lives in.")

    def clean(self):
        cleaned = super().clean()
        phone, membership = cleaned.get("phone"), cleaned.get("resident")
        if phone:
            by_phone = (
                residents_to_record_for(self.committee, worker=None)
                .filter(person__phone=phone)
                .first()
            )
            if by_phone is None:
                self.add_error(
                    "phone", _("No verified resident of this committee has that mobile number.")
                )
                return cleaned
            if membership and membership.person_id != by_phone.person_id:
                self.add_error(
                    "resident", _("The mobile number belongs to someone else: choose one.")
                )
                return cleaned
            membership = by_phone
        if membership is None:
            if "phone" not in self.errors:
                self.add_error(
                    "resident", _("Type the resident's mobile number or choose them from the list.")
                )
            return cleaned
        cleaned["author"] = membership.person
        if not cleaned.get("grid"):
            cleaned["grid"] = membership.grid
        if cleaned.get("collection_meeting") and cleaned.get("channel") != Channel.MEETING:
            self.add_error(
                "channel", _("It was gathered at the meeting you chose: choose “meeting”.")
            )
        return cleaned


class OpinionFilterForm(forms.Form):
    """The list's filters; anything unknown is ignored rather than refused."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Status.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"), queryset=None, required=False, empty_label=_("All grids")
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("newest", _("Newest first")), ("seconds", _("Most seconded"))],
        required=False,
    )

    def __init__(self, *args, committee: ResidentsCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = committee.grids.all()

    def filters(self) -> dict:
        """The valid filters, for selectors.opinion_list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "newest"
        return {
            "status": data.get("status", ""),
            "category": data.get("category", ""),
            "grid": data.get("grid"),
            "sort": sort if sort in SORTS else "newest",
        }


class StatusForm(forms.Form):
    """The committee's answer: where the opinion goes next and what the author reads."""

    to = forms.ChoiceField(label=_("New status"))
    text = forms.CharField(
        label=_("Reply, reason or note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The author reads it. Required for an answer and for declining; optional "
            "for a referral."
        ),
    )

    def __init__(self, *args, opinion: Opinion, **kwargs):
        super().__init__(*args, **kwargs)
        # Merging goes through the topic page, which names the topic.
        nexts = rules.OPINION_NEXT[opinion.status] - {Status.MERGED}
        self.fields["to"].choices = [(v, label) for v, label in Status.choices if v in nexts]

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["to"].choices)
