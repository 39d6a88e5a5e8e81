"""Caseworker UI pages of the decisions app (Danish)."""

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("forloeb/<uuid:forloeb_pk>/", views.dokumenter, name="dokumenter"),
    path("dokumenter/<uuid:pk>/", views.dokument, name="dokument"),
    path("dokumenter/<uuid:pk>/lint/", views.dokument_lint, name="dokument_lint"),
    path("dokumenter/<uuid:pk>/kasser/", views.dokument_kasser, name="dokument_kasser"),
    path(
        "dokumenter/<uuid:pk>/forhaandsvisning.pdf", views.dokument_forhaandsvisning, name="dokument_forhaandsvisning"
    ),
    path("dokumenter/<uuid:pk>/pdf/", views.dokument_pdf, name="dokument_pdf"),
    path("dokumenter/<uuid:pk>/pdf/status/", views.dokument_pdf_status, name="dokument_pdf_status"),
    path("dokumenter/<uuid:pk>/send/", views.dokument_afsend, name="dokument_afsend"),
    path("dokumenter/<uuid:dokument_pk>/klage/", views.klage_opret, name="klage_opret"),
    path("klager/", views.klager_liste, name="klager"),
    path("klager/<uuid:pk>/", views.klage, name="klage"),
    path("standardtekster/", views.standardtekster_liste, name="standardtekster"),
    path("standardtekster/<int:pk>/", views.standardtekst, name="standardtekst"),
]
