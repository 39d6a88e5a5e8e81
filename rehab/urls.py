"""Caseworker UI pages of the rehab app (Danish)."""

from django.urls import path  # noqa: F401

app_name = "rehab"

urlpatterns: list = []
