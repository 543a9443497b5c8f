"""The "My opinions" page: a resident follows what happened to what they said."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from townhall.community.selectors import committees_where

from ..permissions import GRANTS, Action
from .selectors import Relation, opinions_recorded_by, trace_list


@login_required
def my_opinions(request):
    traces = trace_list(person=request.user)
    show = request.GET.get("show", "")
    if show not in {relation.value for relation in Relation}:
        show = ""
    return render(
        request,
        "deliberation/tracing/my_opinions.html",
        {
            "traces": [trace for trace in traces if not show or trace.relation == show],
            "show": show,
            "total": len(traces),
            "counts": {
                relation.value: sum(1 for trace in traces if trace.relation == relation)
                for relation in Relation
            },
        },
    )


@login_required
def opinions_recorded(request):
    """The opinions a grid worker or staff member recorded for residents, in the
    committees where they still record them."""
    committees = committees_where(request.user, GRANTS[Action.RECORD_ON_BEHALF])
    return render(
        request,
        "deliberation/tracing/recorded.html",
        {"opinions": opinions_recorded_by(request.user, committees)},
    )
