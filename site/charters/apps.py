from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartersConfig(AppConfig):
    name = "townhall.charters"
    label = "charters"
    verbose_name = _("Charters and rules")

    def ready(self):
        from townhall.ledger import subjects

        from .services import charter_version_load_content

        # Verification re-reads each recorded version and compares it with its hash.
        subjects.register("charters.charterversion", charter_version_load_content)
