from django.urls import path

from cases import urls_sag, views

app_name = "cases"

urlpatterns = [
    path("", views.borger_list, name="borger_list"),
    path("borgere/opret/", views.borger_opret, name="borger_opret"),
    path("borgere/<uuid:pk>/", views.borger_detail, name="borger_detail"),
    path("borgere/<uuid:pk>/rediger/", views.borger_rediger, name="borger_rediger"),
    path("borgere/<uuid:pk>/cpr/", views.borger_cpr_vis, name="borger_cpr_vis"),
    path("borgere/<uuid:pk>/paaroerende/opret/", views.paaroerende_opret, name="paaroerende_opret"),
]
urlpatterns += urls_sag.urlpatterns
