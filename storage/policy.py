"""The access policy: department × document type → read/correct, narrowed by role; deny by default.

Loaded once from `storage/policy.yaml` (or `Settings.policy_file`) and validated strictly, so a typo in a
department or document type stops dach at start-up instead of silently granting or hiding access. The checks
here are used inside `storage/`'s read functions; user interfaces may use them to hide buttons, but the
storage room enforces them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.documents import DocumentType, FieldValue
from schemas.errors import ConfigError
from schemas.record import Actor, Department, LegalArea, Role

SHIPPED_POLICY = Path(__file__).with_name("policy.yaml")


class ReadScope(StrEnum):
    DEPARTMENT = "department"  # the document types the department may read
    OWN_PENDING_REVIEW = "own_pending_review"  # what this user filed, while it awaits review
    NONE = "none"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DepartmentRights(_Strict):
    legal_area: LegalArea
    read: frozenset[DocumentType] = frozenset()
    write: frozenset[DocumentType] = frozenset()


class RoleRights(_Strict):
    file: bool
    read: ReadScope
    correct: bool
    audit: bool
    retention: bool


class MatterRules(_Strict):
    default: Department
    by_type: dict[DocumentType, Department] = Field(default_factory=dict)
    notice_keywords: dict[str, Department] = Field(default_factory=dict)


class Policy(_Strict):
    version: int = Field(ge=1, le=1)
    departments: dict[Department, DepartmentRights]
    roles: dict[Role, RoleRights]
    matters: MatterRules
    retention_years: dict[str, int]

    @classmethod
    def load(cls, path: Path | None = None) -> Policy:
        source = path or SHIPPED_POLICY
        try:
            raw = yaml.safe_load(source.read_text(encoding="utf-8"))
            policy = cls.model_validate(raw)
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(
                f"the access policy {source} is not valid: {exc}; fix it or unset DACH_POLICY_FILE."
            ) from exc
        missing = set(Role) - set(policy.roles)
        if missing:
            raise ConfigError(f"the access policy {source} has no rules for roles {sorted(missing)}; add them.")
        return policy

    # --- checks ---------------------------------------------------------------------------------

    def _department(self, actor: Actor) -> DepartmentRights:
        return self.departments.get(actor.department, DepartmentRights(legal_area=LegalArea.GENERAL))

    def read_scope(self, actor: Actor) -> ReadScope:
        return self.roles[actor.role].read

    def readable_types(self, actor: Actor) -> frozenset[DocumentType]:
        """Types the actor reads through its department (empty for the own-pending and none scopes)."""
        if self.read_scope(actor) is not ReadScope.DEPARTMENT:
            return frozenset()
        return self._department(actor).read

    def can_read(self, actor: Actor, doc_type: DocumentType, *, filed_by_user_id: str | None, status: str) -> bool:
        scope = self.read_scope(actor)
        if scope is ReadScope.DEPARTMENT:
            return doc_type in self._department(actor).read
        if scope is ReadScope.OWN_PENDING_REVIEW:
            return actor.user_id is not None and filed_by_user_id == actor.user_id and status == "needs_review"
        return False

    def can_file(self, actor: Actor) -> bool:
        return self.roles[actor.role].file

    def can_correct(self, actor: Actor, doc_type: DocumentType) -> bool:
        return self.roles[actor.role].correct and doc_type in self._department(actor).write

    def can_correct_own_pending(self, actor: Actor, *, filed_by_user_id: str | None, status: str) -> bool:
        """The front desk corrects what it filed itself while it awaits review (type, fields, person): it had
        the stack and the person in front of it. Once filed to a department, the department corrects."""
        return (
            self.read_scope(actor) is ReadScope.OWN_PENDING_REVIEW
            and self.can_file(actor)
            and actor.user_id is not None
            and filed_by_user_id == actor.user_id
            and status == "needs_review"
        )

    def can_move_pages(
        self, actor: Actor, doc_type: DocumentType, *, filed_by_user_id: str | None, status: str
    ) -> bool:
        """Whether the actor may move pages into or out of such a document (split, merge, one page).

        Clerks and leads may where they may correct; the front desk may on what it filed itself and still
        awaits review (it put the stack together and sees where two documents were glued). Intake re-filing
        its own running batch is checked in `storage/restructure.py`.
        """
        if not self.can_read(actor, doc_type, filed_by_user_id=filed_by_user_id, status=status):
            return False
        if self.can_correct(actor, doc_type):
            return True
        return self.read_scope(actor) is ReadScope.OWN_PENDING_REVIEW and self.can_file(actor)

    def can_read_audit(self, actor: Actor) -> bool:
        return self.roles[actor.role].audit

    def can_manage_retention(self, actor: Actor) -> bool:
        return self.roles[actor.role].retention

    # --- filing -----------------------------------------------------------------------------------

    def matter_for(self, doc_type: DocumentType, fields: dict[str, FieldValue]) -> tuple[Department, LegalArea]:
        """The department and legal area a new document is filed under (its Vorgang)."""
        department = self.matters.by_type.get(doc_type, self.matters.default)
        authority = fields.get("authority")
        if doc_type is DocumentType.NOTICE and isinstance(authority, str):
            lowered = authority.lower()
            for keyword, target in self.matters.notice_keywords.items():
                if keyword in lowered:
                    department = target
                    break
        return department, self._department_rights(department).legal_area

    def _department_rights(self, department: Department) -> DepartmentRights:
        return self.departments.get(department, DepartmentRights(legal_area=LegalArea.GENERAL))

    def retention_for(self, doc_type: DocumentType) -> int:
        return self.retention_years.get(doc_type.value, self.retention_years.get("default", 10))
