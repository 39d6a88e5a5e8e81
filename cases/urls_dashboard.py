"""URL patterns for the team-leader dashboard (included by cases/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
