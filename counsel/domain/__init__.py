"""Typed, validated records of the domain (DOMAIN.md). Frozen dataclasses only."""

from counsel.domain.audit import AuditEntry, Consent, DisclosureEntry
from counsel.domain.base import Record, new_id
from counsel.domain.client import Client, LanguageSkill
from counsel.domain.competence import CompetenceProfile
from counsel.domain.contact import Contact
from counsel.domain.employer import Employer, Proposal, Role
from counsel.domain.encounter import AgreedAction, Encounter
from counsel.domain.enums import (
    CefrLevel,
    Channel,
    ClientType,
    Given,
    InterpreterMode,
    Literacy,
    MeasureStatus,
    Obstacle,
    PartyKind,
    PermitBasis,
    Place,
    PlanStatus,
    ReminderKind,
    WorkKind,
)
from counsel.domain.plan import Measure, Plan, PrintRecord
from counsel.domain.reminder import Reminder
from counsel.domain.setting import ClientSetting, Setting, client_setting_id, setting_id
from counsel.domain.work import WorkEntry

RECORD_TYPES: dict[str, type[Record]] = {
    cls.KIND: cls for cls in (
        Client, Encounter, WorkEntry, Contact, Plan, Reminder, Setting, CompetenceProfile,
        Employer, Role, Proposal, AuditEntry, Consent, DisclosureEntry, ClientSetting,
    )
}

__all__ = [
    "RECORD_TYPES",
    "AgreedAction",
    "AuditEntry",
    "CefrLevel",
    "Channel",
    "Client",
    "ClientSetting",
    "CompetenceProfile",
    "ClientType",
    "Consent",
    "Contact",
    "DisclosureEntry",
    "Employer",
    "Encounter",
    "Given",
    "InterpreterMode",
    "LanguageSkill",
    "Literacy",
    "Measure",
    "MeasureStatus",
    "Obstacle",
    "PartyKind",
    "PermitBasis",
    "Place",
    "Plan",
    "PlanStatus",
    "PrintRecord",
    "Proposal",
    "Record",
    "Reminder",
    "ReminderKind",
    "Role",
    "Setting",
    "setting_id",
    "client_setting_id",
    "WorkEntry",
    "WorkKind",
    "new_id",
]
