"""A few rows in every model the Django admin lists, to look at its pages with."""

from datetime import timedelta

from django.utils import timezone

from tests import factories


def admin_rows() -> dict:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    from assessment.models import (
        AuditEvent,
        AuditKind,
        ConflictDeclaration,
        Panel,
        SiteCheck,
        SubmissionEvent,
    )
    from assessment.services.tokens import api_token_create

    now = timezone.now()
    superuser = factories.admin(email="root@example.cn")
    submission = factories.reviewed_submission(result="basic", certified=True)
    reviewer = submission.assigned_reviewer
    SubmissionEvent.objects.create(
        submission=submission,
        kind="state_changed",
        actor=reviewer,
        from_state="in_review",
        to_state="certified",
    )
    factories.TargetFactory(region=factories.region("440000"))
    expert = factories.expert()
    Panel.objects.create(
        level="provincial",
        province=factories.region("440000"),
        size=3,
        seed=7,
        formed_by=reviewer,
        formed_at=now,
        lead=expert,
    )
    SiteCheck.objects.create(submission=submission, tier="basic", created_by=reviewer)
    ConflictDeclaration.objects.create(
        reviewer=reviewer, organisation=submission.platform.organisation, reason="亲属任职"
    )
    AuditEvent.objects.create(kind=AuditKind.SIGN_IN_FAILED, subject="x@example.cn")
    api_token_create(user=submission.created_by, name="数据同步")
    Group.objects.create(name="审核组")
    common = {"user_agent": "Firefox", "ip_address": "10.0.0.1", "username": "x@example.cn"}
    AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=3, path_info="/accounts/login/"
    )
    AccessLog.objects.create(**common, path_info="/accounts/login/")
    AccessFailureLog.objects.create(**common, path_info="/accounts/login/", locked_out=True)
    TOTPDevice.objects.create(user=reviewer, name="手机", confirmed=True)
    StaticDevice.objects.create(user=reviewer, name="恢复码", confirmed=True)
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="assessment.tasks.report_batch_build_task",
        backend_name="default",
        run_after=now + timedelta(minutes=1),
    )
    return {"superuser": superuser, "submission": submission}
