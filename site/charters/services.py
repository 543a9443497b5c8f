"""Every write about charters: recording a version the residents' assembly adopted."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

from .models import CharterPage, CharterVersion


def charter_text_normalize(text: str) -> str:
    """One article per line, no trailing spaces, at most one blank line in a row: the
    form a browser's CRLFs and stray spaces would otherwise turn into false changes."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def charter_version_content(version: CharterVersion) -> dict:
    """What the ledger hashes for a version: the text and what made it law."""
    return {
        "page": version.page_id,
        "kind": version.page.kind,
        "number": version.number,
        "text": version.text,
        "effective_from": version.effective_from,
        "adopted_on": version.adopted_on,
        "adoption_reference": version.adoption_reference,
    }


def charter_version_load_content(pk: str) -> dict | None:
    """The ledger's loader for `charters.charterversion:<pk>`."""
    version = CharterVersion.objects.select_related("page").filter(pk=pk).first()
    return charter_version_content(version) if version else None


def charter_version_adopt(
    *,
    page: CharterPage,
    text: str,
    effective_from: date,
    adopted_on: date,
    adoption_reference: str,
    by,
) -> CharterVersion:
    """Record a version adopted by the residents' assembly.

    Guarantees: the version is numbered after the page's last one under a lock on the
    page row; a ledger entry "charter.version_adopted" with the version's content is
    written in the same transaction. Raises ValidationError (by field) when the text is
    empty or unchanged, the version would be in force before its adoption, or before
    the last version takes effect (which would leave that one in force for good).
    The caller has checked `permissions.charter_version_record_check`.
    """
    text = charter_text_normalize(text)
    adoption_reference = adoption_reference.strip()
    if not text:
        raise ValidationError({"text": _("Enter the text of the charter.")})
    if not adoption_reference:
        raise ValidationError({"adoption_reference": _("Say which resolution adopted it.")})
    if effective_from < adopted_on:
        raise ValidationError(
            {"effective_from": _("A version cannot be in force before the day it was adopted.")}
        )
    with transaction.atomic():
        # Lock the page: two staff recording at once must not take the same number.
        page = CharterPage.objects.select_for_update().get(pk=page.pk)
        latest = page.versions.order_by("-number").first()
        if latest is not None and latest.text == text:
            raise ValidationError(
                {
                    "text": _("The text is the same as version %(number)s. Change it first.")
                    % {"number": latest.number}
                }
            )
        if latest is not None and effective_from < latest.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "Version %(number)s is in force from %(date)s; a new version "
                        "cannot take effect before it."
                    )
                    % {"number": latest.number, "date": date_format(latest.effective_from)}
                }
            )
        version = CharterVersion.objects.create(
            page=page,
            number=latest.number + 1 if latest else 1,
            text=text,
            effective_from=effective_from,
            adopted_on=adopted_on,
            adoption_reference=adoption_reference,
            adopted_by=by,
        )
        ledger_append(
            kind="charter.version_adopted",
            subject=subject_of(version),
            actor=by,
            content=charter_version_content(version),
            details={"committee": page.committee.pk if page.committee else None},
        )
    return version
