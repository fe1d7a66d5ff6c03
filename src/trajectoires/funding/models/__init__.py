"""Funding (SPEC §3.6): funders' programmes and the multi-year engagement contracts they sign
together with a territory."""

from .contracts import (
    BudgetLine,
    Condition,
    ConditionKind,
    Contract,
    ContractParty,
    ContractStatus,
    Tranche,
)
from .objectives import Objective, ObjectiveAgreement, ObjectiveOutcome, ObjectiveVersion
from .programmes import BUDGET_LINE_GRID, FunderArea, Programme
from .reports import ContractReport, ContractReportStatus, ReportReview, ReviewDecision
from .requirements import ReportFormat, Requirement, RequirementKind

__all__ = [
    "BUDGET_LINE_GRID",
    "BudgetLine",
    "Condition",
    "ConditionKind",
    "Contract",
    "ContractParty",
    "ContractReport",
    "ContractReportStatus",
    "ContractStatus",
    "FunderArea",
    "Objective",
    "ObjectiveAgreement",
    "ObjectiveOutcome",
    "ObjectiveVersion",
    "Programme",
    "ReportFormat",
    "ReportReview",
    "Requirement",
    "RequirementKind",
    "ReviewDecision",
    "Tranche",
]
