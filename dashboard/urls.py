"""URL patterns of the team-leader dashboard (namespace ``dashboard``)."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/sager/", views.dashboard_sager, name="dashboard_sager"),
    path("dashboard/eksport.csv", views.dashboard_csv, name="dashboard_csv"),
    path("forloeb/<uuid:forloeb_pk>/tildel/", views.forloeb_tildel, name="forloeb_tildel"),
]
