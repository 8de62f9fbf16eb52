"""/api/v1/history/: the audit API; /api/v1/deletions/: what a sync must delete."""

from django.urls import path, re_path

from audit.api.views import (
    DeletionListView,
    HistoryDetailView,
    HistoryListView,
    HistoryRevertView,
)

# Ids in URLs look like ids (at most 18 digits), so an oversized one is a 404, not a DB overflow.
_RECORD = r"^history/(?P<model>[a-z]{1,40})/(?P<history_id>[0-9]{1,18})/"

urlpatterns = [
    path("history/", HistoryListView.as_view(), name="history-list"),
    path("deletions/", DeletionListView.as_view(), name="deletion-list"),
    re_path(_RECORD + r"$", HistoryDetailView.as_view(), name="history-detail"),
    re_path(_RECORD + r"revert/$", HistoryRevertView.as_view(), name="history-revert"),
]
