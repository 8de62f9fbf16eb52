from django.urls import path

from positions import views

app_name = "positions"

urlpatterns = [
    path("", views.position_list_page, name="list"),
]
