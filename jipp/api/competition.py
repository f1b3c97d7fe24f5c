"""API for the competition app: serializers and viewsets, registered on the v1 router.

* `kipp/editions`: each edition's configuration (public; only public weights are shown).
* `kipp/my-proposals`: the participant's own proposals (a UPP its unit's, an Admin Lokal its agency's).
* `kipp/screening`: the administrative selection's findings (Ministry only).
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from jipp.competition.models import (
    Edition,
    Group,
    Proposal,
    RequiredAttachment,
    ScreeningFlag,
    Section,
    Stage,
)
from jipp.competition.selectors import visible_proposals


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["kind", "starts_at", "ends_at"]


class SectionSerializer(serializers.ModelSerializer):
    weight = serializers.SerializerMethodField(help_text="Percent; null when the weight is not public.")

    class Meta:
        model = Section
        fields = ["key", "title", "title_en", "max_words", "weight", "order"]

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_weight(self, obj):
        return str(obj.weight) if obj.weight_is_public else None


class RequiredAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredAttachment
        fields = ["key", "title", "title_en", "kind", "is_required"]


class GroupSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    required_attachments = RequiredAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = ["kind", "name", "min_age_years", "invitation_only", "default_quota", "sections",
                  "required_attachments"]  # fmt: skip


class EditionSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)
    groups = GroupSerializer(many=True, read_only=True)
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Edition
        fields = ["year", "name", "decree_number", "deadline_mode", "reference_timezone", "categories", "stages",
                  "groups"]  # fmt: skip


@extend_schema(tags=["competition"])
class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """KIPP editions with their groups, form sections, attachments and stage dates (public)."""

    serializer_class = EditionSerializer
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"
    permission_classes = []
    queryset = (
        Edition.objects.filter(is_published=True)
        .prefetch_related("stages", "categories", "groups__sections", "groups__required_attachments")
        .order_by("-year")
    )


class ProposalSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    group = serializers.CharField(source="group.kind", read_only=True)
    unit = serializers.CharField(source="unit.name", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "edition", "group", "title", "status", "decision_reason", "return_note", "unit", "agency",
                  "innovation", "submitted_at", "forwarded_at", "updated_at"]  # fmt: skip


class ProposalFilter(django_filters.FilterSet):
    edition = django_filters.NumberFilter(field_name="edition__year", help_text="Year of the edition.")
    status = django_filters.ChoiceFilter(choices=Proposal.Status.choices)
    group = django_filters.ChoiceFilter(field_name="group__kind", choices=Group.Kind.choices)

    class Meta:
        model = Proposal
        fields = ["edition", "status", "group"]


@extend_schema(tags=["competition"])
class MyProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in participant's proposals: a UPP sees its unit's, an Admin Lokal its agency's."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    permission_classes = [IsAuthenticated]
    queryset = Proposal.objects.none()

    def get_queryset(self):
        return visible_proposals(self.request.user).order_by("-edition__year", "pk")


class IsMinistry(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("competition.view_flags"))


class FlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningFlag
        fields = ["id", "kind", "message", "score", "other_proposal", "evidence"]


class ScreeningSerializer(ProposalSerializer):
    flags = FlagSerializer(many=True, read_only=True)

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "flag_count", "screened_at", "flags"]


class ScreeningFilter(ProposalFilter):
    flag = django_filters.ChoiceFilter(field_name="flags__kind", choices=ScreeningFlag.Kind.choices, distinct=True)

    class Meta(ProposalFilter.Meta):
        fields = ["edition", "status", "group", "flag"]


@extend_schema(tags=["competition"])
class ScreeningViewSet(viewsets.ReadOnlyModelViewSet):
    """Forwarded proposals with the automatic checks' findings and their evidence (Ministry only)."""

    serializer_class = ScreeningSerializer
    filterset_class = ScreeningFilter
    permission_classes = [IsMinistry]
    queryset = (
        Proposal.objects.filter(status__in=Proposal.SUBMITTED)
        .select_related("edition", "group", "unit", "agency")
        .prefetch_related(Prefetch("flags", queryset=ScreeningFlag.objects.order_by("kind", "pk")))
        .order_by("-edition__year", "pk")
    )


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("kipp/editions", EditionViewSet, basename="kipp-edition")
    router.register("kipp/my-proposals", MyProposalViewSet, basename="kipp-my-proposal")
    router.register("kipp/screening", ScreeningViewSet, basename="kipp-screening")
