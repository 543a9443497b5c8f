"""The app's URLs, gathered from its sub-domains under one namespace."""

from .collection.urls import urlpatterns as collection
from .moderation.urls import urlpatterns as moderation
from .opinions.urls import urlpatterns as opinions
from .topics.urls import urlpatterns as topics
from .tracing.urls import urlpatterns as tracing

app_name = "deliberation"
urlpatterns = opinions + moderation + collection + topics + tracing
