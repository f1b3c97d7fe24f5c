"""API for the hubs app: serializers and viewsets, registered on the v1 router.

Public: hubs (`?cohort=2020`), cohorts with their decrees, spokes, and activities marked public.
Signed in: a hub's people (admins, mentors) and the Ministry also get the hub's other activities, its
work plans and maturity assessments; the Ministry and a round's scoring team get selection rounds
with their ranking (GET /hub-rounds/{id}/ranking/).
"""

import django_filters
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jipp.hubs import selectors
from jipp.hubs.models import (
    Activity,
    Cohort,
    Criterion,
    Hub,
    MaturityAspect,
    MaturityAssessment,
    SelectionRound,
    Spoke,
    WorkPlan,
    WorkPlanTarget,
)
from jipp.registry.bounds import YearFilter


def _year_filter(model, fields: list[str]) -> type[django_filters.FilterSet]:
    """A FilterSet on `fields` whose `year` is the declared year bound (jipp/registry/bounds.py)."""
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}YearFilter", (django_filters.FilterSet,), {"year": YearFilter(), "Meta": meta})


# Hubs and cohorts ------------------------------------------------------------------------------


class HubSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The province's code for a province hub; null for a K/L hub."
    )
    cohort = serializers.IntegerField(source="cohort.year", read_only=True, help_text="The cohort's year.")
    kind = serializers.CharField(read_only=True, help_text="province or kl")
    status = serializers.CharField(read_only=True, help_text="active, paused or graduated")
    spokes = serializers.IntegerField(source="active_spokes", read_only=True, help_text="Active spokes.")

    class Meta:
        model = Hub
        fields = [
            "id", "agency", "agency_name", "region", "kind", "cohort", "status", "status_since", "designated_on",
            "mentor_university", "spokes", "is_real",
        ]  # fmt: skip
        read_only_fields = fields


class HubFilter(django_filters.FilterSet):
    cohort = YearFilter(field_name="cohort__year", help_text="The cohort's year, e.g. 2020.")
    kind = django_filters.ChoiceFilter(choices=Hub.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Hub.Status.choices)
    region = django_filters.CharFilter(field_name="region__code", help_text="A province code, e.g. 35.")

    class Meta:
        model = Hub
        fields = ["cohort", "kind", "status", "region"]


@extend_schema(tags=["hubs"])
class HubViewSet(viewsets.ReadOnlyModelViewSet):
    """Hubs of the network (public): a province government or a ministry/agency, its cohort and status."""

    serializer_class = HubSerializer
    filterset_class = HubFilter
    queryset = selectors.public_hubs().order_by("cohort__year", "agency__name")


class CohortSerializer(serializers.ModelSerializer):
    hubs = serializers.IntegerField(source="n", read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "year", "name", "decree_number", "decree_date", "hubs", "is_real"]
        read_only_fields = fields


@extend_schema(tags=["hubs"])
class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    """Hub cohorts, each designated by a decree (KepmenPANRB 94/2020, 359/2021, ...)."""

    serializer_class = CohortSerializer
    queryset = Cohort.objects.annotate(n=Count("hubs")).order_by("year")
    filterset_class = _year_filter(Cohort, ["year"])


class SpokeSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="For a K/L hub's unit or field office spoke: the service unit; null for an agency."
    )
    unit_name = serializers.SerializerMethodField(help_text="The unit's name; null for an agency spoke.")
    name = serializers.CharField(read_only=True, help_text="The unit's name for a unit spoke, else the agency's.")

    class Meta:
        model = Spoke
        fields = ["id", "hub", "name", "agency", "agency_name", "unit", "unit_name", "kind", "joined_on", "left_on"]
        read_only_fields = fields

    def get_unit_name(self, spoke) -> str | None:
        return spoke.unit.display_name if spoke.unit_id else None


class SpokeFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="left_on", lookup_expr="isnull", help_text="Only active spokes.")

    class Meta:
        model = Spoke
        fields = ["hub", "kind", "active"]


@extend_schema(tags=["hubs"])
class SpokeViewSet(viewsets.ReadOnlyModelViewSet):
    """Spokes of the hubs with the dates they joined and left (public)."""

    serializer_class = SpokeSerializer
    filterset_class = SpokeFilter
    queryset = Spoke.objects.select_related("agency", "unit").order_by("hub_id", "agency__name", "unit__name", "pk")


# The hub's work ------------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    spokes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    mentors = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id", "hub", "kind", "title", "starts_on", "ends_on", "spokes", "mentors", "attendance", "outputs",
            "follow_ups", "is_public",
        ]  # fmt: skip
        read_only_fields = fields

    def get_mentors(self, obj) -> list[str]:
        return [m.get_full_name() or m.username for m in obj.mentors.all()]


class ActivityFilter(django_filters.FilterSet):
    year = YearFilter(field_name="starts_on__year")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)

    class Meta:
        model = Activity
        fields = ["hub", "kind", "year"]


