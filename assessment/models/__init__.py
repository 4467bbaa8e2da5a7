from assessment.models.cycles import AssessmentCycle
from assessment.models.filing import ApplicationForm, CommitmentLetter, CycleRequirement
from assessment.models.monitoring import (
    MonitoringDecision,
    MonitoringDecisionKind,
    MonitoringEvidence,
    MonitoringFlag,
    MonitoringReturn,
    MonitoringReturnState,
    MonitoringWindow,
    Renewal,
    SentReminder,
)
from assessment.models.organisations import Organisation, Platform
from assessment.models.people import Role, User
from assessment.models.places import Industry, Region, RegionLevel
from assessment.models.reports import IssuedPdf, IssuedReport, ReportBatch, ReportBatchStatus
from assessment.models.reviews import Certification, ConflictDeclaration, Notification
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
    "ApplicationForm",
    "AssessmentCycle",
    "Certification",
    "CommitmentLetter",
    "ConflictDeclaration",
    "CycleRequirement",
    "DimensionScore",
    "EventKind",
    "Evidence",
    "Industry",
    "IssuedPdf",
    "IssuedReport",
    "MonitoringDecision",
    "MonitoringDecisionKind",
    "MonitoringEvidence",
    "MonitoringFlag",
    "MonitoringReturn",
    "MonitoringReturnState",
    "MonitoringWindow",
    "Notification",
    "Organisation",
    "Platform",
    "Region",
    "ReportBatch",
    "ReportBatchStatus",
    "RegionLevel",
    "Renewal",
    "ReviewDecision",
    "Role",
    "ScoreSummary",
    "SentReminder",
    "Submission",
    "SubmissionEvent",
    "SubmissionState",
    "Target",
    "User",
]
