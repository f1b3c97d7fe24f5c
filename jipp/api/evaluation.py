"""API for KIPP evaluation: assignments and reviews (secretariat), the evaluator's own assignments
(blind, 403 when not theirs or in conflict), rankings (secretariat and panel; public after publication)
and results (public after publication).
"""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from jipp.competition.evaluation import selectors, services
from jipp.competition.evaluation.models import Assignment, Finalist, Review, Winner
from jipp.competition.models import Edition


class RulePermission(BasePermission):
    """The same rules as the pages (`jipp.competition.evaluation.rules`): a view names its rule in
    `permission_rule`; object-level views check it again on the object."""

    def has_permission(self, request, view):
        rule = getattr(view, "permission_rule", None)
        return bool(request.user and request.user.is_authenticated and (rule is None or request.user.has_perm(rule)))

    def has_object_permission(self, request, view, obj):
        rule = getattr(view, "object_rule", None) or getattr(view, "permission_rule", None)
        return rule is None or request.user.has_perm(rule, obj)


# Secretariat: assignments and reviews ---------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    evaluator = serializers.CharField(source="evaluator.username", read_only=True)
    review_status = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "edition", "proposal", "evaluator", "source", "mismatch_cost", "version", "review_status"]
        read_only_fields = fields

    def get_review_status(self, obj) -> str:
        review = getattr(obj, "review", None)
        return review.status if review else ""


class AssignmentFilter(django_filters.FilterSet):
    edition = django_filters.NumberFilter(field_name="edition__year", help_text="Year of the edition.")
    evaluator = django_filters.CharFilter(field_name="evaluator__username")
    proposal = django_filters.NumberFilter(field_name="proposal_id")
    source = django_filters.ChoiceFilter(choices=Assignment.Source.choices)

    class Meta:
        model = Assignment
        fields = ["edition", "evaluator", "proposal", "source"]


@extend_schema(tags=["evaluation"])
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Every assignment of proposals to evaluators (secretariat only)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    permission_classes = [RulePermission]
    permission_rule = "evaluation.manage_assignments"
    queryset = Assignment.objects.select_related("edition", "evaluator", "review").order_by("-edition__year", "pk")


class ReviewSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    evaluator = serializers.CharField(source="evaluator.username", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "edition", "proposal", "evaluator", "status", "scores", "comments", "total", "submitted_at"]
        read_only_fields = fields


class ReviewFilter(django_filters.FilterSet):
    edition = django_filters.NumberFilter(field_name="edition__year", help_text="Year of the edition.")
    status = django_filters.ChoiceFilter(choices=Review.Status.choices)
    proposal = django_filters.NumberFilter(field_name="proposal_id")

    class Meta:
        model = Review
        fields = ["edition", "status", "proposal"]


@extend_schema(tags=["evaluation"])
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Every review with its scores per criterion and weighted total (secretariat only)."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    permission_classes = [RulePermission]
    permission_rule = "evaluation.manage_assignments"
    queryset = Review.objects.select_related("edition", "evaluator").order_by("-edition__year", "pk")


# Evaluator: own assignments, blind --------------------------------------------------------------


class MyAssignmentSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    review_status = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "edition", "proposal", "review_status"]
        read_only_fields = fields

    def get_review_status(self, obj) -> str:
        review = getattr(obj, "review", None)
        return review.status if review else ""


