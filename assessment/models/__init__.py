from assessment.models.cycles import AssessmentCycle
from assessment.models.organisations import Organisation, Platform
from assessment.models.panels import (
    DefenceSession,
    ExpertDecision,
    ExpertProfile,
    ExpertScore,
    Panel,
    PanelLevel,
    PanelMember,
    PanelState,
    PanelSubmission,
)
from assessment.models.people import Role, User
from assessment.models.places import Industry, Region, RegionLevel
from assessment.models.reports import IssuedPdf, IssuedReport, ReportBatch, ReportBatchStatus
from assessment.models.reviews import Certification, ConflictDeclaration, Notification
from assessment.models.site_checks import (
    SiteCheck,
    SiteCheckFile,
    SiteCheckItem,
    SiteCheckItemKind,
    SiteCheckItemStatus,
    SiteCheckVerdict,
)
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
    "DefenceSession",
    "ExpertDecision",
    "ExpertProfile",
    "ExpertScore",
    "Panel",
    "PanelLevel",
    "PanelMember",
    "PanelState",
    "PanelSubmission",
    "SiteCheck",
    "SiteCheckFile",
    "SiteCheckItem",
    "SiteCheckItemKind",
    "SiteCheckItemStatus",
    "SiteCheckVerdict",
    "Answer",
    "ApiToken",
    "AssessmentCycle",
    "Certification",
    "ConflictDeclaration",
    "DimensionScore",
    "EventKind",
    "Evidence",
    "Industry",
    "IssuedPdf",
    "IssuedReport",
    "Notification",
    "Organisation",
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
