"""API for the registry: the public catalogue (same search, filters and sort as the HTML catalogue)
and authenticated writes for agency users through jipp.registry.services.

Read: GET /api/v1/innovations/ (published only), /innovations/facets/, /innovations/{id}/ (a draft
only for those who may see it, else 404), /innovations/{id}/continuity-updates/, /categories/, /sdgs/.
Write (session or token): POST /innovations/ (a draft), PATCH /innovations/{id}/ with `version`
(409 when stale), POST /innovations/{id}/publish/ and /withdraw/, POST .../continuity-updates/.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.response import Response

from jipp.api.pagination import StandardPagination
from jipp.core import public_cache
from jipp.regions.models import Agency, ServiceUnit
from jipp.registry import revisions, services
from jipp.registry.awards import TierBook, record_award
from jipp.registry.bounds import bounds_message, parse_year
from jipp.registry.exporting import _bits
from jipp.registry.facet_index import replica_version
from jipp.registry.filters import parse_catalogue_params
from jipp.registry.models import Award, AwardTier, Category, ContinuityUpdate, Innovation, Sdg
from jipp.registry.selectors import SORTS, search_catalogue

# Serializers ---------------------------------------------------------------------------------


class StrictFieldsMixin:
    """Refuse fields the serializer does not write (400 naming each), instead of ignoring them silently."""

    read_only_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            errors = {}
            for name in data:
                if name in writable:
                    continue
                if name in self.read_only_names or name in self.fields:
                    errors[name] = [_("This field is read-only.")]
                else:
                    errors[name] = [_("Unknown field.")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_id", "name_en", "is_active"]


class SdgSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sdg
        fields = ["number", "name", "name_id", "name_en"]


def _tag_maps(context: dict) -> tuple[dict, dict]:
    """Bit -> category code and the SDG numbers, loaded once per request (no query per row)."""
    if "_tag_maps" not in context:
        context["_tag_maps"] = (
            dict(Category.objects.values_list("bit", "code")),
            set(Sdg.objects.values_list("number", flat=True)),
        )
    return context["_tag_maps"]


class InnovationListSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    categories = serializers.SerializerMethodField()
    sdgs = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Innovation
        fields = [
            "id", "url", "title", "summary", "agency", "agency_name", "agency_type", "unit", "region", "province",
            "stage", "phase", "form", "is_digital", "sector", "categories", "sdgs", "start_date", "year_started",
            "continuity", "award_tier", "replication_count", "has_legal_basis", "status", "published_at", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_categories(self, obj) -> list[str]:
        codes, _numbers = _tag_maps(self.context)
        return [codes[b] for b in _bits(obj.category_mask) if b in codes]

    def get_sdgs(self, obj) -> list[int]:
        _codes, numbers = _tag_maps(self.context)
        return [n for n in _bits(obj.sdg_mask) if n in numbers]

    def get_url(self, obj) -> str:
        path = reverse("innovation-detail", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download_url = serializers.SerializerMethodField()

    image_url = serializers.SerializerMethodField(
        help_text="For a published innovation's JPEG/PNG photo: an address to show it inline; else null."
    )

    def get_download_url(self, obj) -> str:
        return reverse("registry:attachment_download", kwargs={"pk": obj.pk})

    def get_image_url(self, obj) -> str | None:
        published = self.context.get("innovation_published", False)
        if published and obj.kind == "photo" and obj.content_type in ("image/jpeg", "image/png"):
            return reverse("registry:attachment_image", kwargs={"pk": obj.pk})
        return None


class InnovationDetailSerializer(InnovationListSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(InnovationListSerializer.Meta):
        fields = InnovationListSerializer.Meta.fields + [
            "unit_name", "problem", "solution", "results", "innovator_type", "innovators", "rollout_date",
            "initiator", "beneficiaries", "budget_source", "contact_name", "contact_email", "contact_phone",
            "website", "video_url", "readiness", "prerequisites", "similar_ids", "attachments", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class InnovationWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """Fields an agency user writes; `unit` on create (default: the UPP operator's own unit), `version` on update.

    Any other field (e.g. `award_tier`, written only through awards) is refused with a 400 naming it.
    """

    read_only_names = tuple(InnovationDetailSerializer.Meta.fields)

    unit = serializers.PrimaryKeyRelatedField(queryset=ServiceUnit.objects.all(), required=False)
    categories = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True), many=True, required=False
    )
    sdgs = serializers.SlugRelatedField(slug_field="number", queryset=Sdg.objects.all(), many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="Required on update: the version you read.")

    class Meta:
        model = Innovation
        fields = ["unit", *services.EDITABLE_FIELDS, "categories", "sdgs", "version"]
        extra_kwargs = {"title": {"required": True}, "summary": {"required": True}}


class ContinuityUpdateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    reported_on = serializers.DateField(required=False)

    class Meta:
        model = ContinuityUpdate
        fields = ["id", "year", "status", "reason", "reported_on"]


class AwardTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardTier
        fields = ["competition", "year", "code", "name", "name_id", "name_en", "rank", "size", "kind", "category"]


class AwardSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """An award of an innovation. Write (the Ministry): innovation, year, tier (code or name), optional decree."""

    innovation = serializers.PrimaryKeyRelatedField(queryset=Innovation.objects.all())
    innovation_title = serializers.CharField(source="innovation.title", read_only=True)
    agency = serializers.CharField(source="innovation.agency.slug", read_only=True)
    tier_name = serializers.SerializerMethodField()
    tier_rank = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id", "innovation", "innovation_title", "agency", "competition", "year", "tier", "tier_name", "tier_rank",
            "category", "title", "decree_number", "decree_date", "source_url", "is_imported",
        ]  # fmt: skip
        read_only_fields = ["id", "title", "is_imported"]
        extra_kwargs = {"competition": {"required": False}}

    def _tier(self, obj) -> AwardTier | None:
        book = self.context.setdefault("tier_book", TierBook())
        return book.get(year=obj.year, code=obj.tier, competition=obj.competition)

    def get_tier_name(self, obj) -> str:
        tier = self._tier(obj)
        return tier.name if tier else obj.tier

    def get_tier_rank(self, obj) -> int | None:
        tier = self._tier(obj)
        return tier.rank if tier else None


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


FACET_NAMES = (
    "province", "regency", "agency_type", "category", "sdg", "phase", "phase_min", "stage", "digital", "continuity",
    "award", "award_year", "award_tier", "year", "replicated", "legal_basis",
)  # fmt: skip
FacetsSerializer = inline_serializer(
    "CatalogueFacets",
    fields={
        "total": serializers.IntegerField(),
        "searchable": serializers.BooleanField(),
        "capped": serializers.BooleanField(
            help_text="True when the search matched more innovations than are read (a very common word): "
            "`total` and the counts cover only the newest matches; the real number is larger."
        ),
        **{name: FacetValueSerializer(many=True, required=False) for name in FACET_NAMES},
    },
)

# Parameters (the same names as the HTML catalogue) --------------------------------------------

CATALOGUE_PARAMETERS = [
    OpenApiParameter("q", str, description="Full-text search (Indonesian stemming; quotes and operators are text)."),
    OpenApiParameter("province", str, description="Kemendagri code of a province, e.g. 35."),
    OpenApiParameter("regency", str, description="Kemendagri code of a regency or city, e.g. 35.78."),
    OpenApiParameter("agency", str, description="Agency slug."),
    OpenApiParameter("agency_type", str, enum=Agency.Type.values),
    OpenApiParameter("category", str, description="KIPP category code (see /api/v1/categories/)."),
    OpenApiParameter("sdg", int, description="SDG number, 1-17."),
    OpenApiParameter("phase", str, enum=Innovation.Phase.values),
    OpenApiParameter(
        "phase_min",
        str,
        enum=Innovation.Phase.values,
        description="This policy phase or a later one: development = development or institutionalisation.",
    ),
    OpenApiParameter("stage", str, enum=Innovation.Stage.values),
    OpenApiParameter("digital", str, enum=["yes", "no"]),
    OpenApiParameter("continuity", str, enum=Innovation.Continuity.values),
    OpenApiParameter("award", str, enum=["any", *[v for v in Innovation.AwardTier.values if v]]),
    OpenApiParameter("award_year", int, description="Year of an award (with award_tier: of the same award)."),
    OpenApiParameter("award_tier", str, description="Tier code of an award, e.g. top45 (see /api/v1/award-tiers/)."),
    OpenApiParameter("year", int, description="Year the innovation started."),
    OpenApiParameter("replicated", str, enum=["yes", "no"]),
    OpenApiParameter("legal_basis", str, enum=["yes", "no"]),
    OpenApiParameter("sort", str, enum=list(SORTS), description="Default: relevance (newest without `q`)."),
]
ERROR_400 = OpenApiResponse(description="An unknown filter value or a malformed parameter; the body names it.")


@extend_schema(tags=["registry"])
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """KIPP categories (filter the catalogue with `category=<code>`)."""

    queryset = Category.objects.order_by("bit")
    serializer_class = CategorySerializer
    lookup_field = "code"
    filter_backends: list = []


@extend_schema(tags=["registry"])
class SdgViewSet(viewsets.ReadOnlyModelViewSet):
    """The 17 Sustainable Development Goals (filter the catalogue with `sdg=<number>`)."""

    queryset = Sdg.objects.order_by("number")
    serializer_class = SdgSerializer
    lookup_field = "number"
    filter_backends: list = []


class CataloguePagination(StandardPagination):
    """The catalogue's pages: `count`, and `count_capped` true when `count` is a lower bound.

    A search for a very common word reads only the newest matches (`jipp.registry.search.MATCH_CAP`,
    plus every short-name match): `count` is then the number of rows listed, and there are more.
    """

    capped = False

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when the search matched more innovations than are listed (a very common "
            "word): `count` is the number listed, the real number is larger.",
        }
        return schema


@extend_schema_view(
    list=extend_schema(parameters=CATALOGUE_PARAMETERS, responses={200: InnovationListSerializer, 400: ERROR_400}),
    retrieve=extend_schema(responses={200: InnovationDetailSerializer, 404: OpenApiResponse(description="Not found")}),
    create=extend_schema(request=InnovationWriteSerializer, responses={201: InnovationDetailSerializer}),
    partial_update=extend_schema(
        request=InnovationWriteSerializer,
        responses={200: InnovationDetailSerializer, 409: OpenApiResponse(description="Stale version")},
    ),
)
@extend_schema(tags=["registry"])
class InnovationViewSet(viewsets.GenericViewSet):
    """The innovation registry. Public read of published innovations; agency users write their own."""

    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = CataloguePagination

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return InnovationWriteSerializer
        if self.action == "list":
            return InnovationListSerializer
        if self.action == "continuity_updates":
            return ContinuityUpdateSerializer
        return InnovationDetailSerializer

    def get_queryset(self):
        return Innovation.objects.select_related("agency", "region", "province", "unit")

    def _get_viewable(self, pk) -> Innovation:
        try:
            innovation = get_object_or_404(self.get_queryset(), pk=int(pk))
        except (TypeError, ValueError):
            raise Http404 from None
        if not self.request.user.has_perm("registry.view_innovation", innovation):
            raise Http404  # drafts of others do not exist for this caller
        return innovation

    def _detail(self, innovation: Innovation, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("attachments").get(pk=innovation.pk)
        context = {**self.get_serializer_context(), "innovation_published": fresh.is_public}
        return Response(InnovationDetailSerializer(fresh, context=context).data, status=code)

    def list(self, request):
        query = parse_catalogue_params(request.query_params)

        def build():
            # The catalogue's own search (in-memory facet index + one full-text query): the same matches
            # and order as `catalogue_queryset`, and it fetches only the page's rows.
            result = search_catalogue(query, with_facets=False)
            self.paginator.capped = result.capped
            page = self.paginate_queryset(result.queryset)
            serializer = InnovationListSerializer(page, many=True, context=self.get_serializer_context())
            return self.get_paginated_response(serializer.data).data

        # An anonymous caller's page comes from the shared cache while the catalogue is unchanged.
        entry = public_cache.entry_for(request, "api-innovations", replica_version)
        return Response(public_cache.get_or_build(entry, build))

    @extend_schema(parameters=CATALOGUE_PARAMETERS, responses={200: FacetsSerializer, 400: ERROR_400})
    @action(detail=False, methods=["get"])
    def facets(self, request):
        """Counts per facet value for the same search and filters as the list."""
        query = parse_catalogue_params(request.query_params)
        result = search_catalogue(query, with_facets=True)
        data = {"total": result.total, "searchable": result.searchable, "capped": result.capped}
        for name, values in result.facets.items():
            data[name] = [{"value": v.value, "label": v.label, "count": v.count} for v in values]
        return Response(data)

    def retrieve(self, request, pk=None):
        return self._detail(self._get_viewable(pk))

    def create(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        serializer = InnovationWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        if unit is None:
            if not request.user.unit_id:
                raise serializers.ValidationError({"unit": ["Give the service unit."]})
            unit = request.user.unit
        unit = ServiceUnit.objects.select_related("agency__region__parent").get(pk=unit.pk)
        categories = data.pop("categories", [])
        sdgs = data.pop("sdgs", [])
        data.pop("version", None)
        innovation = services.create_innovation(
            user=request.user, unit=unit, data=data, categories=categories, sdgs=sdgs
        )
        return self._detail(innovation, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        innovation = self._get_viewable(pk)
        if not request.user.has_perm("registry.change_innovation", innovation):
            raise PermissionDenied("You cannot edit this innovation.")
        serializer = InnovationWriteSerializer(
            innovation, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise serializers.ValidationError({"version": ["Send the version you read (optimistic locking)."]})
        if "unit" in data:
            raise serializers.ValidationError({"unit": ["An innovation cannot move to another unit."]})
        version = data.pop("version")
        categories = data.pop("categories", None)
        sdgs = data.pop("sdgs", None)
        if revisions.needs_review(request.user, innovation):
            # A UPP's change to a published innovation waits for its Admin Lokal, as on the web.
            try:
                revision = revisions.propose_revision(
                    user=request.user,
                    innovation=innovation,
                    data=data,
                    expected_version=version,
                    categories=categories,
                    sdgs=sdgs,
                )
            except services.StaleVersionError as exc:
                return Response(
                    {"detail": exc.messages[0], "version": exc.current.version}, status=status.HTTP_409_CONFLICT
                )
            return Response(
                {
                    "detail": "The change waits for the Admin Lokal's approval.",
                    "revision": revision.pk if revision else None,
                    "changes": revision.changes if revision else {},
                },
                status=status.HTTP_202_ACCEPTED,
            )
        try:
            saved = services.update_innovation(
                user=request.user,
                innovation=innovation,
                data=data,
                expected_version=version,
                categories=categories,
                sdgs=sdgs,
            )
        except services.StaleVersionError as exc:
            return Response(
                {"detail": exc.messages[0], "version": exc.current.version}, status=status.HTTP_409_CONFLICT
            )
        return self._detail(saved)

    def _set_status(self, request, pk, new_status):
        innovation = self._get_viewable(pk)
        saved = services.set_status(user=request.user, innovation=innovation, status=new_status)
        return self._detail(saved)

    @extend_schema(request=None, responses={200: InnovationDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish (the agency's Admin Lokal or the Ministry)."""
        return self._set_status(request, pk, Innovation.Status.PUBLISHED)

    @extend_schema(request=None, responses={200: InnovationDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw from the public catalogue (the agency's Admin Lokal or the Ministry)."""
        return self._set_status(request, pk, Innovation.Status.WITHDRAWN)

    @extend_schema(
        methods=["get"], responses={200: ContinuityUpdateSerializer(many=True)}, summary="Continuity updates"
    )
    @extend_schema(
        methods=["post"],
        request=ContinuityUpdateSerializer,
        responses={201: ContinuityUpdateSerializer},
        summary="Add the yearly continuity update",
    )
    @action(detail=True, methods=["get", "post"], url_path="continuity-updates", pagination_class=None)
    def continuity_updates(self, request, pk=None):
        """The dated yearly statements of whether the innovation still runs (newest first)."""
        innovation = self._get_viewable(pk)
        if request.method == "GET":
            updates = innovation.continuity_updates.order_by("-year", "-reported_on")
            return Response(ContinuityUpdateSerializer(updates, many=True).data)
        serializer = ContinuityUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        update = services.add_continuity_update(
            user=request.user,
            innovation=innovation,
            year=data["year"],
            status=data["status"],
            reason=data.get("reason", ""),
            reported_on=data.get("reported_on") or timezone.localdate(),
        )
        return Response(ContinuityUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["registry"])
class AwardTierViewSet(viewsets.ReadOnlyModelViewSet):
    """The award tiers of each edition (configuration): filter awards and the catalogue by `code`."""

    queryset = AwardTier.objects.order_by("-year", "rank")
    serializer_class = AwardTierSerializer
    filter_backends: list = []


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Award year."),
            OpenApiParameter("tier", str, description="Tier code, e.g. top45."),
            OpenApiParameter("agency", str, description="Agency slug."),
        ]
    )
)
@extend_schema(tags=["registry"])
class AwardViewSet(viewsets.GenericViewSet):
    """Awards of published innovations (public); the Ministry records awards (POST)."""

    serializer_class = AwardSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            Award.objects.filter(innovation__status=Innovation.Status.PUBLISHED)
            .select_related("innovation__agency")
            .order_by("-year", "tier", "pk")
        )

    def list(self, request):
        qs = self.get_queryset()
        params = request.query_params
        errors = {}
        if params.get("year"):
            year = parse_year(params["year"])
            if year is None:
                errors["year"] = [bounds_message()]
            else:
                qs = qs.filter(year=year)
        if params.get("tier"):
            qs = qs.filter(tier=params["tier"])
        if params.get("agency"):
            qs = qs.filter(innovation__agency__slug=params["agency"])
        if errors:
            raise serializers.ValidationError(errors)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AwardSerializer(page, many=True, context=self.get_serializer_context()).data)

    def retrieve(self, request, pk=None):
        if not str(pk).isdigit():  # the route takes any text; a non-number names no award
            raise NotFound
        award = get_object_or_404(self.get_queryset(), pk=int(pk))
        return Response(AwardSerializer(award, context=self.get_serializer_context()).data)

    def create(self, request):
        if not request.user.has_perm("registry.manage_awards"):
            raise PermissionDenied(_("Only the Ministry records awards."))
        serializer = AwardSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        award = record_award(
            innovation=data.pop("innovation"),
            year=data.pop("year"),
            tier=data.pop("tier"),
            competition=data.pop("competition", "KIPP") or "KIPP",
            **data,
        )
        return Response(AwardSerializer(award, context=self.get_serializer_context()).data, status=201)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("awards", AwardViewSet, basename="award")
    router.register("award-tiers", AwardTierViewSet, basename="award-tier")
    router.register("innovations", InnovationViewSet, basename="innovation")
    router.register("categories", CategoryViewSet, basename="category")
    router.register("sdgs", SdgViewSet, basename="sdg")