@extend_schema(tags=["evaluation"])
class MyAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in evaluator's assignments. The detail holds the proposal as the evaluator sees it:
    in blind mode without agency, region, unit or people's names (also in attachment names)."""

    serializer_class = MyAssignmentSerializer
    permission_classes = [IsAuthenticated, RulePermission]
    object_rule = "evaluation.review"  # assigned to the user, without a conflict of interest
    queryset = Assignment.objects.none()

    def get_queryset(self):
        return selectors.my_assignments(self.request.user)

    @extend_schema(
        responses=inline_serializer(
            "BlindProposal",
            {
                "id": serializers.IntegerField(),
                "blind": serializers.BooleanField(),
                "title": serializers.CharField(),
                "group": serializers.CharField(),
                "agency": serializers.CharField(allow_null=True),
                "region": serializers.CharField(allow_null=True),
                "sections": serializers.ListField(child=serializers.DictField()),
                "attachments": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def retrieve(self, request, pk=None):
        if not str(pk).isdigit():
            raise NotFound
        assignment = get_object_or_404(
            Assignment.objects.select_related(
                "edition", "proposal__group", "proposal__agency", "proposal__unit", "proposal__innovation"
            ),
            pk=int(pk),
        )
        self.check_object_permissions(request, assignment)
        rules = services.settings_for(assignment.edition)
        view = selectors.proposal_view(
            assignment.proposal,
            blind=rules.blind_desk,
            show_innovation_link=not rules.hide_innovation_link or rules.results_published_at is not None,
        )
        return Response(
            {
                "id": assignment.pk,
                "blind": view["blind"],
                "title": view["title"],
                "group": view["group"].kind,
                "agency": view["agency"],
                "region": view["region"],
                "sections": [{"title": s["title"], "text": s["text"]} for s in view["sections"]],
                "attachments": [a["name"] for a in view["attachments"]],
                "video_url": view["video_url"],
                "innovation": view["innovation_id"],
            }
        )


# Rankings and results -----------------------------------------------------------------------------


def _edition_or_404(year) -> Edition:
    try:
        return Edition.objects.get(year=int(year))
    except (TypeError, ValueError, Edition.DoesNotExist) as exc:
        raise NotFound from exc


@extend_schema(tags=["evaluation"], parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="Year")])
class RankingViewSet(viewsets.ViewSet):
    """The desk ranking of an edition with every method side by side, read from the stored ranking.

    The Ministry and the panel see every row: `rankable` is true only with the required number of valid
    (submitted, non-conflicted) reviews, `missing_reviews` says how many are missing; rows that are not
    rankable are never nominated. Once the results are published the public sees the finalists' rows
    only (the policy documented on /kipp/evaluation/<year>/method/), like the public pages."""

    permission_classes = []

    @extend_schema(
        responses=inline_serializer(
            "Ranking",
            {
                "edition": serializers.IntegerField(),
                "deciding_method": serializers.CharField(),
                "count": serializers.IntegerField(),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def retrieve(self, request, pk=None):
        edition = _edition_or_404(pk)
        rules = services.settings_for(edition)
        full = request.user.has_perm("evaluation.view_ranking", edition)
        if not (full or rules.results_published_at is not None):
            raise PermissionDenied
        rows = selectors.ranking(edition)
        if not full:
            finalists = set(Finalist.objects.filter(edition=edition).values_list("proposal_id", flat=True))
            rows = [r for r in rows if r["id"] in finalists]
        results = [
            {
                "id": r["id"],
                "title": r["title"],
                "group": r["group"],
                "rankable": r["rankable"],
                "missing_reviews": r["missing_reviews"],
                "position": r["position"],
                "n": r["n"],
                "voided_reviews": r["voided"],
                "deciding": _number(r["deciding"]),
                "raw_mean": _number(r["points"]),
                "scores": {m: _number(v) for m, v in r["scores"].items()},
                "ranks": r["ranks"],
                "spread": _number(r["spread"]),
                "disagreement": r["disagreement"],
            }
            for r in rows
        ]
        return Response(
            {
                "edition": edition.year,
                "deciding_method": rules.deciding_method,
                "reviews_required": rules.reviews_per_proposal,
                "count": len(rows),
                "results": results,
            }
        )


def _number(value) -> str | None:
    """Stored decimals travel as strings with six decimals, exactly as stored (no float rounding)."""
    return None if value is None else str(value)


class WinnerSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year", read_only=True)
    title = serializers.CharField(source="finalist.proposal.title", read_only=True)
    agency = serializers.CharField(source="finalist.proposal.agency.name", read_only=True)
    innovation = serializers.IntegerField(source="finalist.proposal.innovation_id", read_only=True)
    decree_number = serializers.CharField(source="edition.evaluation_settings.results_decree_number", read_only=True)
    edition_name = serializers.CharField(source="edition.name", read_only=True)
    level = serializers.CharField(source="edition.level", read_only=True)

    class Meta:
        model = Winner
        fields = ["id", "edition", "edition_name", "level", "tier", "rank", "title", "agency", "innovation",
                  "final_score", "decree_number", "verification_code"]  # fmt: skip
        read_only_fields = fields


class WinnerFilter(django_filters.FilterSet):
    edition = django_filters.NumberFilter(field_name="edition__year", help_text="Year of the edition.")
    tier = django_filters.ChoiceFilter(choices=Winner.Tier.choices)
    level = django_filters.ChoiceFilter(
        field_name="edition__level",
        choices=Edition.Level.choices,
        help_text="national (KIPP, the default) or provincial (the hubs' own competitions).",
    )

    class Meta:
        model = Winner
        fields = ["edition", "tier", "level"]

    def filter_queryset(self, queryset):
        # KIPP's results unless the provincial competitions are asked for: a hub's 2021 winners are not
        # KIPP 2021 winners, and `edition` alone (a year) cannot tell them apart.
        if not self.form.cleaned_data.get("level"):
            queryset = queryset.filter(edition__level=Edition.Level.NATIONAL)
        return super().filter_queryset(queryset)


@extend_schema(tags=["evaluation"])
class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Published winners of KIPP's editions (public); `?level=provincial` for the hubs' own competitions."""

    serializer_class = WinnerSerializer
    filterset_class = WinnerFilter
    permission_classes = []
    queryset = (
        Winner.objects.current()
        .filter(edition__evaluation_settings__results_published_at__isnull=False)
        .select_related("edition__evaluation_settings", "finalist__proposal__agency")
        .order_by("-edition__year", "tier", "rank")
    )


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("kipp/assignments", AssignmentViewSet, basename="kipp-assignment")
    router.register("kipp/reviews", ReviewViewSet, basename="kipp-review")
    router.register("kipp/my-assignments", MyAssignmentViewSet, basename="kipp-my-assignment")
    router.register("kipp/rankings", RankingViewSet, basename="kipp-ranking")
    router.register("kipp/results", ResultViewSet, basename="kipp-result")
