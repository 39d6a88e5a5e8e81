"""Caseworker UI pages of the flexjob app (Danish)."""

from django.urls import path  # noqa: F401

app_name = "flexjob"

urlpatterns: list = []
