"""Caseworker UI pages of the rehab app (Danish)."""

from django.urls import path

from . import views

app_name = "rehab"

urlpatterns = [
    path("forloeb/<uuid:forloeb_pk>/forberedende-del/", views.forberedende_del, name="forberedende_del"),
    path("forloeb/<uuid:forloeb_pk>/moede/", views.booking, name="booking"),
    path("forloeb/<uuid:forloeb_pk>/indstilling/", views.indstilling, name="indstilling"),
    path("forloeb/<uuid:forloeb_pk>/partshoering/", views.partshoering, name="partshoering"),
    path("forloeb/<uuid:forloeb_pk>/partshoering/status/", views.partshoering_status, name="partshoering_status"),
    path("forloeb/<uuid:forloeb_pk>/moedeoplaeg.pdf", views.moedeoplaeg, name="moedeoplaeg"),
    path("moeder/", views.moeder, name="moeder"),
]
