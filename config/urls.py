from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment.forms import ThrottledLoginForm
from assessment.security.reset import ThrottledPasswordResetForm
from assessment.views import common, health

urlpatterns = [
    path("", common.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", common.favicon),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledLoginForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("questionnaires.urls")),
    path("", include("assessment.urls")),
]
