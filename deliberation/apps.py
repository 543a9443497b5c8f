from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = _("Deliberation (议事)")

    def ready(self):
        from townhall.ledger import subjects

        from .decisions.services import decision_load
        from .meetings.minutes import minutes_load
        from .meetings.services import meeting_load, motion_load
        from .opinions.services import opinion_load
        from .topics.services import topic_load

        subjects.register("deliberation.opinion", opinion_load)
        subjects.register("deliberation.topic", topic_load)
        subjects.register("deliberation.decision", decision_load)
        subjects.register("deliberation.minutes", minutes_load)
        subjects.register("deliberation.meeting", meeting_load)
        subjects.register("deliberation.motion", motion_load)
