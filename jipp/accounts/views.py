from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jipp.accounts.forms import AccountCreateForm, LoginForm, PasswordChangeForm
from jipp.accounts.models import Role, User
from jipp.accounts.services import create_account, set_account_active, visible_users
from jipp.core.reauth import recent_password_required
from jipp.core.widgets import MAX_RESULTS, search_text, typeahead_response
from jipp.regions.models import ServiceUnit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def user_list(request):
    if not request.user.has_perm("accounts.list_users"):
        raise PermissionDenied
    users = visible_users(request.user).order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


@login_required
@recent_password_required()
def user_create(request):
    if not request.user.has_perm("accounts.list_users"):
        raise PermissionDenied
    _refuse_foreign_unit(request)
    form = AccountCreateForm(request.POST or None, creator=request.user, initial={"agency": request.GET.get("agency")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = create_account(
                created_by=request.user,
                username=data["username"],
                email=data.get("email", ""),
                full_name=data["full_name"],
                role=data["role"],
                agency=data.get("agency"),
                unit=data.get("unit"),
                affiliation=data.get("affiliation", ""),
                home_province=data.get("home_province"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(
                request, "accounts/user_created.html", {"new_user": new.user, "password": new.temporary_password}
            )
    return render(request, "accounts/user_form.html", {"form": form})


def _refuse_foreign_unit(request) -> None:
    """A forged request for another agency's unit is a 403, not a form error."""
    unit_id = request.POST.get("unit", "")
    if request.method == "POST" and unit_id.isdigit():
        unit = ServiceUnit.objects.filter(pk=int(unit_id)).first()
        if unit is not None and not request.user.has_perm("accounts.create_upp", unit):
            raise PermissionDenied


@login_required
def user_detail(request, pk: int):
    # Fetch through the scoped queryset: another agency's account is a 404, not a leak.
    user = get_object_or_404(visible_users(request.user), pk=pk)
    return render(request, "accounts/user_detail.html", {"account": user})


@login_required
@recent_password_required()
def personal_data(request, pk: int):
    """The Ministry only: GET downloads the person's data as JSON; POST anonymises the account (where allowed)."""
    import json

    from jipp.accounts.personal_data import anonymise_person, export_person

    if not request.user.is_ministry:
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        try:
            anonymise_person(user=person, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The account was anonymised."))
        return redirect("accounts:user_detail", pk=person.pk)
    response = HttpResponse(
        json.dumps(export_person(person), indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@recent_password_required()
def user_toggle_active(request, pk: int):
    user = get_object_or_404(visible_users(request.user), pk=pk)
    try:
        set_account_active(changed_by=request.user, user=user, active=not user.is_active)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Account updated."))
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_GET
def search_people(request):
    """Type-ahead search of the accounts this user may list (Ministry: all; Admin Lokal: its agency's).

    `q` (name, username or email), optional `role` (comma-separated roles). 403 for anyone else.
    """
    if not request.user.has_perm("accounts.list_users"):
        raise PermissionDenied
    text = search_text(request)
    rows = User.objects.none()
    if text:
        rows = visible_users(request.user).filter(is_active=True).filter(
            Q(username__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )  # fmt: skip
        roles = [r for r in request.GET.get("role", "").split(",") if r in Role.values]
        if roles:
            rows = rows.filter(role__in=roles)
        rows = rows.order_by("first_name", "last_name", "username")[:MAX_RESULTS]

    def label(person):
        name = person.get_full_name()
        return f"{name} ({person.username})" if name else person.username

    def detail(person):
        return " · ".join(str(p) for p in (person.get_role_display(), person.affiliation or person.agency or "") if p)

    return typeahead_response(request, rows, label=label, detail=detail)


@login_required
@recent_password_required(when=lambda request: request.POST.get("action") != "revoke")  # revoking is always allowed
def api_tokens(request):
    """The user's own API tokens: make one (its key shown once), see when each was last used, revoke."""
    from jipp.accounts import tokens

    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            token_id = request.POST.get("token", "")
            if token_id.isdigit() and tokens.revoke_token(user=request.user, token_id=int(token_id)):
                messages.success(request, _("The token is revoked: it no longer works."))
            else:
                messages.error(request, _("No such active token."))
            return redirect("accounts:api_tokens")
        try:
            _token, new_key = tokens.issue_token(user=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:api_tokens")
    response = render(
        request,
        "accounts/api_tokens.html",
        {"tokens": request.user.api_tokens.all(), "new_key": new_key},
    )
    response["Cache-Control"] = "no-store"  # the new key must not stay in any cache
    return response
