"""The append-only ledger: every act that changes a vote, a decision or a disclosure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One entry. `payload` is the canonical JSON of what happened (kind, subject, who,
    when, the content's hash, details); `entry_hash` chains it to the entry before.

    The columns beside `payload` repeat parts of it for queries; verification checks
    that they agree, so editing either is detected.
    """

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    subject = models.CharField(_("subject"), max_length=120, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    payload = models.TextField(_("payload"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Ledger entries are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Ledger entries are never deleted.")


class LedgerHead(models.Model):
    """A single row locked by every append, so that two appends never pick the same
    number or predecessor (SQLite serialises writers anyway; PostgreSQL needs this)."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"
