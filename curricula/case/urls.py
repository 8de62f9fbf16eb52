"""The CASE 1.1 provider, mounted at /ims/case/v1p1/ by competency_site.api.urls."""

from django.urls import path

from curricula.case import views

app_name = "case"

# `path:` rather than `str:`, so that any malformed identifier (even one with a slash) reaches
# the view and gets CASE's error body instead of the site's HTML 404 page.
urlpatterns = [
    path("CFDocuments", views.DocumentListView.as_view(), name="cfdocument-list"),
    path(
        "CFDocuments/<path:identifier>",
        views.DocumentDetailView.as_view(),
        name="cfdocument-detail",
    ),
    path("CFPackages/<path:identifier>", views.PackageView.as_view(), name="cfpackage-detail"),
    path("CFItems/<path:identifier>", views.ItemView.as_view(), name="cfitem-detail"),
    path(
        "CFAssociations/<path:identifier>",
        views.AssociationView.as_view(),
        name="cfassociation-detail",
    ),
    path(
        "CFItemAssociations/<path:identifier>",
        views.ItemAssociationsView.as_view(),
        name="cfitemassociations-detail",
    ),
    path("CFItemTypes/<path:identifier>", views.ItemTypeView.as_view(), name="cfitemtype-detail"),
    path(
        "CFAssociationGroupings/<path:identifier>",
        views.AssociationGroupingView.as_view(),
        name="cfassociationgrouping-detail",
    ),
]
