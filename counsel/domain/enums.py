"""Closed vocabularies of the domain (DOMAIN.md), each value with a translatable label.

Values are stable English identifiers stored inside envelopes and exports; labels are
what people see, translated at display time.
"""

from __future__ import annotations

from enum import StrEnum

from counsel.i18n import N_, gettext

#: untranslated (``N_``-marked) labels of each vocabulary's values
LABELS: dict[type, dict[str, str]] = {}


class Labelled(StrEnum):
    """A StrEnum whose members carry an untranslated label (``N_``-marked)."""

    def label(self) -> str:
        text = LABELS.get(type(self), {}).get(self.value, self.value)
        return gettext(text) if text else self.value


class ClientType(Labelled):
    EMPLOYMENT = "employment"  # TE / municipal employment services client
    MUNICIPAL = "municipal"  # municipal integration client (not a jobseeker)


LABELS[ClientType] = {
    "employment": N_("Employment services client"),
    "municipal": N_("Municipal client"),
}


class PermitBasis(Labelled):
    QUOTA_REFUGEE = "quota_refugee"
    INTERNATIONAL_PROTECTION = "international_protection"
    FAMILY_OF_REFUGEE = "family_of_refugee"
    WORK = "work"
    STUDY = "study"
    FAMILY = "family"
    OTHER = "other"

    @property
    def refugee_background(self) -> bool:
        return self in (
            PermitBasis.QUOTA_REFUGEE,
            PermitBasis.INTERNATIONAL_PROTECTION,
            PermitBasis.FAMILY_OF_REFUGEE,
        )


LABELS[PermitBasis] = {
    "quota_refugee": N_("Quota refugee"),
    "international_protection": N_("International protection"),
    "family_of_refugee": N_("Family member of a refugee"),
    "work": N_("Work"),
    "study": N_("Study"),
    "family": N_("Family"),
    "other": N_("Other"),
}


class Literacy(Labelled):
    """The four literacy levels of DOMAIN.md."""

    NONE = "none"  # primaarilukutaidoton
    NON_LATIN = "non_latin"  # sekundaarilukutaitoinen
    PARTIAL_LATIN = "partial_latin"  # semilukutaitoinen
    LATIN = "latin"


LABELS[Literacy] = {
    "none": N_("Cannot read in any language"),
    "non_latin": N_("Literate in a non-Latin script"),
    "partial_latin": N_("Partly literate in the Latin alphabet"),
    "latin": N_("Literate in the Latin alphabet"),
}


class CefrLevel(Labelled):
    """Finnish/Swedish on the Finnish CEFR sub-scale."""

    NOT_TESTED = "not_tested"
    BELOW_A1_1 = "below_A1.1"
    A1_1 = "A1.1"
    A1_2 = "A1.2"
    A1_3 = "A1.3"
    A2_1 = "A2.1"
    A2_2 = "A2.2"
    B1_1 = "B1.1"
    B1_2 = "B1.2"
    B2_1 = "B2.1"
    B2_2 = "B2.2"
    C1_1 = "C1.1"


LABELS[CefrLevel] = {
    "not_tested": N_("Not tested"),
    "below_A1.1": N_("Below A1.1"),
    "A1.1": "A1.1",
    "A1.2": "A1.2",
    "A1.3": "A1.3",
    "A2.1": "A2.1",
    "A2.2": "A2.2",
    "B1.1": "B1.1",
    "B1.2": "B1.2",
    "B2.1": "B2.1",
    "B2.2": "B2.2",
    "C1.1": "C1.1",
}


class Place(Labelled):
    OFFICE = "office"
    FIELD_VISIT = "field_visit"
    PHONE = "phone"
    VIDEO = "video"


LABELS[Place] = {
    "office": N_("Office"),
    "field_visit": N_("Field visit"),
    "phone": N_("Phone"),
    "video": N_("Video"),
}


class InterpreterMode(Labelled):
    NONE = "none"
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


LABELS[InterpreterMode] = {
    "none": N_("No interpreter"),
    "in_person": N_("In person"),
    "phone": N_("By phone"),
    "video": N_("By video"),
}


class Given(Labelled):
    """What the counsellor gave in an encounter."""

    INFORMATION = "information"  # tieto
    ADVICE = "advice"  # neuvonta
    GUIDANCE = "guidance"  # ohjaus


LABELS[Given] = {
    "information": N_("Information"),
    "advice": N_("Advice"),
    "guidance": N_("Guidance"),
}


