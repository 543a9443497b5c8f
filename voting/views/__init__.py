"""Poll pages: voting, receipts, the public ballot board, chair and audit views. Each
view parses the request, asks the gatekeeper, calls one service and renders."""

from .ballots import (
    ballot_board,
    ballot_cast,
    board_csv,
    board_export,
    offline_recount_script,
    poll_detail,
    poll_list,
)
from .officials import (
    paper_confirm,
    paper_new,
    poll_audit,
    poll_audit_csv,
    poll_close,
    poll_new,
    poll_open,
    proxy_new,
)

__all__ = [
    "ballot_board",
    "ballot_cast",
    "board_csv",
    "board_export",
    "offline_recount_script",
    "paper_confirm",
    "paper_new",
    "poll_audit",
    "poll_audit_csv",
    "poll_close",
    "poll_detail",
    "poll_list",
    "poll_new",
    "poll_open",
    "proxy_new",
]
