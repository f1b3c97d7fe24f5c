"""API for the replication app: serializers and viewsets, registered on the v1 router.

Public read of successful replications (the stories); an agency member also reads its own agency's
replications on either side; the Ministry reads all. Writes go through the web forms (two-sided flow).
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from jipp.replication.models import Replication
from jipp.replication.selectors import visible_replications


class ReplicationSerializer(serializers.ModelSerializer):
    source_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    adopter_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    adopter_unit = serializers.StringRelatedField()
    sources = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    source_title = serializers.CharField(source="primary_source.title", read_only=True)
    # Plain strings (values listed) rather than enums: the registry's innovations have fields of the same names.
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Replication.Status.values))
    stage = serializers.CharField(read_only=True, help_text="Stage reached: " + ", ".join(Replication.Stage.values))

    class Meta:
        model = Replication
        fields = [
            "public_id",
            "sources",
            "source_title",
            "source_agency",
            "adopter_agency",
            "adopter_unit",
            "mode",
            "status",
            "stage",
            "progress",
            "outcome",
            "outcome_reason",
            "differences",
            "results",
            "is_successful",
            "completed_on",
            "created_at",
        ]


class ReplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Replication.Status.choices)
    outcome = django_filters.ChoiceFilter(choices=Replication.Outcome.choices[1:])
    stage = django_filters.ChoiceFilter(choices=Replication.Stage.choices)
    mode = django_filters.ChoiceFilter(choices=Replication.Mode.choices)
    innovation = django_filters.NumberFilter(field_name="source_links__innovation", help_text="Source innovation id.")
    source_agency = django_filters.CharFilter(field_name="source_agency__slug")
    adopter_agency = django_filters.CharFilter(field_name="adopter_agency__slug")
    adopter_province = django_filters.CharFilter(field_name="adopter_province__code", help_text="Province code.")

    class Meta:
        model = Replication
        fields = [
            "status",
            "outcome",
            "stage",
            "mode",
            "is_successful",
            "innovation",
            "source_agency",
            "adopter_agency",
            "adopter_province",
        ]


@extend_schema(tags=["replication"])
class ReplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Replications: who adopted which innovation, how far they got and with what result.

    Anonymous callers see the successful ones; agency members also their own agency's (either side)."""

    serializer_class = ReplicationSerializer
    filterset_class = ReplicationFilter
    lookup_field = "public_id"

    def get_queryset(self):
        return visible_replications(self.request.user).prefetch_related("sources").order_by("-created_at", "-pk")


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("replications", ReplicationViewSet, basename="replication")
