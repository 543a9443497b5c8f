from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you request changes; staff will read it."),
    )
