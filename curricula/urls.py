"""The pages of curricula: the programmes under /programs/, and the pages it serves in the
positions and certifications sections (composed with those apps' own pages by
competency_site/web_urls.py)."""

from django.urls import path

from curricula.views import (
    certifications,
    comparisons,
    courses,
    decisions,
    maps,
    positions,
    programmes,
)

app_name = "curricula"

urlpatterns = [
    path("", programmes.programme_list_page, name="programme-list"),
    path("compare/", comparisons.programme_compare_page, name="programme-compare"),
    path("<int:pk>/", programmes.programme_detail_page, name="programme-detail"),
    path("<int:pk>/gaps/", programmes.programme_gaps_fragment, name="programme-gaps"),
    path("<int:pk>/cells/", maps.programme_cell_save, name="programme-cell"),
    path("<int:pk>/changes/", maps.programme_changes_save, name="programme-changes"),
    path(
        "<int:pk>/changes/<str:token>/undo/",
        maps.programme_change_undo,
        name="programme-change-undo",
    ),
    path("<int:pk>/map/import/", maps.programme_map_import_page, name="programme-map-import"),
    path("<int:pk>/map/<int:ability_id>/", maps.programme_ability_page, name="programme-ability"),
    path("<int:pk>/map.csv", programmes.programme_map_csv, name="programme-map-csv"),
    path("<int:pk>/workbook.xlsx", programmes.programme_workbook_xlsx, name="programme-workbook"),
    path("<int:pk>/report/", programmes.programme_report_page, name="programme-report"),
    path("<int:pk>/decide/", decisions.programme_decide_page, name="programme-decide"),
    path("<int:pk>/decide/apply/", decisions.programme_decide_apply, name="programme-decide-apply"),
    path("<int:pk>/chart.svg", programmes.programme_chart_svg, name="programme-chart"),
]

# Served under /positions/ in the "positions" namespace, beside the positions list.
position_urlpatterns = [
    path("<int:pk>/", positions.position_detail_page, name="detail"),
    path(
        "<int:pk>/cells/<int:programme_id>/<int:ability_id>/",
        positions.position_cell_page,
        name="cell",
    ),
]

# Served under /courses/ in the "courses" namespace.
course_urlpatterns = [
    path("<int:pk>/", courses.course_detail_page, name="detail"),
]

# Served under /certifications/ in the "certifications" namespace.
certification_urlpatterns = [
    path("", certifications.certification_list_page, name="list"),
]
