"""`time_tag`: a date as a <time> element, for dates inside a translated sentence."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


@register.filter(expects_localtime=True)
def time_tag(value, fmt: str = "Y-m-d") -> str:
    """2026-11-03 as <time datetime="…">2026-11-03</time>: the stylesheet keeps a <time>
    on one line, so the date never breaks at a hyphen (2026-/11-03) on a phone at large
    text. Safe HTML, so a {% blocktranslate with %} variable keeps the tag."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), date_filter(value, fmt))
