"""URL patterns for the team-leader dashboard (included by cases/urls.py)."""

from django.urls import path

from . import views_dashboard

urlpatterns: list = [
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/sager/", views_dashboard.dashboard_sager, name="dashboard_sager"),
    path("dashboard/eksport.csv", views_dashboard.dashboard_csv, name="dashboard_csv"),
    path("forloeb/<uuid:forloeb_pk>/tildel/", views_dashboard.forloeb_tildel, name="forloeb_tildel"),
]
