"""URL patterns for the work queue, forløb journey view, transitions, journal notes and notifications inbox (included by cases/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
