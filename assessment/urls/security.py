from django.urls import path

from assessment.views import security

urlpatterns = [
    path("accounts/two-factor/", security.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", security.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        security.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/disable/", security.two_factor_disable, name="two_factor_disable"),
    path("audit/", security.audit_export, name="audit_export"),
]
