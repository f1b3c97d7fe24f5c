"""Writes for institutionalisation: legal bases, sustainability checks, the precomputed protection
status, and the yearly continuity request. Each write keeps the registry's has_legal_basis column and
the protection status in step, and tells interested apps (replication's ranking) by app-config hooks."""

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.core.files import DOCUMENT_KINDS, generated_name, store_file, validate_upload
from jipp.institutionalisation.domain.protection import (
    LegalBasisType,
    ProtectionFacts,
    ProvenGround,
    Stage,
    assess_protection,
    legal_basis_strength,
    strongest_basis,
)
from jipp.institutionalisation.models import LegalBasis, ProtectionStatus, SustainabilityCheck
from jipp.registry.models import ContinuityUpdate, Innovation
from jipp.registry.services import set_has_legal_basis


def _legal_changed(innovation_ids: list[int]) -> None:
    for config in apps.get_app_configs():
        hook = getattr(config, "on_legal_basis_changed", None)
        if hook:
            hook(innovation_ids)


@transaction.atomic
def add_legal_basis(
    *,
    user,
    innovation: Innovation,
    type: str,
    number: str,
    issued_on: date,
    title: str,
    issued_by: str,
    document=None,
    today: date | None = None,
) -> LegalBasis:
    """Record a legal basis. Refused: not an owner (403); a date in the future; the same number from the
    same issuer in the same year already on this innovation; a document that is not a real PDF/DOCX."""
    if not user.has_perm("institutionalisation.change_records", innovation):
        raise PermissionDenied(_("Only the innovation's unit, its Admin Lokal or the Ministry can add a legal basis."))
    today = today or timezone.localdate()
    if issued_on > today:
        raise ValidationError({"issued_on": _("The date of a legal basis cannot be in the future.")})
    if type not in {t.value for t in LegalBasisType}:
        raise ValidationError({"type": _("Unknown type of legal basis.")})
    # Two records of the same number at once queue on the innovation's row, so the second sees the first
    # and is told it is already recorded (instead of failing on the unique constraint).
    Innovation.objects.select_for_update(of=("self",)).filter(pk=innovation.pk).first()
    duplicate = LegalBasis.objects.filter(
        innovation=innovation, issued_by__iexact=issued_by.strip(), year=issued_on.year, number__iexact=number.strip()
    )
    if duplicate.exists():
        raise ValidationError(
            {
                "number": _("Number %(number)s from %(issuer)s in %(year)d is already recorded for this innovation.")
                % {"number": number, "issuer": issued_by, "year": issued_on.year}
            }
        )
    basis = LegalBasis(
        innovation=innovation,
        type=type,
        strength=legal_basis_strength(LegalBasisType(type)),
        number=number.strip(),
        issued_on=issued_on,
        year=issued_on.year,
        title=title,
        issued_by=issued_by.strip(),
        created_by=user,
    )
    if document is not None:
        try:
            kind = validate_upload(document, allowed=DOCUMENT_KINDS)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from None
        basis.original_name = (getattr(document, "name", "") or "document")[:200]
        basis.content_type = kind.content_type
        basis.size = document.size
        store_file(basis.file, generated_name(kind), document)
    basis.full_clean()
    basis.save()
    _after_legal_change(innovation)
    return basis


@transaction.atomic
def delete_legal_basis(*, user, legal_basis: LegalBasis) -> None:
    """Remove a legal basis. Of two removals at once, one removes it; the other is told it is already gone
    (ValidationError, code "already") and nothing else happens."""
    innovation = legal_basis.innovation
    if not user.has_perm("institutionalisation.change_records", innovation):
        raise PermissionDenied(_("You cannot remove this legal basis."))
    Innovation.objects.select_for_update(of=("self",)).filter(pk=innovation.pk).first()
    if not LegalBasis.objects.filter(pk=legal_basis.pk).exists():
        raise ValidationError(_("This legal basis was already removed; nothing was changed."), code="already")
    legal_basis.delete()
    _after_legal_change(innovation)


def _after_legal_change(innovation: Innovation) -> None:
    set_has_legal_basis(innovation_id=innovation.pk, value=innovation.legal_bases.exists())
    refresh_protection(innovation_ids=[innovation.pk])
    transaction.on_commit(lambda: _legal_changed([innovation.pk]))


