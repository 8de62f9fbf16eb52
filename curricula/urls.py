from django.urls import path

from curricula import views

app_name = "curricula"

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("<int:pk>/gaps/", views.programme_gaps, name="programme-gaps"),
    path("<int:pk>/cells/", views.programme_cell, name="programme-cell"),
    path("<int:pk>/map.csv", views.programme_map_csv, name="programme-map-csv"),
    path("<int:pk>/decide/", views.programme_decide, name="programme-decide"),
    path("<int:pk>/decide/apply/", views.programme_decide_apply, name="programme-decide-apply"),
    path("<int:pk>/chart.svg", views.programme_chart, name="programme-chart"),
]
