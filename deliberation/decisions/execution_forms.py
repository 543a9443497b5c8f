"""Forms for carrying out a decision: assigning it, reporting progress, the supervision
committee's comment, and its verdict on a decision reported done."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..opinions import photos as photo_checks
from .execution_selectors import execution_candidates
from .models import Decision, ProgressUpdate, SupervisionNote


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person) -> str:
        # Office holders are named by their real names: it is a public office.
        return person.real_name or str(person)


class AssignForm(forms.Form):
    responsible = MemberChoiceField(
        label=_("Responsible member"),
        queryset=None,
        empty_label=_("— choose a committee member —"),
    )
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    assisting = forms.ModelMultipleChoiceField(
        label=_("Social organisations assisting"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = execution_candidates(decision.committee)
        self.fields["assisting"].queryset = decision.committee.community.social_organizations.all()
        if not self.fields["assisting"].queryset.exists():
            self.fields["assisting"].help_text = _(
                "No social organisations are registered in this community."
            )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        max_length=ProgressUpdate._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    percent_done = forms.IntegerField(
        label=_("Percent done"),
        min_value=0,
        max_value=100,
        help_text=_("At 100 it is reported done: the supervision committee then signs it off."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": photo_checks.ACCEPT}),
        help_text=_("A JPEG, PNG or WebP photo; its location data is removed."),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return photo_checks.photo_clean(photo) if photo else None

    @property
    def photo_dropped(self) -> bool:
        """Browsers cannot refill a file input: the page asks for the photo again."""
        return self.is_bound and bool(self.files.get("photo")) and bool(self.errors)


class SupervisionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=SupervisionNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still missing"),
        max_length=SupervisionNote._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