@transaction.atomic
def add_sustainability_check(
    *,
    user,
    innovation: Innovation,
    checked_on: date,
    budget_source: str,
    has_sop: bool,
    has_staff: bool,
    has_legal_basis: bool,
    has_monitoring: bool,
    in_unit_duties: bool,
    notes: str = "",
    today: date | None = None,
) -> SustainabilityCheck:
    """Record a dated sustainability checklist; the latest one decides "has a budget line"."""
    if not user.has_perm("institutionalisation.change_records", innovation):
        raise PermissionDenied(_("Only the innovation's unit, its Admin Lokal or the Ministry can record this."))
    if checked_on > (today or timezone.localdate()):
        raise ValidationError({"checked_on": _("The date of a checklist cannot be in the future.")})
    check = SustainabilityCheck(
        innovation=innovation,
        checked_on=checked_on,
        budget_source=budget_source,
        has_sop=has_sop,
        has_staff=has_staff,
        has_legal_basis=has_legal_basis,
        has_monitoring=has_monitoring,
        in_unit_duties=in_unit_duties,
        notes=notes,
        checked_by=user,
    )
    check.full_clean()
    check.save()
    refresh_protection(innovation_ids=[innovation.pk])
    return check


STAGES = {s.value: s for s in Stage}


def refresh_protection(*, innovation_ids: Iterable[int] | None = None, as_of: date | None = None) -> int:
    """Apply the proven/unprotected rules (protection.assess_protection) and store one ProtectionStatus
    per innovation. None = every innovation (the nightly task). Budget line: the latest sustainability
    check's, or, without any check, the registry's declared budget source (anything but "none").
    Returns the number of rows written."""
    as_of = as_of or timezone.localdate()
    base = Innovation.objects.order_by("pk")
    if innovation_ids is not None:
        base = base.filter(pk__in=list(innovation_ids))
    fields = (
        "pk",
        "agency_id",
        "region_id",
        "province_id",
        "status",
        "award_tier",
        "replication_count",
        "stage",
        "rollout_date",
        "budget_source",
    )
    written = 0
    chunk: list[tuple] = []
    for row in base.values_list(*fields).iterator(chunk_size=5000):
        chunk.append(row)
        if len(chunk) == 5000:
            written += _refresh_chunk(chunk, as_of)
            chunk = []
    if chunk:
        written += _refresh_chunk(chunk, as_of)
    return written


def _refresh_chunk(rows: list[tuple], as_of: date) -> int:
    ids = [row[0] for row in rows]
    bases: dict[int, list[LegalBasisType]] = {}
    for innovation_id, type_ in LegalBasis.objects.filter(innovation_id__in=ids).values_list("innovation_id", "type"):
        bases.setdefault(innovation_id, []).append(LegalBasisType(type_))
    budget: dict[int, bool] = {}
    for innovation_id, source in (
        SustainabilityCheck.objects.filter(innovation_id__in=ids)
        .order_by("innovation_id", "checked_on", "pk")
        .values_list("innovation_id", "budget_source")
    ):
        budget[innovation_id] = bool(source)  # ordered ascending: the latest wins
    statuses = []
    for pk, agency_id, region_id, province_id, status, tier, count, stage, rollout, budget_source in rows:
        types = tuple(bases.get(pk, ()))
        has_budget = budget.get(pk, budget_source not in ("none", ""))
        facts = ProtectionFacts(
            has_kipp_tier=bool(tier),
            successful_adopters=count,
            stage=STAGES.get(stage, Stage.INITIATIVE),
            rollout_date=rollout,
            legal_bases=types,
            has_budget_line=has_budget,
        )
        assessment = assess_protection(facts, as_of)
        strongest = strongest_basis(types)
        statuses.append(
            ProtectionStatus(
                innovation_id=pk,
                agency_id=agency_id,
                region_id=region_id,
                province_id=province_id,
                is_public=status == Innovation.Status.PUBLISHED,
                strongest_type=strongest.value if strongest else "",
                strength=legal_basis_strength(strongest),
                has_budget_line=has_budget,
                by_kipp_tier=ProvenGround.KIPP_TIER in assessment.proven_grounds,
                by_replication=ProvenGround.REPLICATED in assessment.proven_grounds,
                by_operation=ProvenGround.IN_OPERATION_TWO_YEARS in assessment.proven_grounds,
                is_proven=assessment.is_proven,
                is_unprotected=assessment.is_unprotected,
                as_of=as_of,
            )
        )
    ProtectionStatus.objects.bulk_create(
        statuses,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["innovation"],
        update_fields=[
            "agency",
            "region",
            "province",
            "is_public",
            "strongest_type",
            "strength",
            "has_budget_line",
            "by_kipp_tier",
            "by_replication",
            "by_operation",
            "is_proven",
            "is_unprotected",
            "as_of",
        ],
    )
    return len(statuses)


def owners_to_ask(year: int):
    """Published innovations whose latest continuity update is older than `year` (or missing)."""
    answered = ContinuityUpdate.objects.filter(innovation=OuterRef("pk"), reported_on__year__gte=year)
    return Innovation.objects.filter(status=Innovation.Status.PUBLISHED).exclude(Exists(answered))
