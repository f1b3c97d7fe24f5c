from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.regions import selectors
from jipp.regions.forms import AgencyAliasForm, AgencyForm, ServiceUnitForm
from jipp.regions.models import Agency, AgencyAlias, Region
from jipp.regions.services import agency_matcher, create_agency, create_service_unit, save_alias


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


@login_required
def alias_list(request):
    """The Ministry's other spellings of agency names (used by imports); add one, or try a spelling."""
    if not request.user.has_perm("regions.add_agency"):
        raise PermissionDenied
    form = AgencyAliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_alias(alias=form.cleaned_data["alias"], agency=form.cleaned_data["agency"], user=request.user,
                       source=AgencyAlias.Source.MINISTRY)  # fmt: skip
        except ValidationError as exc:
            form.add_error("alias", exc.messages)
        else:
            data = form.cleaned_data
            messages.success(request, _("Saved: “%(alias)s” means %(agency)s.") % data)
            return redirect("regions:alias_list")
    query = request.GET.get("q", "").strip()
    aliases = AgencyAlias.objects.select_related("agency").order_by("alias")
    if query:
        aliases = aliases.filter(Q(alias__icontains=query) | Q(agency__name__icontains=query))
    attempt = request.GET.get("try", "").strip()[:200]
    resolution = agency_matcher().resolve(attempt) if attempt else None
    page = Paginator(aliases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/alias_list.html",
        {"form": form, "page": page, "query": query, "attempt": attempt, "resolution": resolution},
    )


@login_required
@require_POST
def alias_delete(request, pk: int):
    if not request.user.has_perm("regions.add_agency"):
        raise PermissionDenied
    alias = get_object_or_404(AgencyAlias, pk=pk)
    alias.delete()
    messages.success(request, _("“%(alias)s” was removed.") % {"alias": alias.alias})
    return redirect("regions:alias_list")
