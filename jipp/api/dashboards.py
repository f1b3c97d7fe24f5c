"""API for the dashboards: every figure of the pages, with the same filters (`year`, `kind`, `measure`),
read from the summary tables. Public figures for everyone; the Ministry also gets the legal-basis and
continuity figures. An unknown filter value is a 400 with a message, never an empty answer."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from jipp.dashboards import filters as dashboard_filters
from jipp.dashboards import hubs as hub_data
from jipp.dashboards import selectors
from jipp.dashboards.domain import figures as F
from jipp.dashboards.models import AreaFigures
from jipp.regions.models import Agency

S = AreaFigures.Scope
RATES = (
    "participation_rate",
    "success_rate",
    "legal_coverage",
    "unprotected_share",
    "replicated_share",
    "continuing_share",
)
# Figures only the Ministry sees (the pages hide them from the public too).
PRIVATE = {
    "proven",
    "proven_with_legal_basis",
    "unprotected",
    "continuity_missing",
    "continuity_continuing",
    "continuity_growing",
    "continuity_stopped",
    "continuity_dormant",
    "legal_coverage",
    "unprotected_share",
    "continuing_share",
}


def _figure_fields() -> dict:
    fields = {name: serializers.IntegerField(required=False) for name in F.FIGURES}
    fields.update({name: serializers.FloatField(required=False, allow_null=True) for name in RATES})
    fields["awards"] = serializers.IntegerField(required=False)
    return fields


FiguresSerializer = type(
    "DashboardFiguresSerializer",
    (serializers.Serializer,),
    {
        **_figure_fields(),
        "__doc__": "Figures of one area. Rates are fractions 0..1 (null without a base); Ministry-only figures "
        "are left out for others.",
    },
)
AreaSerializer = type(
    "DashboardAreaSerializer",
    (FiguresSerializer,),
    {
        "region": serializers.CharField(help_text="Kemendagri code (province `35`, regency or city `35.15`)."),
        "name": serializers.CharField(),
        "rank": serializers.IntegerField(allow_null=True, help_text="Rank on `measure` (1 = highest)."),
    },
)


class NationalSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="0 = all years (yearly figures are all-time totals).")
    measure = serializers.CharField()
    data_version = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateTimeField(allow_null=True)
    totals = FiguresSerializer()
    provinces = AreaSerializer(many=True)


class YearSerializer(FiguresSerializer):
    year = serializers.IntegerField()


class KindSerializer(FiguresSerializer):
    kind = serializers.CharField()
    label = serializers.CharField()


SpokeSerializer = type(
    "DashboardHubSpokeSerializer",
    (FiguresSerializer,),
    {
        "kind": serializers.ChoiceField(
            choices=["agency", "unit"], help_text="`agency`, or `unit` for a K/L hub's unit or field office."
        ),
        "name": serializers.CharField(),
        "agency": serializers.CharField(help_text="The agency's slug (a unit's: its ministry or agency)."),
        "unit": serializers.IntegerField(allow_null=True, help_text="The service unit's id for a unit spoke."),
        "is_hub": serializers.BooleanField(help_text="The hub's own agency (a K/L hub's: the whole K/L)."),
    },
)


class HubFiguresSerializer(FiguresSerializer):
    year = serializers.IntegerField(help_text="0 = all years (yearly figures are all-time totals).")
    spokes = SpokeSerializer(many=True)


FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="A year with data; empty for all years."),
    OpenApiParameter("measure", OpenApiTypes.STR, description="Measure for `rank` (as on the map)."),
]


def _figures(row: dict, full: bool) -> dict:
    rates = F.derived(row)
    out = {**row, **{k: rates[k] for k in RATES}, "awards": int(rates["awards"] or 0)}
    if not full:
        out = {k: v for k, v in out.items() if k not in PRIVATE}
    return out


class DashboardViewSet(viewsets.ViewSet):
    """The dashboards' figures (public; the Ministry sees the legal-basis and continuity figures too)."""

    def _parse(self, request):
        full = request.user.has_perm("dashboards.view_full")
        f = dashboard_filters.parse(request.query_params, full=full)
        if f.api_errors:
            raise ValidationError({field: [str(message)] for field, message in f.api_errors.items()})
        return f, full

    def _areas(self, scope: str, f, full: bool, regions, prefix: str = "") -> list[dict]:
        rows = selectors.combined_areas(scope, f.year, prefix=prefix)
        values = {r.code: (F.value(rows[r.code], f.measure.key) if r.code in rows else None) for r in regions}
        ranks = F.ranks(values)
        return [
            {"region": r.code, "name": r.name, "rank": ranks.get(r.code), **_figures(rows.get(r.code, F.empty()), full)}
            for r in regions
        ]

    @extend_schema(tags=["dashboards"], parameters=FILTERS, responses=NationalSerializer)
    @action(detail=False)
    def national(self, request):
        """National totals and every province's figures (`provinces[].region` is the province code)."""
        f, full = self._parse(request)
        refresh = selectors.last_refresh()
        return Response(
            {
                "year": f.year,
                "measure": f.measure.key,
                "data_version": refresh.pk if refresh else None,
                "as_of": refresh.finished_at if refresh else None,
                "totals": _figures(selectors.combined(S.NATIONAL, selectors.NATIONAL_KEY, f.year), full),
                "provinces": self._areas(S.PROVINCE, f, full, selectors.provinces()),
            }
        )

    @extend_schema(tags=["dashboards"], parameters=FILTERS, responses=AreaSerializer(many=True))
    @action(detail=False)
    def provinces(self, request):
        """Every province's figures, ranked on `measure`."""
        f, full = self._parse(request)
        return Response(self._areas(S.PROVINCE, f, full, selectors.provinces()))

    @extend_schema(
        tags=["dashboards"],
        parameters=[*FILTERS, OpenApiParameter("province", OpenApiTypes.STR, required=True)],
        responses=AreaSerializer(many=True),
    )
    @action(detail=False)
    def regions(self, request):
        """The regencies and cities of one province (`province=35`), ranked on `measure`."""
        f, full = self._parse(request)
        code = request.query_params.get("province", "")
        if not selectors.province(code):
            raise ValidationError({"province": [f"There is no province with the code {code[:10]!r}."]})
        return Response(self._areas(S.REGION, f, full, selectors.regions_of(code), prefix=f"{code}."))

    @extend_schema(tags=["dashboards"], parameters=FILTERS[:1], responses=KindSerializer(many=True))
    @action(detail=False)
    def kinds(self, request):
        """Figures per kind of agency (regional governments, ministries, enterprises)."""
        f, full = self._parse(request)
        rows = selectors.combined_areas(S.KIND, f.year)
        return Response(
            [
                {"kind": k, "label": str(label), **_figures(rows[k], full)}
                for k, label in Agency.Type.choices
                if k in rows
            ]
        )

    @extend_schema(
        tags=["dashboards"],
        parameters=[OpenApiParameter("province", OpenApiTypes.STR, description="A province code; empty: national.")],
        responses=YearSerializer(many=True),
    )
    @action(detail=False)
    def years(self, request):
        """Yearly figures (KIPP, awards, replications, continuity answers) nationally or for one province."""
        _f, full = self._parse(request)
        code = request.query_params.get("province", "")
        if code and not selectors.province(code):
            raise ValidationError({"province": [f"There is no province with the code {code[:10]!r}."]})
        rows = selectors.by_year(S.PROVINCE, code) if code else selectors.by_year(S.NATIONAL, selectors.NATIONAL_KEY)
        return Response([{"year": y, **_figures(r, full)} for y, r in rows.items()])

    @extend_schema(
        tags=["dashboards"],
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses=FiguresSerializer,
    )
    @action(detail=False, url_path=r"agencies/(?P<slug>[-\w]+)")
    def agency(self, request, slug=None):
        """One agency's figures (its Admin Lokal and UPP operators, and the Ministry)."""
        agency = get_object_or_404(Agency, slug=slug)
        if not request.user.has_perm("dashboards.view_agency", agency):
            raise PermissionDenied
        return Response(_figures(selectors.agency_figures(agency), True))

    @extend_schema(
        tags=["dashboards"],
        parameters=[OpenApiParameter("hub", OpenApiTypes.INT, OpenApiParameter.PATH), FILTERS[0]],
        responses=HubFiguresSerializer,
    )
    @action(detail=False, url_path=r"hubs/(?P<hub>\d+)")
    def hub(self, request, hub=None):
        """One hub's figures (the hub and its spokes) and its spokes side by side: a province hub's agencies, a
        K/L hub's own agency and its units and field offices. For its admins and mentors, and the Ministry."""
        f, _full = self._parse(request)
        data = hub_data.api_figures(request.user, hub, f.year)
        if data is None:
            raise NotFound
        return Response(data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("dashboards", DashboardViewSet, basename="dashboards")
