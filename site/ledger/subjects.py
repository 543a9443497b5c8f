"""Which records the ledger can re-read: a label per model and how to get its content.

A module that writes ledger entries about its records registers here (in its
AppConfig.ready), so that verification can compare each record's current content
with the hash the ledger holds for it.
"""

from collections.abc import Callable

from django.db import models

Loader = Callable[[str], dict | None]

_loaders: dict[str, Loader] = {}


def subject_of(instance: models.Model) -> str:
    """`app_label.model:pk`, e.g. `disclosures.disclosurepage:12`."""
    return f"{instance._meta.label_lower}:{instance.pk}"


def register(label: str, loader: Loader) -> None:
    """`loader(pk)` returns the record's current ledger content, or None if it is gone."""
    _loaders[label] = loader


def unregister(label: str) -> None:
    _loaders.pop(label, None)


def current_content(subject: str) -> tuple[bool, dict | None]:
    """(known, content): known is False for subjects no module registered."""
    label, _, pk = subject.partition(":")
    loader = _loaders.get(label)
    if loader is None:
        return False, None
    return True, loader(pk)
