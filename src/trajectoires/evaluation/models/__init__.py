"""Evaluation (K8–K10; stop S4, starts C1 and C4): how a territory evaluates itself qualitatively and
humanly, with the people involved: outcomes harvested and substantiated, the self-assessment on the
key actions, the diagnostic sensible, stories of change selected by panels, systemic effects and
the indicators beside them."""

from .assessments import AssessmentAnswer, AssessmentCampaign, AssessmentResponse, CampaignStatus
from .diagnostics import (
    DIAGNOSTIC_SECTIONS,
    ConsentScope,
    Diagnostic,
    DiagnosticShare,
    DiagnosticStatus,
    Interview,
)
from .effects import EffectAssessment, EffectLevel, Indicator, IndicatorUnit, IndicatorValue
from .outcomes import Agreement, ChangeKind, Outcome, Substantiation, Valence
from .reports import EvaluationReport, ReportStatus
from .stories import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound

__all__ = [
    "DIAGNOSTIC_SECTIONS",
    "Agreement",
    "AssessmentAnswer",
    "AssessmentCampaign",
    "AssessmentResponse",
    "CampaignStatus",
    "ChangeDomain",
    "ChangeKind",
    "ChangeStory",
    "ConsentScope",
    "Diagnostic",
    "DiagnosticShare",
    "DiagnosticStatus",
    "EffectAssessment",
    "EffectLevel",
    "EvaluationReport",
    "Indicator",
    "IndicatorUnit",
    "IndicatorValue",
    "Interview",
    "Outcome",
    "ReportStatus",
    "ReportingPeriod",
    "SelectionRound",
    "Substantiation",
    "Valence",
]
