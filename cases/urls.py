from django.urls import path

from cases import urls_sag, views, views_register

app_name = "cases"

urlpatterns = [
    path("", views.borger_list, name="borger_list"),
    path("borgere/opret/", views.borger_opret, name="borger_opret"),
    path("borgere/<uuid:pk>/", views.borger_detail, name="borger_detail"),
    path("borgere/<uuid:pk>/rediger/", views.borger_rediger, name="borger_rediger"),
    path("borgere/<uuid:pk>/cpr/", views.borger_cpr_vis, name="borger_cpr_vis"),
    path("borgere/<uuid:pk>/cpr-register/", views_register.borger_register_opdater, name="borger_register_opdater"),
    path("borgere/<uuid:pk>/adresse/", views_register.borger_adresse_vis, name="borger_adresse_vis"),
    path("borgere/<uuid:pk>/paaroerende/opret/", views.paaroerende_opret, name="paaroerende_opret"),
]
urlpatterns += urls_sag.urlpatterns
