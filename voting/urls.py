"""Poll pages: voting, receipts, the public ballot board, chair and audit views."""

app_name = "voting"

urlpatterns = []
