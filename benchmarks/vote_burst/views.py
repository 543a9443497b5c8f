"""The two references the vote path is measured against, served by the same workers
with the same middleware (sessions on Redis, CSRF, authentication, messages).

- `empty`: the framework ceiling, the whole stack around a view that does nothing.
- `bare_vote`: the least a ballot must cost. It reads the voter from the session (not
  the user row), and writes what a ballot durably is, the participation row (who) and
  the ballot row (what), into the real tables, in one SQL statement and so one commit.
  It checks nothing else: no window, no content, no lock on the poll, no ledger, no
  page. The vote path's share of it is the price of its rules and its receipt page.
"""

import json

from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError, connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST

from voting.receipts import receipt_new


@require_GET
def empty(request):
    return HttpResponse(b"")


# The elector is found inside the statement: an unknown voter inserts nothing, and the
# unique elector of a participation refuses a second ballot before its ballot row.
BOTH_ROWS = """
WITH p AS (
    INSERT INTO voting_participation (poll_id, elector_id, cast_by_id, channel, voted_at)
    SELECT e.poll_id, e.id, %(user)s, 'online', now()
    FROM voting_elector e
    WHERE e.poll_id = %(poll)s AND e.person_id = %(user)s
    RETURNING poll_id
)
INSERT INTO voting_ballot (receipt, poll_id, content, channel)
SELECT %(receipt)s, p.poll_id, %(content)s::jsonb, 'online' FROM p
"""


@require_POST
def bare_vote(request, pk: int):
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return HttpResponse(status=403)
    try:
        option = int(request.POST["option"])
    except (KeyError, ValueError):
        return HttpResponse(status=400)
    receipt = receipt_new()
    params = {
        "user": int(user_id),
        "poll": pk,
        "receipt": receipt,
        "content": json.dumps({"options": [option]}),
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute(BOTH_ROWS, params)
            written = cursor.rowcount
    except IntegrityError:
        return HttpResponse(status=409)
    if not written:
        return HttpResponse(status=403)
    return HttpResponse(receipt.encode())
