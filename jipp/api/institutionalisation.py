"""API for the institutionalisation app: serializers and viewsets, registered on the v1 router.

Public read of the legal bases and continuity updates of published innovations; the "proven but
unprotected" list for signed-in agency members (their agency), hub admins and the Ministry (all)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from jipp.institutionalisation.models import LEGAL_BASIS_CHOICES, LegalBasis, ProtectionStatus
from jipp.institutionalisation.selectors import worklist
from jipp.registry.bounds import YearFilter
from jipp.registry.models import ContinuityUpdate, Innovation

LEGAL_TYPES = ", ".join(value for value, _label in LEGAL_BASIS_CHOICES)


class LegalBasisSerializer(serializers.ModelSerializer):
    type = serializers.CharField(read_only=True, help_text=f"Weakest to strongest: {LEGAL_TYPES}.")

    class Meta:
        model = LegalBasis
        fields = ["id", "innovation", "type", "strength", "number", "issued_on", "title", "issued_by"]


class LegalBasisFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=LEGAL_BASIS_CHOICES)
    year = YearFilter(field_name="year")

    class Meta:
        model = LegalBasis
        fields = ["innovation", "type", "year"]


@extend_schema(tags=["institutionalisation"])
class LegalBasisViewSet(viewsets.ReadOnlyModelViewSet):
    """Legal bases (payung hukum) of published innovations; `strength` 1 (SOP) .. 5 (Perda, PP, UU)."""

    serializer_class = LegalBasisSerializer
    filterset_class = LegalBasisFilter
    queryset = LegalBasis.objects.filter(innovation__status=Innovation.Status.PUBLISHED).order_by("pk")


class ContinuityRecordSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Innovation.Continuity.values))

    class Meta:
        model = ContinuityUpdate
        fields = ["id", "innovation", "year", "status", "reason", "reported_on"]


class ContinuityUpdateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Innovation.Continuity.choices)

    class Meta:
        model = ContinuityUpdate
        fields = ["innovation", "year", "status"]


@extend_schema(tags=["institutionalisation"])
class ContinuityUpdateViewSet(viewsets.ReadOnlyModelViewSet):
    """Yearly continuity updates (continuing / growing / stopped / dormant) of published innovations."""

    serializer_class = ContinuityRecordSerializer
    filterset_class = ContinuityUpdateFilter
    queryset = ContinuityUpdate.objects.filter(innovation__status=Innovation.Status.PUBLISHED).order_by("pk")


class ProtectionStatusSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="innovation.title", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    gaps = serializers.ListField(child=serializers.CharField(), read_only=True)
    strongest_type = serializers.CharField(read_only=True, help_text=f"Empty, or one of: {LEGAL_TYPES}.")

    class Meta:
        model = ProtectionStatus
        fields = [
            "innovation",
            "title",
            "agency",
            "province",
            "strongest_type",
            "strength",
            "has_budget_line",
            "by_kipp_tier",
            "by_replication",
            "by_operation",
            "gaps",
            "as_of",
        ]


class UnprotectedFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province__code")
    gap = django_filters.ChoiceFilter(
        choices=[("no_legal_basis", "no_legal_basis"), ("no_budget_line", "no_budget_line")], method="filter_gap"
    )

    class Meta:
        model = ProtectionStatus
        fields = ["province", "agency", "gap"]

    def filter_gap(self, queryset, name, value):
        return queryset.filter(strength=0) if value == "no_legal_basis" else queryset.filter(has_budget_line=False)


@extend_schema(tags=["institutionalisation"])
class UnprotectedViewSet(viewsets.ReadOnlyModelViewSet):
    """Proven but unprotected innovations (no legal basis or no budget line): the work list."""

    serializer_class = ProtectionStatusSerializer
    filterset_class = UnprotectedFilter
    lookup_field = "innovation"
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if not self.request.user.has_perm("institutionalisation.view_worklist"):
            return ProtectionStatus.objects.none()
        return worklist(user=self.request.user, params={})


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("legal-bases", LegalBasisViewSet, basename="legal-basis")
    router.register("continuity-updates", ContinuityUpdateViewSet, basename="continuity-update")
    router.register("unprotected", UnprotectedViewSet, basename="unprotected")
