"""Caseworker UI pages of the flexjob app (Danish)."""

from django.urls import path

from . import views

app_name = "flexjob"

urlpatterns = [
    path("forloeb/<uuid:forloeb_pk>/", views.oversigt, name="oversigt"),
    path("forloeb/<uuid:forloeb_pk>/visitation/", views.visitation_opret, name="visitation_opret"),
    path("forloeb/<uuid:forloeb_pk>/bevillinger/", views.bevilling_opret, name="bevilling_opret"),
    path("forloeb/<uuid:forloeb_pk>/ansaettelser/opret/", views.ansaettelse_opret, name="ansaettelse_opret"),
    path("ansaettelser/<uuid:pk>/", views.ansaettelse, name="ansaettelse"),
    path("ansaettelser/<uuid:pk>/opfoelgning/", views.opfoelgning_opret, name="opfoelgning_opret"),
    path("ansaettelser/<uuid:pk>/arbejdsevnevurdering/", views.vurdering_opret, name="vurdering_opret"),
    path("virksomheder/opslag/", views.virksomhed_opslag, name="virksomhed_opslag"),
    path("aftaler/", views.aftaler_liste, name="aftaler"),
    path("aftaler/<uuid:pk>/godkend/", views.aftale_godkend, name="aftale_godkend"),
    path("aftaler/<uuid:pk>/afvis/", views.aftale_afvis, name="aftale_afvis"),
    path("aftaler/<uuid:pk>/bekraeft/", views.aftale_bekraeft, name="aftale_bekraeft"),
]
