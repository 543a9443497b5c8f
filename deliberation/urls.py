"""The app's URLs, gathered from its sub-domains under one namespace."""

from .collection.urls import urlpatterns as collection
from .decisions.execution_urls import urlpatterns as execution
from .decisions.urls import urlpatterns as decisions
from .meetings.petition_urls import urlpatterns as petitions
from .meetings.urls import urlpatterns as meetings
from .moderation.urls import urlpatterns as moderation
from .opinions.urls import urlpatterns as opinions
from .topics.urls import urlpatterns as topics
from .tracing.urls import urlpatterns as tracing

app_name = "deliberation"
urlpatterns = (
    opinions
    + moderation
    + collection
    + topics
    + tracing
    + petitions
    + meetings
    + decisions
    + execution
)
