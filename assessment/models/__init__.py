from assessment.models.cycles import AssessmentCycle
from assessment.models.organisations import Organisation, Platform
from assessment.models.people import Role, User
from assessment.models.places import Industry, Region, RegionLevel
from assessment.models.reports import IssuedPdf, IssuedReport, ReportBatch, ReportBatchStatus
from assessment.models.reviews import Certification, ConflictDeclaration, Notification
from assessment.models.security import AuditEvent, AuditKind, IdempotencyKey, PasswordHistory
from assessment.models.submissions import (
    Answer,
    DimensionScore,
    EventKind,
    Evidence,
    ReviewDecision,
    ScoreSummary,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from assessment.models.targets import Target
from assessment.models.tokens import ApiToken

__all__ = [
    "Answer",
    "ApiToken",
    "AssessmentCycle",
    "AuditEvent",
    "AuditKind",
    "Certification",
    "ConflictDeclaration",
    "DimensionScore",
    "EventKind",
    "Evidence",
    "IdempotencyKey",
    "Industry",
    "IssuedPdf",
    "IssuedReport",
    "Notification",
    "Organisation",
    "PasswordHistory",
    "Platform",
    "Region",
    "ReportBatch",
    "ReportBatchStatus",
    "RegionLevel",
    "ReviewDecision",
    "Role",
    "ScoreSummary",
    "Submission",
    "SubmissionEvent",
    "SubmissionState",
    "Target",
    "User",
]
