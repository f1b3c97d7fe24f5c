"""Pages of the competition: editions, proposals (UPP -> Admin Lokal -> Ministry), screening, exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.accounts.models import Role
from jipp.competition import selectors, services
from jipp.competition.forms import (
    AttachmentForm,
    CopyEditionForm,
    DecisionForm,
    ProposalEditForm,
    ProposalStartForm,
    ReturnForm,
    section_max_chars,
)
from jipp.competition.models import (
    Edition,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ScreeningFlag,
    Stage,
)
from jipp.core.exports import export_response

SESSION_DRAFTS = "kipp_unsaved_drafts"


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------
# Editions
# ---------------------------------------------------------------------------------------


def edition_list(request):
    editions = selectors.editions_with_counts()
    if not request.user.has_perm("competition.manage_edition"):
        editions = editions.filter(is_published=True)
    return render(request, "competition/edition_list.html", {"editions": editions, "copy_form": CopyEditionForm()})


def edition_detail(request, year: int):
    edition = get_object_or_404(
        Edition.objects.prefetch_related(
            "stages", "categories", "groups__sections", "groups__required_attachments", "groups__rubric"
        ),
        year=year,
    )
    manager = request.user.has_perm("competition.manage_edition")
    if not edition.is_published and not manager:
        raise Http404
    agency = getattr(request.user, "agency", None) if request.user.is_authenticated else None
    stages = sorted(edition.stages.all(), key=lambda s: Stage.ORDER.index(s.kind))
    return render(
        request,
        "competition/edition_detail.html",
        {
            "edition": edition,
            "stages": stages,
            "manager": manager,
            "agency": agency,
            "deadline": selectors.deadline_for(edition, agency) if agency else None,
            "zone": agency.timezone if agency else timezone.get_current_timezone_name(),
            "now_utc": timezone.now(),
        },
    )


@login_required
@require_POST
def edition_copy(request, year: int):
    source = get_object_or_404(Edition, year=year)
    form = CopyEditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year of the new edition."))
        return redirect("competition:edition_list")
    try:
        edition = services.copy_edition(
            user=request.user, source=source, year=form.cleaned_data["year"], name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("competition:edition_list")
    messages.success(request, _("Edition %(year)d created from %(source)d; change it in the administration.")
                     % {"year": edition.year, "source": source.year})  # fmt: skip
    return redirect("competition:edition_detail", year=edition.year)


# ---------------------------------------------------------------------------------------
# Proposal lists
# ---------------------------------------------------------------------------------------


@login_required
def proposal_list(request):
    if not request.user.has_perm("competition.list_proposals"):
        raise PermissionDenied
    editions = list(Edition.objects.all())
    edition = _edition_from(request, editions)
    proposals = (
        selectors.visible_proposals(request.user)
        .filter(edition=edition)
        .prefetch_related(
            "group__sections",
            "group__required_attachments",
            "answers",
            "attachments__requirement",
            "sdgs",
            "categories",
            "source_innovations",
        )  # fmt: skip
        .order_by("group__order", "unit__name", "pk")
    )
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    rows = [(p, selectors.proposal_gaps(p)) for p in page]
    agency = request.user.agency if request.user.agency_id else None
    submission = selectors.submission_window(edition, agency, timezone.now()) if edition else None
    quotas = []
    if agency and edition:
        for group in edition.groups.all():
            quotas.append((group, selectors.forwarded_count(group, agency), selectors.quota_for(group, agency)))
    return render(
        request,
        "competition/proposal_list.html",
        {
            "edition": edition,
            "editions": editions,
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Proposal.Status.choices,
            "can_start": request.user.role == Role.UPP and submission is not None and not submission.is_closed,
            "submission": submission,
            "deadline": submission.deadline if agency and submission else None,
            "zone": agency.timezone if agency else timezone.get_current_timezone_name(),
            "quotas": quotas,
        },
    )


def _edition_from(request, editions: list[Edition]) -> Edition | None:
    wanted = request.GET.get("edition", "")
    for edition in editions:
        if str(edition.year) == wanted:
            return edition
    return selectors.current_edition()


# ---------------------------------------------------------------------------------------
# Writing a proposal
# ---------------------------------------------------------------------------------------


@login_required
def proposal_start(request):
    if request.user.role != Role.UPP or not request.user.unit_id:
        raise PermissionDenied
    edition = _edition_from(request, list(Edition.objects.filter(is_published=True)))
    if edition is None:
        raise Http404
    submission = selectors.submission_window(edition, request.user.agency, timezone.now())
    if submission.is_closed:
        # Say so before the form, not after the user has filled it in.
        context = {"form": None, "edition": edition, "submission": submission}
        return render(request, "competition/proposal_start.html", context)
    form = ProposalStartForm(request.POST or None, edition=edition, unit=request.user.unit)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.start_proposal(
                user=request.user,
                edition=edition,
                group=form.cleaned_data["group"],
                innovation=form.cleaned_data["innovation"],
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Draft created. It saves itself as you type."))
            return redirect("competition:proposal_edit", pk=proposal.pk)
    return render(
        request, "competition/proposal_start.html", {"form": form, "edition": edition, "submission": submission}
    )


def _detail_or_404(request, pk: int) -> Proposal:
    try:
        return selectors.proposal_for_detail(pk, request.user)
    except Proposal.DoesNotExist:
        raise Http404 from None


@login_required
def proposal_detail(request, pk: int):
    proposal = _detail_or_404(request, pk)
    user = request.user
    snapshot = getattr(proposal, "snapshot", None)
    flags = []
    if user.has_perm("competition.view_flags"):
        flags = list(proposal.flags.select_related("other_proposal__agency"))
    events = list(proposal.events.all())
    submission = selectors.submission_window(proposal.edition, proposal.agency, timezone.now())
    # After the deadline the services refuse to send or forward: offer neither, and say why.
    sendable = not submission.is_closed
    return render(
        request,
        "competition/proposal_detail.html",
        {
            "proposal": proposal,
            "snapshot": snapshot.data if snapshot else None,
            "gaps": selectors.proposal_gaps(proposal)
            if proposal.status in (*Proposal.EDITABLE, "with_admin_lokal")
            else [],
            "events": events,
            "timeline": _timeline(proposal, events),
            "flags": flags,
            "deadline": submission.deadline,
            "zone": proposal.agency.timezone,
            "return_form": ReturnForm(),
            "decision_form": DecisionForm(),
            "can": {
                "edit": user.has_perm("competition.change_proposal", proposal),
                "submit": sendable and user.has_perm("competition.submit_proposal", proposal),
                "forward": sendable and user.has_perm("competition.forward_proposal", proposal),
                "return": user.has_perm("competition.return_proposal", proposal),
                "decide": user.has_perm("competition.decide_proposal", proposal),
            },
            "answers": sorted(proposal.answers.all(), key=lambda a: a.section.order),
            "submission": submission,
        },
    )


TIMELINE = [
    (Proposal.Status.DRAFT, _("Draft")),
    (Proposal.Status.WITH_ADMIN_LOKAL, _("With the Admin Lokal")),
    (Proposal.Status.FORWARDED, _("Forwarded to the Ministry")),
    ("administration", _("Administrative selection")),
    (Proposal.Status.IN_EVALUATION, _("Desk evaluation")),
    (Proposal.Status.NOMINATED, _("Nomination")),
    (Proposal.Status.FINALIST, _("Finalists and presentations")),
    (Proposal.Status.WINNER, _("Winners")),
]


def _timeline(proposal: Proposal, events) -> list[dict]:
    """The proposal's path: done steps with their dates, the current one, and the steps still ahead."""
    step_of = {s: i for i, (s, _label) in enumerate(TIMELINE)}
    step_of.update({"returned": 0, "passed_administration": 3, "failed_administration": 3, "not_selected": 4,
                    "withdrawn": 0})  # fmt: skip
    current = step_of.get(proposal.status, 0)
    reached = {}
    for event in events:
        reached[step_of.get(event.status, 0)] = event
    items = []
    for i, (_key, label) in enumerate(TIMELINE):
        event = reached.get(i)
        if i == current:
            state = "is-current"
            label = proposal.get_status_display() if i in (0, 3) else label
        else:
            state = "is-done" if i < current else "is-upcoming"
        failed = proposal.status == "failed_administration"
        if failed and i > 3:
            continue
        items.append({"label": label, "state": state, "event": event if i <= current else None})
    return items


