"""Imports every domain module's models, so that the metadata (Alembic, tests) is complete."""
from app.api.models import ApiToken, IdempotencyRecord  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.auth.models import LoginAttempt, User  # noqa: F401
from app.cases.models import Case, ClaimLine, Objection, TimelineEvent  # noqa: F401
from app.creditors.models import Creditor  # noqa: F401
from app.debtors.models import Debtor  # noqa: F401
from app.documents.models import BulkJob, GeneratedDocument  # noqa: F401
from app.enforcement.models import Payment  # noqa: F401
from app.hearings.models import CaseDeadline, Hearing, Notification, Outcome  # noqa: F401
from app.lawvalues.models import LawValue, LawValuesState  # noqa: F401
from app.portal.models import CreditorDecision, CreditorOverview  # noqa: F401
from app.retention.models import RetentionRun  # noqa: F401
from app.triage.models import AbilityRecord, Evidence, InvestigationStep, IssueGroup, TriageDecision  # noqa: F401
