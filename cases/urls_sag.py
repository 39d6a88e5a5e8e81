"""URL patterns for the work queue, forløb journey view, transitions, journal notes and the notifications
inbox (included by cases/urls.py)."""

from django.urls import path

from . import views_sag, views_tilbud

urlpatterns: list = [
    path("mine-sager/", views_sag.mine_sager, name="mine_sager"),
    path("notifikationer/", views_sag.notifikationer, name="notifikationer"),
    path("borgere/<uuid:borger_pk>/forloeb/opret/", views_sag.forloeb_opret, name="forloeb_opret"),
    path(
        "forloeb/<uuid:forloeb_pk>/overgang/<slug:overgang>/",
        views_sag.forloeb_overgang,
        name="forloeb_overgang",
    ),
    path("forloeb/<uuid:forloeb_pk>/journalnotat/", views_sag.journalnotat_opret, name="journalnotat_opret"),
    path("journalnotat/<uuid:pk>/umasker/", views_sag.journalnotat_umasker, name="journalnotat_umasker"),
    path("forloeb/<uuid:forloeb_pk>/tilbud/", views_tilbud.tilbud, name="tilbud"),
    path("forloeb/<uuid:forloeb_pk>/tilbud/udskriv/", views_tilbud.tilbud_udskriv, name="tilbud_udskriv"),
    path("tilbud/<uuid:pk>/svar/", views_tilbud.tilbud_besvar, name="tilbud_besvar"),
]