def _session_tokens(request) -> dict:
    return request.session.get(SESSION_DRAFTS, {})


# A browser that opened a proposal's edit page while logged in with the right to edit it carries a
# signed cookie naming that proposal. Only such a browser may leave text behind once its session has
# expired; any other anonymous POST writes nothing and gets the same answer whatever the id.
EDITOR_COOKIE = "kipp_editor"
EDITOR_COOKIE_SALT = "jipp.competition.editor"
EDITOR_COOKIE_MAX_AGE = 2 * 24 * 3600
EDITOR_COOKIE_KEEP = 20


def _editor_pks(request) -> list[int]:
    raw = request.get_signed_cookie(EDITOR_COOKIE, default="", salt=EDITOR_COOKIE_SALT, max_age=EDITOR_COOKIE_MAX_AGE)
    return [int(part) for part in raw.split(",") if part.isdigit()]


def _remember_editor(request, response, pk: int) -> None:
    pks = [pk] + [p for p in _editor_pks(request) if p != pk]
    response.set_signed_cookie(
        EDITOR_COOKIE,
        ",".join(str(p) for p in pks[:EDITOR_COOKIE_KEEP]),
        salt=EDITOR_COOKIE_SALT,
        max_age=EDITOR_COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _keep_posted_text(request, pk: int) -> bool:
    """The session expired mid-edit: keep what was posted for this browser; True if kept.

    Kept only for a browser that was editing this proposal (signed cookie), only the proposal's own
    fields, each capped; one copy per browser and proposal.
    """
    if pk not in _editor_pks(request):
        return False
    proposal = Proposal.objects.filter(pk=pk).select_related("group").first()
    if proposal is None or not proposal.is_editable:
        return False
    limits = {f"section_{s.key}": section_max_chars(s.max_words) for s in selectors.sections_of(proposal.group)}
    limits.update(title=250, video_url=200)
    data = {k: v[: limits[k]] for k, v in request.POST.items() if k in limits}
    tokens = _session_tokens(request)
    tokens[str(pk)] = services.keep_unsaved_draft(proposal=proposal, data=data, token=tokens.get(str(pk)))
    request.session[SESSION_DRAFTS] = tokens
    return True


def proposal_edit(request, pk: int):
    if not request.user.is_authenticated:
        if request.method == "POST" and _keep_posted_text(request, pk):
            messages.warning(request, _("Your session had expired. Your text is kept: log in again to restore it."))
        return redirect_to_login(reverse("competition:proposal_edit", args=[pk]))
    proposal = _detail_or_404(request, pk)
    if not request.user.has_perm("competition.change_proposal", proposal):
        messages.info(request, _("This proposal can no longer be edited here."))
        return redirect("competition:proposal_detail", pk=pk)
    sections = selectors.sections_of(proposal.group)
    tokens = _session_tokens(request)
    restored = None
    other = None
    if request.method == "POST":
        form = ProposalEditForm(request.POST, proposal=proposal, sections=sections)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_draft(
                    user=request.user,
                    proposal=proposal,
                    expected_version=data["version"],
                    answers=form.answers(),
                    title=data["title"],
                    video_url=data["video_url"],
                    categories=data["categories"],
                    sdgs=data["sdgs"],
                    source_innovations=data.get("source_innovations"),
                )
            except services.StaleProposalError as exc:
                other = _other_version(exc.current)
                # The user's text stays in the form; the next save is against the version now stored.
                posted = request.POST.copy()
                posted["version"] = str(exc.current.version)
                form = ProposalEditForm(posted, proposal=proposal, sections=sections)
                form.is_valid()
                form.add_error(None, _error_text(exc))
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _error_text(exc) if isinstance(exc, ValidationError) else str(exc))
            else:
                if str(pk) in tokens:
                    services.discard_unsaved_drafts(proposal=proposal, tokens=[tokens.pop(str(pk))])
                    request.session[SESSION_DRAFTS] = tokens
                messages.success(request, _("Proposal saved."))
                if "submit" in request.POST:
                    return redirect("competition:proposal_detail", pk=pk)
                response = redirect("competition:proposal_edit", pk=pk)
                _remember_editor(request, response, pk)
                return response
    else:
        initial = {
            "version": proposal.version,
            "title": proposal.title,
            "video_url": proposal.video_url,
            "categories": list(proposal.categories.all()),
            "sdgs": list(proposal.sdgs.all()),
            "source_innovations": list(proposal.source_innovations.all()),
        }
        for answer in proposal.answers.all():
            initial[f"section_{answer.section.key}"] = answer.text
        if str(pk) in tokens:
            restored = services.claim_unsaved_draft(user=request.user, proposal=proposal, tokens=[tokens[str(pk)]])
            if restored is not None:
                initial.update({k: v for k, v in restored.data.items() if k.startswith("section_")
                                or k in ("title", "video_url")})  # fmt: skip
        form = ProposalEditForm(initial=initial, proposal=proposal, sections=sections)
    response = render(
        request,
        "competition/proposal_form.html",
        {
            "proposal": proposal,
            "form": form,
            "restored": restored,
            "other": other,
            "gaps": selectors.proposal_gaps(proposal),
            "attachment_form": AttachmentForm(proposal=proposal),
            "requirements": list(proposal.group.required_attachments.all()),
            "attached": {a.requirement_id: a for a in proposal.attachments.all()},
            "deadline": selectors.deadline_for(proposal.edition, proposal.agency),
            "zone": proposal.agency.timezone,
        },
    )
    _remember_editor(request, response, pk)
    return response


