from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "townhall.disclosures"
    label = "disclosures"
    verbose_name = _("Affairs disclosure (居务公开)")

    def ready(self):
        from townhall.ledger import subjects

        from .services import disclosure_load

        subjects.register("disclosures.disclosurepage", disclosure_load)
