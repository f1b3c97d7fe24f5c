"""API for the reference data (public read) and for provisioning (authenticated)."""

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from jipp.accounts.models import User
from jipp.accounts.services import create_account, visible_users
from jipp.core.reauth import RecentPassword
from jipp.regions.models import Agency, Region, ServiceUnit
from jipp.regions.services import create_service_unit


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "population", "area_km2", "is_3t"]


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Region.Level.choices)
    parent = django_filters.CharFilter(field_name="parent__code", help_text="Kemendagri code of the province.")

    class Meta:
        model = Region
        fields = ["level", "parent", "is_3t"]


@extend_schema(tags=["reference data"])
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Provinces, regencies and cities with Kemendagri codes. Filter by `level` and `parent`."""

    queryset = Region.objects.select_related("parent").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"


class AgencySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "slug", "name", "short_name", "type", "region", "website"]


class AgencyFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Agency.Type.choices)
    region = django_filters.CharFilter(field_name="region__code", help_text="Kemendagri code of the region.")

    class Meta:
        model = Agency
        fields = ["type", "region"]


@extend_schema(tags=["reference data"])
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies (instansi): regional governments, ministries and agencies (K/L), enterprises."""

    queryset = Agency.objects.select_related("region").order_by("name")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "slug"


class ServiceUnitSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all())

    class Meta:
        model = ServiceUnit
        fields = ["id", "name", "agency"]

    def create(self, validated_data):
        request = self.context["request"]
        if not request.user.has_perm("regions.manage_units", validated_data["agency"]):
            raise PermissionDenied("You can only add service units to your own agency.")
        return create_service_unit(**validated_data)


@extend_schema(tags=["reference data"])
class ServiceUnitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service units (UPP). Public read; an Admin Lokal adds units to its own agency."""

    queryset = ServiceUnit.objects.select_related("agency").order_by("agency__name", "name")
    serializer_class = ServiceUnitSerializer
    filterset_fields = ["agency"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(write_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=ServiceUnit.objects.all(), required=False, allow_null=True)
    agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), required=False, allow_null=True
    )
    # Present (once) in the answer to a create; null when reading an existing account.
    temporary_password = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "full_name", "role", "agency", "unit", "is_active", "temporary_password"]
        read_only_fields = ["is_active"]

    def get_temporary_password(self, obj) -> str | None:
        return getattr(obj, "temporary_password", None)

    def create(self, validated_data):
        validated_data.setdefault("email", "")  # optional, as on the HTML form
        new = create_account(created_by=self.context["request"].user, **validated_data)
        new.user.temporary_password = new.temporary_password
        return new.user


@extend_schema(tags=["accounts"])
class UserViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Accounts the caller may see: all for the Ministry, its own agency's for an Admin Lokal.

    Creating: the Ministry creates Admin Lokal and other accounts; an Admin Lokal creates UPP
    accounts for its own agency's units only (403 otherwise).
    """

    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated, RecentPassword]  # creating accounts: a recent password on a session
    filterset_fields = ["role"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        if not self.request.user.has_perm("accounts.list_users"):
            raise PermissionDenied
        return visible_users(self.request.user).order_by("username")

    def perform_create(self, serializer):
        if not self.request.user.has_perm("accounts.list_users"):
            raise PermissionDenied
        serializer.save()
