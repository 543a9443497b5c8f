from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from townhall.ledger import subjects

        from .services import poll_load

        # The ledger re-reads a poll as `poll.opened` and `poll.counted` hashed it.
        subjects.register("voting.poll", poll_load)
