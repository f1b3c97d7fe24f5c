from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jipp.regions import selectors
from jipp.regions.forms import AgencyForm, ServiceUnitForm
from jipp.regions.models import Agency, Region
from jipp.regions.services import create_agency, create_service_unit


def region_list(request):
    level = request.GET.get("level", "")
    if level not in Region.Level.values:
        level = ""
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.regions(level=level, query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/region_list.html",
        {"page": page, "level": level, "levels": Region.Level.choices, "query": query},
    )


def region_detail(request, code: str):
    region = get_object_or_404(Region.objects.select_related("parent"), code=code)
    children = region.children.order_by("code")
    agencies = (
        selectors.agencies(region_code=region.code)
        if region.level == Region.Level.PROVINCE
        else (selectors.agencies().filter(region=region))
    )
    return render(request, "regions/region_detail.html", {"region": region, "children": children, "agencies": agencies})


def agency_list(request):
    agency_type = request.GET.get("type", "")
    if agency_type not in Agency.Type.values:
        agency_type = ""
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.agencies(type=agency_type, query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/agency_list.html",
        {"page": page, "type": agency_type, "types": Agency.Type.choices, "query": query},
    )


def agency_detail(request, slug: str):
    agency = get_object_or_404(Agency.objects.select_related("region__parent"), slug=slug)
    can_manage = request.user.is_authenticated and request.user.has_perm("regions.manage_units", agency)
    form = ServiceUnitForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                create_service_unit(agency=agency, name=form.cleaned_data["name"])
            except ValidationError:
                form.add_error("name", _("This agency already has a service unit with this name."))
            else:
                messages.success(request, _("Service unit added."))
                return redirect("regions:agency_detail", slug=agency.slug)
    return render(
        request,
        "regions/agency_detail.html",
        {"agency": agency, "units": agency.units.order_by("name"), "can_manage": can_manage, "form": form},
    )


@login_required
def agency_create(request):
    if not request.user.has_perm("regions.add_agency"):
        raise PermissionDenied
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = create_agency(
            name=data["name"], type=data["type"], short_name=data["short_name"], region=data["region"]
        )
        messages.success(request, _("Agency added."))
        return redirect("regions:agency_detail", slug=agency.slug)
    return render(request, "regions/agency_form.html", {"form": form})
