from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "townhall.audit"
    label = "audit"
    verbose_name = _("Supervision (居务监督)")

    def ready(self):
        from townhall.ledger import subjects

        from .services import finding_load

        subjects.register("audit.finding", finding_load)