def _other_version(current: Proposal) -> dict:
    answers = ProposalAnswer.objects.filter(proposal=current).select_related("section")
    return {
        "version": current.version,
        "by": current.last_saved_by,
        "at": current.updated_at,
        "title": current.title,
        "answers": {f"section_{a.section.key}": a.text for a in answers},
    }


def proposal_autosave(request, pk: int):
    """htmx: save the draft a moment after typing stops; answers with a small status fragment (always 200)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    context = {"proposal_pk": pk}
    if not request.user.is_authenticated:
        context["state"] = "expired" if _keep_posted_text(request, pk) else "login"
        context["login_url"] = f"{reverse('accounts:login')}?next={reverse('competition:proposal_edit', args=[pk])}"
        return render(request, "competition/_autosave.html", context)
    proposal = selectors.visible_proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    form = ProposalEditForm(request.POST, proposal=proposal, sections=selectors.sections_of(proposal.group))
    valid = form.is_valid()
    data = form.cleaned_data
    if "version" not in data:
        context.update(state="invalid", errors=form.errors)
        return render(request, "competition/_autosave.html", context)
    # Keep what can be kept: the answers are plain text and always valid; a field with an error (say a
    # malformed video link) is left as it was until the user corrects it.
    try:
        saved = services.save_draft(
            user=request.user, proposal=proposal, expected_version=data["version"], answers=form.answers(),
            title=data.get("title"), video_url=data.get("video_url"), categories=data.get("categories"),
            sdgs=data.get("sdgs"), source_innovations=data.get("source_innovations"),
        )  # fmt: skip
    except services.StaleProposalError as exc:
        context.update(state="stale", message=_error_text(exc))
    except PermissionDenied:
        context.update(state="locked")
    except ValidationError as exc:
        context.update(state="invalid", message=_error_text(exc))
    else:
        context.update(state="saved", version=saved.version, at=timezone.now(), zone=proposal.agency.timezone)
        if not valid:
            context.update(partial=True, errors=form.errors)
    return render(request, "competition/_autosave.html", context)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    proposal = _detail_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES, proposal=proposal)
    if form.is_valid():
        try:
            services.add_attachment(
                user=request.user,
                proposal=proposal,
                requirement=form.cleaned_data["requirement"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('competition:proposal_edit', args=[pk])}#attachments")


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    proposal = _detail_or_404(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    try:
        services.remove_attachment(user=request.user, attachment=attachment)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('competition:proposal_edit', args=[pk])}#attachments")


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    proposal = _detail_or_404(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------
# Submission steps and decisions
# ---------------------------------------------------------------------------------------


def _step(request, pk: int, action, success: str):
    proposal = _detail_or_404(request, pk)
    try:
        action(proposal)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot do this with this proposal."))
    else:
        messages.success(request, success)
    return redirect("competition:proposal_detail", pk=pk)


@login_required
@require_POST
def proposal_submit(request, pk: int):
    return _step(request, pk, lambda p: services.submit_to_admin_lokal(user=request.user, proposal=p),
                 _("Sent to your Admin Lokal."))  # fmt: skip


@login_required
@require_POST
def proposal_forward(request, pk: int):
    return _step(request, pk, lambda p: services.forward_proposal(user=request.user, proposal=p),
                 _("Forwarded to the Ministry. The submitted version is frozen."))  # fmt: skip


@login_required
@require_POST
def proposal_return(request, pk: int):
    note = request.POST.get("note", "")
    return _step(request, pk, lambda p: services.return_to_unit(user=request.user, proposal=p, note=note),
                 _("Returned to the unit."))  # fmt: skip


@login_required
@require_POST
def proposal_decide(request, pk: int):
    form = DecisionForm(request.POST)
    outcome = request.POST.get("outcome", "")
    reason = request.POST.get("reason", "")
    if not form.is_valid():
        messages.error(request, _("Choose pass or fail and give the reason."))
        return redirect("competition:proposal_detail", pk=pk)
    return _step(request, pk, lambda p: services.decide(user=request.user, proposal=p, outcome=outcome,
                                                        reason=reason), _("Decision saved."))  # fmt: skip


@login_required
def proposal_pdf(request, pk: int):
    from weasyprint import HTML

    proposal = _detail_or_404(request, pk)
    snapshot = getattr(proposal, "snapshot", None)
    data = snapshot.data if snapshot else services.build_snapshot(proposal)
    html = render_to_string(
        "competition/proposal_pdf.html",
        {"proposal": proposal, "data": data, "snapshot": snapshot, "zone": proposal.agency.timezone},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kipp-{proposal.edition.year}-{proposal.pk}.pdf"'
    return response


# ---------------------------------------------------------------------------------------
# Administrative selection (the secretariat)
# ---------------------------------------------------------------------------------------


@login_required
def screening(request, year: int):
    if not request.user.has_perm("competition.screen_edition"):
        raise PermissionDenied
    edition = get_object_or_404(Edition, year=year)
    filters = {k: request.GET.get(k, "").strip() for k in ("status", "group", "flag", "q")}
    proposals = selectors.screening_queryset(
        edition, status=filters["status"], group=filters["group"], flag=filters["flag"], query=filters["q"]
    )
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competition/screening.html",
        {
            "edition": edition,
            "page": page,
            "filters": filters,
            "run": selectors.latest_run(edition),
            "summary": selectors.flag_summary(edition),
            "flag_kinds": ScreeningFlag.Kind.choices,
            "statuses": [(s, Proposal.Status(s).label) for s in Proposal.SUBMITTED[:3]],
            "groups": edition.groups.all(),
        },
    )


@login_required
def screening_progress(request, year: int):
    if not request.user.has_perm("competition.screen_edition"):
        raise PermissionDenied
    edition = get_object_or_404(Edition, year=year)
    return render(request, "competition/_screening_progress.html", {"run": selectors.latest_run(edition),
                                                                     "edition": edition})  # fmt: skip


@login_required
@require_POST
def screening_start(request, year: int):
    edition = get_object_or_404(Edition, year=year)
    try:
        services.start_screening(user=request.user, edition=edition)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied as exc:
        raise PermissionDenied from exc
    else:
        messages.success(request, _("The screening has started; this page shows its progress."))
    return redirect("competition:screening", year=year)


@login_required
@require_POST
def screening_bulk_pass(request, year: int):
    if not request.user.has_perm("competition.screen_edition"):
        raise PermissionDenied
    edition = get_object_or_404(Edition, year=year)
    ids = [int(i) for i in request.POST.getlist("proposal") if i.isdigit()]
    reason = request.POST.get("reason", "").strip() or _("Administratively complete; no findings.")
    proposals = Proposal.objects.filter(edition=edition, pk__in=ids).select_related("edition", "unit", "agency")
    passed, skipped = services.bulk_pass(user=request.user, proposals=proposals, reason=reason)
    messages.success(request, _("%(n)d proposals passed.") % {"n": passed})
    if skipped:
        messages.warning(
            request,
            _("%(n)d proposals were skipped: they have flags, are not screened yet or were already decided.")
            % {"n": len(skipped)},
        )
    return redirect(f"{reverse('competition:screening', args=[year])}?{request.GET.urlencode()}")


@login_required
def flag_detail(request, pk: int):
    if not request.user.has_perm("competition.view_flags"):
        raise PermissionDenied
    flag = get_object_or_404(ScreeningFlag.objects.select_related("proposal__agency", "other_proposal__agency"), pk=pk)
    return render(request, "competition/flag_detail.html", {"flag": flag, "proposal": flag.proposal})


# ---------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("id", _("ID")),
    ("group", _("Group")),
    ("title", _("Title")),
    ("agency", _("Agency")),
    ("unit", _("Service unit")),
    ("status", _("Status")),
    ("flags", _("Flags")),
    ("flag_kinds", _("Checks flagged")),
    ("forwarded", _("Forwarded (UTC)")),
    ("reason", _("Reason for the decision")),
]


def _export_rows(request, year: int):
    edition = get_object_or_404(Edition, year=year)
    proposals = (
        selectors.visible_proposals(request.user)
        .filter(edition=edition)
        .prefetch_related(Prefetch("flags", queryset=ScreeningFlag.objects.only("id", "proposal_id", "kind")))
        .order_by("agency__name", "pk")
    )
    show_flags = request.user.has_perm("competition.view_flags")
    for p in proposals.iterator(chunk_size=500):
        kinds = sorted({f.get_kind_display() for f in p.flags.all()}) if show_flags else []
        yield [
            p.pk, p.group.name, p.title, p.agency.name, p.unit.name, p.get_status_display(),
            p.flag_count if show_flags else "", "; ".join(kinds),
            p.forwarded_at.strftime("%Y-%m-%d %H:%M") if p.forwarded_at else "", p.decision_reason,
        ]  # fmt: skip


@login_required
def export(request, year: int, fmt: str):
    if not request.user.has_perm("competition.list_proposals"):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    return export_response(fmt, _export_rows(request, year), header, f"kipp-{year}-proposals")
