from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cases import sso
from infra.api.problems import api_not_found
from rehab.bilag_fil import bilag_fil

admin.site.site_header = "Sagsforløb – administration"
admin.site.site_title = "Sagsforløb"

urlpatterns = [
    path("login/", sso.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("oidc/callback/", sso.SsoCallbackView.as_view(), name="oidc_authentication_callback"),
    path("oidc/login/", sso.SsoLoginView.as_view(), name="oidc_authentication_init"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("decisions.api.urls")),
    path("api/v1/", include("webhooks.api.urls")),
    path("api/v1/", include("rehab.api.urls")),
    path("api/v1/", include("flexjob.api.urls")),
    re_path(r"^api/", api_not_found),
    path("rehab/bilag/<uuid:pk>/fil/", bilag_fil, name="bilag_fil"),
    path("rehab/", include("rehab.urls")),
    path("afgoerelser/", include("decisions.urls")),
    path("fleksjob/", include("flexjob.urls")),
    path("", include("dashboard.urls")),
    path("", include("cases.urls")),
]
