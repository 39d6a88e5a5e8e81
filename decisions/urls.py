"""Caseworker UI pages of the decisions app (Danish)."""

from django.urls import path  # noqa: F401

app_name = "decisions"

urlpatterns: list = []