class Obstacle(Labelled):
    """Obstacles to employment (DOMAIN.md taxonomy): person's side, employer's side."""

    PERSON_ATTITUDE_NO_WANT = "person.attitude.does_not_want"
    PERSON_ATTITUDE_NO_BELIEF = "person.attitude.does_not_believe"
    PERSON_COMPETENCE_LANGUAGE = "person.competence.language"
    PERSON_COMPETENCE_MATH = "person.competence.mathematics"
    PERSON_COMPETENCE_QUALIFICATION = "person.competence.no_finnish_qualification"
    PERSON_WORKING_LIFE = "person.working_life.unknown"
    PERSON_NO_NETWORKS = "person.working_life.no_networks"
    PERSON_SOCIAL_HEALTH = "person.social_health"
    PERSON_FEAR_BENEFITS = "person.fear_of_losing_benefits"
    PERSON_LOW_PAY = "person.low_pay"
    EMPLOYER_ATTITUDE = "employer.attitude"
    EMPLOYER_MULTICULTURAL = "employer.multicultural_management"
    EMPLOYER_LANGUAGE_DEMANDS = "employer.language_demands"
    EMPLOYER_CANNOT_FIND = "employer.cannot_find_workers"
    EMPLOYER_RISK_BUREAUCRACY = "employer.risk_bureaucracy"

    @property
    def side(self) -> str:
        return self.value.split(".", 1)[0]


LABELS[Obstacle] = {
    "person.attitude.does_not_want": N_("Does not want work (e.g. benefits are enough)"),
    "person.attitude.does_not_believe": N_("Does not believe in it (no one hires immigrants)"),
    "person.competence.language": N_("Language skills"),
    "person.competence.mathematics": N_("Mathematics"),
    "person.competence.no_finnish_qualification": N_("No Finnish qualification"),
    "person.working_life.unknown": N_("Does not know Finnish working life"),
    "person.working_life.no_networks": N_("No networks"),
    "person.social_health": N_("Social or health challenges"),
    "person.fear_of_losing_benefits": N_("Fear of losing benefits"),
    "person.low_pay": N_("Low pay of the work on offer"),
    "employer.attitude": N_("Employer's attitude"),
    "employer.multicultural_management": N_("Employer cannot manage a multicultural workplace"),
    "employer.language_demands": N_("Employer's language demands"),
    "employer.cannot_find_workers": N_("Employer cannot find workers"),
    "employer.risk_bureaucracy": N_("Employer fears risks and bureaucracy"),
}


class WorkKind(Labelled):
    VISIBLE = "visible"  # calendared appointment with the client
    BACKGROUND = "background"  # liaison: calls, emails, finding things out
    # the counsellor's own work, for no client: team meetings, training, admin.  Added
    # after the first release: entries written before it are all visible or background
    INTERNAL = "internal"


LABELS[WorkKind] = {"visible": N_("Appointment"), "background": N_("Background work"),
                    "internal": N_("Internal work (team, training, admin)")}


class Channel(Labelled):
    MEETING = "meeting"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    VIDEO = "video"
    MESSAGE = "message"
    OTHER = "other"


LABELS[Channel] = {
    "meeting": N_("Meeting"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "letter": N_("Letter"),
    "video": N_("Video"),
    "message": N_("Message"),
    "other": N_("Other"),
}


class PartyKind(Labelled):
    SOCIAL_WORKER = "social_worker"
    SCHOOL = "school"
    HEALTH = "health"
    KELA = "kela"
    EMPLOYER = "employer"
    TRAINING_PROVIDER = "training_provider"
    TE_SERVICES = "employment_services"
    NGO = "third_sector"
    INTERPRETER = "interpreter"
    OTHER = "other"


LABELS[PartyKind] = {
    "social_worker": N_("Social worker"),
    "school": N_("School"),
    "health": N_("Health centre"),
    "kela": N_("Kela"),
    "employer": N_("Employer"),
    "training_provider": N_("Training provider"),
    "employment_services": N_("Employment services"),
    "third_sector": N_("Third sector"),
    "interpreter": N_("Interpreter service"),
    "other": N_("Other"),
}


class MeasureStatus(Labelled):
    PLANNED = "planned"
    STARTED = "started"
    DONE = "done"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"


LABELS[MeasureStatus] = {
    "planned": N_("Planned"),
    "started": N_("Started"),
    "done": N_("Done"),
    "interrupted": N_("Interrupted"),
    "cancelled": N_("Cancelled"),
}


class PlanStatus(Labelled):
    DRAFT = "draft"
    AGREED = "agreed"
    REVIEWED = "reviewed"
    ENDED = "ended"


LABELS[PlanStatus] = {
    "draft": N_("Draft"),
    "agreed": N_("Agreed"),
    "reviewed": N_("Reviewed"),
    "ended": N_("Ended"),
}


class ReminderKind(Labelled):
    INTEGRATION_TRAINING = "integration_training_start"
    PLAN_DEADLINE = "plan_deadline"
    PLAN_REVIEW = "plan_review"
    PLAN_END = "plan_end"
    ACTION_DUE = "action_due"
    MEASURE_DUE = "measure_due"
    CUSTOM = "custom"


LABELS[ReminderKind] = {
    "integration_training_start": N_("Integration training should start"),
    "plan_deadline": N_("Integration plan must be made"),
    "plan_review": N_("Plan review due"),
    "plan_end": N_("Plan ends"),
    "action_due": N_("Agreed action due"),
    "measure_due": N_("Measure due"),
    "custom": N_("Reminder"),
}
