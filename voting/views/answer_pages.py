"""The vote POST's answer pages (receipt, refusals), rendered once per poll and
language, then filled in with each voter's values."""

import secrets
import threading
from collections import OrderedDict

from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language

from townhall.accounts.text_size import CSS_CLASS, large_text_wanted

BOARD_PAGE_SIZE = 50


# The vote POST's answer pages, rendered once per poll, language and host, then filled
# in: a burst of ballots asks for the same page thousands of times, and the Django
# template (its dozen translated strings above all) would cost more than the ballot's
# own Python. The page is rendered with a marker where each voter's own value goes
# (the receipt and its links); markers pass through autoescaping unchanged, so the page
# is kept as the pieces between them, and each answer joins them with its values,
# escaped as the template would escape them. So in these templates a per-voter value is
# only ever output plainly (`{{ receipt }}`), never through a filter. The marker holds
# a random token: no title can contain it.
_MARK = "\ue000" + secrets.token_hex(8)
RECEIPT_SLOT = "RECEIPT" + secrets.token_hex(8)  # letters and digits: URL quoting keeps them
PRINCIPAL_SLOT = "PRINCIPAL" + secrets.token_hex(8)  # whose ballot a proxy holder cast
_PAGES: OrderedDict[tuple, tuple[tuple[str, ...], dict]] = OrderedDict()
_PAGES_KEPT = 256
_pages_lock = threading.Lock()


def page_pieces(template: str, key: tuple, fixed_of, names: tuple[str, ...] = (), *, request=None):
    """(pieces, fixed) of the answer page `template` for `key` (what, with the active
    language and the text size, decides the page): `fixed_of()` makes the values every
    voter shares, and `names` are the per-voter values left as markers. Rendered without
    the request, so without context processors (the lean layout `_vote_answer_base.html`
    reads none); the large-text class comes from the cookie or the user row already read
    (`large_text_wanted`: no query)."""
    text_class = CSS_CLASS if request is not None and large_text_wanted(request) else ""
    key = (template, get_language(), text_class, *key)
    with _pages_lock:
        found = _PAGES.get(key)
        if found is not None:
            _PAGES.move_to_end(key)
            return found
    fixed = {
        **fixed_of(),
        "polls_url": reverse("voting:poll_list"),
        "text_size_class": text_class,
    }
    marked = {name: f"{_MARK}{name}{_MARK}" for name in names}
    found = (tuple(get_template(template).render({**fixed, **marked}).split(_MARK)), fixed)
    with _pages_lock:
        _PAGES[key] = found
        while len(_PAGES) > _PAGES_KEPT:
            _PAGES.popitem(last=False)
    return found


def page_filled(pieces: tuple[str, ...], each: dict, status: int = 200) -> HttpResponse:
    # Odd pieces are the names between two markers.
    page = "".join(escape(each[piece]) if i % 2 else piece for i, piece in enumerate(pieces))
    return HttpResponse(page, status=status)