@extend_schema(tags=["hubs"])
class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Hub activities: those marked public for everyone; all of their hubs' for hub admins, mentors and the
    Ministry."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter

    def get_queryset(self):
        qs = Activity.objects.prefetch_related("spokes", "mentors").order_by("-starts_on", "-pk")
        visible = Q(is_public=True)
        user = self.request.user
        if user.is_authenticated:
            visible |= Q(hub__in=selectors.hubs_for_user(user))
        return qs.filter(visible)


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkPlanTarget
        fields = ["spoke", "measure", "target"]


class WorkPlanSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = WorkPlan
        fields = ["id", "hub", "year", "notes", "targets"]
        read_only_fields = fields


@extend_schema(tags=["hubs"])
class WorkPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Work plans with their targets (`spoke` null = the hub's total), for the hub's people and the Ministry."""

    serializer_class = WorkPlanSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = _year_filter(WorkPlan, ["hub", "year"])

    def get_queryset(self):
        return (
            WorkPlan.objects.filter(hub__in=selectors.hubs_for_user(self.request.user))
            .prefetch_related("targets")
            .order_by("hub_id", "-year")
        )


class AspectSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityAspect
        fields = ["aspect", "declared_level", "verified_level", "evidence", "adjust_reason"]


class MaturitySerializer(serializers.ModelSerializer):
    aspects = AspectSerializer(many=True, read_only=True)

    class Meta:
        model = MaturityAssessment
        fields = ["id", "hub", "year", "status", "submitted_at", "verified_at", "aspects"]
        read_only_fields = fields


@extend_schema(tags=["hubs"])
class MaturityViewSet(viewsets.ReadOnlyModelViewSet):
    """Maturity assessments (four aspects, levels 1-5, declared and verified), for the hub's people and the
    Ministry."""

    serializer_class = MaturitySerializer
    permission_classes = [IsAuthenticated]
    filterset_class = _year_filter(MaturityAssessment, ["hub", "year", "status"])

    def get_queryset(self):
        return (
            MaturityAssessment.objects.filter(hub__in=selectors.hubs_for_user(self.request.user))
            .prefetch_related("aspects")
            .order_by("hub_id", "-year")
        )


# Selection ------------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "weight_basis", "guide", "position"]


class RoundSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    cohort = serializers.IntegerField(source="cohort.year", read_only=True, allow_null=True)

    class Meta:
        model = SelectionRound
        fields = ["id", "year", "purpose", "kind", "status", "cohort", "criteria", "is_real"]
        read_only_fields = fields


@extend_schema(tags=["hubs"])
class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Hub selection rounds, for the Ministry and the rounds' scoring teams."""

    serializer_class = RoundSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = _year_filter(SelectionRound, ["year", "kind", "status"])

    def get_queryset(self):
        return (
            selectors.rounds_for_user(self.request.user)
            .select_related("cohort")
            .prefetch_related("criteria")
            .order_by("-year", "-pk")
        )

    @extend_schema(
        responses=inline_serializer(
            "RoundRanking",
            fields={
                "rank": serializers.IntegerField(),
                "candidate": serializers.IntegerField(),
                "name": serializers.CharField(),
                "total": serializers.DecimalField(max_digits=6, decimal_places=2),
                "spread": serializers.DecimalField(max_digits=6, decimal_places=2),
                "complete": serializers.BooleanField(),
                "contributions": serializers.DictField(),
                "tie_with": serializers.IntegerField(allow_null=True),
                "tie_shared": serializers.BooleanField(allow_null=True),
                "tie_criterion": serializers.IntegerField(allow_null=True),
            },
            many=True,
        )
    )
    @action(detail=True)
    def ranking(self, request, pk=None):
        """The ranking with each criterion's points, mean level and spread (stored weights)."""
        ranking = selectors.round_ranking(round_=self.get_object(), with_figures=False)
        return Response(
            [
                {
                    "rank": r.rank,
                    "candidate": r.candidate,
                    "name": r.name,
                    "total": str(r.total),
                    "spread": str(r.spread),
                    "complete": r.complete,
                    "contributions": {
                        str(k): {
                            "points": str(c.points),
                            "mean_level": str(c.mean_level) if c.mean_level is not None else None,
                            "spread": c.spread,
                            "scorers": c.scorers,
                        }
                        for k, c in r.contributions.items()
                    },
                    "tie_with": r.tie.other if r.tie else None,
                    "tie_shared": r.tie.shared if r.tie else None,
                    "tie_criterion": r.tie.criterion if r.tie else None,
                }
                for r in ranking.rows
            ]
        )


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("hubs", HubViewSet, basename="hub")
    router.register("hub-cohorts", CohortViewSet, basename="hub-cohort")
    router.register("hub-spokes", SpokeViewSet, basename="hub-spoke")
    router.register("hub-activities", ActivityViewSet, basename="hub-activity")
    router.register("hub-plans", WorkPlanViewSet, basename="hub-plan")
    router.register("hub-maturity", MaturityViewSet, basename="hub-maturity")
    router.register("hub-rounds", RoundViewSet, basename="hub-round")
