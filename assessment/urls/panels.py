from django.urls import path

from assessment.views import panels

urlpatterns = [
    path("panels/", panels.panel_list, name="panel_list"),
    path("panels/form/", panels.panel_form, name="panel_form"),
    path("panels/conflicts/", panels.expert_conflict, name="expert_conflict"),
    path("panels/<int:panel_id>/", panels.panel_detail, name="panel_detail"),
    path("panels/<int:panel_id>/opinion/", panels.panel_opinion, name="panel_opinion"),
    path("panels/<int:panel_id>/defence/", panels.panel_defence, name="panel_defence"),
    path("panels/<int:panel_id>/conclude/", panels.panel_conclude, name="panel_conclude"),
    path(
        "panels/<int:panel_id>/entries/<int:entry_id>/score/",
        panels.expert_score,
        name="expert_score",
    ),
    path("site-checks/", panels.site_check_list, name="site_check_list"),
    path("site-checks/open/<int:submission_id>/", panels.site_check_open, name="site_check_open"),
    path("site-checks/<int:site_check_id>/", panels.site_check_detail, name="site_check_detail"),
    path(
        "site-checks/<int:site_check_id>/findings/",
        panels.site_check_findings,
        name="site_check_findings",
    ),
    path(
        "site-checks/<int:site_check_id>/files/",
        panels.site_check_upload,
        name="site_check_upload",
    ),
    path(
        "site-checks/<int:site_check_id>/verdict/",
        panels.site_check_verdict,
        name="site_check_verdict",
    ),
    path("site-check-files/<int:file_id>/", panels.site_check_file, name="site_check_file"),
]
