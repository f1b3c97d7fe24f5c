"""Pages of the evaluation: the secretariat's stages, the evaluator's reviews, the panel, the public pages."""

from __future__ import annotations

import secrets
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jipp.competition.evaluation import forms, selectors, services
from jipp.competition.evaluation.models import (
    Assignment,
    AssignmentRun,
    EvaluationSettings,
    Finalist,
    Member,
    Method,
    Nomination,
    Objection,
    PanelScore,
    ResultChange,
    ResultsRevision,
    Review,
    Slot,
    Winner,
)
from jipp.competition.evaluation.permissions import requires
from jipp.competition.evaluation.places import place_for
from jipp.competition.evaluation.templatetags.evaluation_tags import shown
from jipp.competition.models import Edition, Group, Proposal, ProposalAttachment, RubricCriterion
from jipp.core.ratelimit import client_address
from jipp.core.reauth import recent_password_required
from jipp.registry import selectors as registry_selectors


def _edition(request, year: int) -> Edition:
    return place_for(request, year).edition


def _url(request, name: str, *args) -> str:
    """A page of the request's edition, in the URL space it was opened in (KIPP's or its organiser's)."""
    return request.edition_place.url(name, *args)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------
# Secretariat: overview and settings
# ---------------------------------------------------------------------------------------


@requires("evaluation.view_ranking", on=None)
def index(request):
    """The latest edition's evaluation: the overview for the secretariat, the nomination for the panel."""
    edition = Edition.objects.order_by("-year").first()
    if edition is None:
        raise Http404
    if request.user.has_perm("evaluation.manage_assignments", edition):
        return redirect("evaluation:overview", year=edition.year)
    return redirect("evaluation:nomination", year=edition.year)


@requires("evaluation.manage_assignments")
def overview(request, year: int):
    edition = request.edition
    rules = services.settings_for(edition)
    form = forms.SettingsForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.update_settings(user=request.user, edition=edition, data=data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Settings saved."))
            return redirect(_url(request, "overview"))
    context = {
        "edition": edition,
        "rules": rules,
        "form": form,
        "progress": selectors.overall_progress(edition),
        "team": [
            (Member.Kind(row["kind"]).label, row["n"])
            for row in Member.objects.filter(edition=edition).values("kind").annotate(n=Count("pk")).order_by("kind")
        ],
        "finalists": Finalist.objects.filter(edition=edition).count(),
        "objections": Objection.objects.filter(edition=edition, status=Objection.Status.OPEN).count(),
        "winners": Winner.objects.current().filter(edition=edition).count(),
        "changes": ResultChange.objects.filter(edition=edition).select_related("changed_by")[:20],
    }
    return render(request, "evaluation/overview.html", context)


@requires("evaluation.manage_team")
def team(request, year: int):
    edition = request.edition
    invite = forms.InviteForm(request.POST if request.POST.get("action") == "invite" else None, prefix="invite")
    add = forms.AddMemberForm(request.POST if request.POST.get("action") == "add" else None, prefix="add")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "invite" and invite.is_valid():
                d = invite.cleaned_data
                services.invite_member(
                    user=request.user, edition=edition, kind=d["kind"], username=d["username"], email=d["email"],
                    full_name=d["full_name"], affiliation=d["affiliation"], home_province=d["home_province"],
                    expertise=d["expertise"], capacity=d["capacity"],
                )  # fmt: skip
                messages.success(request, _("Invitation sent."))
                return redirect(_url(request, "team"))
            if request.POST.get("action") == "add" and add.is_valid():
                services.add_member(
                    user=request.user,
                    edition=edition,
                    account=add.cleaned_data["account"],
                    kind=add.cleaned_data["kind"],
                )
                messages.success(request, _("Added to the team."))
                return redirect(_url(request, "team"))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    members = (
        Member.objects.filter(edition=edition)
        .select_related("user__home_province")
        .prefetch_related("expertise", "conflict_agencies", "conflict_regions")
        .order_by("kind", "user__username")
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/team.html", {"edition": edition, "page": page, "invite": invite, "add": add})


@login_required
def declarations(request, year: int | None = None, edition_pk: int | None = None):
    """A member declares their conflicts of interest for the edition (KIPP's by year; any edition, e.g. a
    hub's provincial one, by its number: only its members reach the page)."""
    edition = get_object_or_404(Edition.all_editions, pk=edition_pk) if edition_pk else _edition(request, year)
    member = get_object_or_404(Member, edition=edition, user=request.user)
    form_class = forms.AvailabilityForm if member.kind == Member.Kind.PANELIST else forms.DeclarationForm
    form = form_class(
        request.POST or None,
        initial={
            "conflict_agencies": member.conflict_agencies.all(),
            "conflict_regions": member.conflict_regions.all(),
            "available_days": ", ".join(member.available_days or []),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_declarations(user=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Your declaration is saved."))
        return redirect("evaluation:panel" if member.kind == Member.Kind.PANELIST else "evaluation:my_reviews")
    return render(request, "evaluation/declarations.html", {"edition": edition, "form": form, "member": member})


# ---------------------------------------------------------------------------------------
# Secretariat: assignment
# ---------------------------------------------------------------------------------------


@requires("evaluation.manage_assignments")
def assignments(request, year: int):
    edition = request.edition
    qs = (
        Assignment.objects.filter(edition=edition)
        .select_related("proposal", "evaluator", "review")
        .order_by("proposal_id", "evaluator__username")
    )
    query = request.GET.get("q", "").strip()
    if query.isdigit():
        qs = qs.filter(proposal_id=int(query))
    elif query:
        qs = qs.filter(Q(proposal__title__icontains=query) | Q(evaluator__username__icontains=query))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    # Conflicts declared after the assignment (or rules changed since) are shown so they can be reassigned.
    rows = list(Proposal.objects.filter(pk__in={a.proposal_id for a in page}).values(*services.PROPOSAL_FIELDS))
    evaluator_ids = {a.evaluator_id for a in page}
    page_members = [m for m in services.member_rows(edition, Member.Kind.EVALUATOR) if m.user_id in evaluator_ids]
    conflicts = services.conflict_index(edition, rows, page_members).pairs
    for a in page:
        a.in_conflict = (a.proposal_id, a.evaluator_id) in conflicts
    context = {
        "edition": edition,
        "run": AssignmentRun.objects.filter(edition=edition).first(),
        "task": services.assignment_task_run(edition),
        "progress": selectors.overall_progress(edition),
        "evaluators": selectors.progress_by_evaluator(edition),
        "members": selectors.evaluators(edition).order_by("user__username"),
        "page": page,
        "query": query,
        "import_form": forms.ImportForm(),
    }
    return render(request, "evaluation/assignments.html", context)


@requires("evaluation.manage_assignments")
def assignment_run_status(request, year: int):
    edition = request.edition
    run = AssignmentRun.objects.filter(edition=edition).first()
    task = services.assignment_task_run(edition)
    return render(request, "evaluation/_run.html", {"run": run, "task": task, "edition": edition})


@requires("evaluation.manage_assignments")
@require_POST
def assignment_start(request, year: int):
    edition = request.edition
    try:
        services.start_assignment(user=request.user, edition=edition)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The assignment is running in the background."))
    return redirect(_url(request, "assignments"))


@requires("evaluation.manage_assignments")
@require_POST
def reassign(request, year: int, pk: int):
    edition = request.edition
    assignment = get_object_or_404(Assignment.objects.select_related("proposal", "evaluator"), pk=pk, edition=edition)
    member = Member.objects.filter(edition=edition, pk=request.POST.get("member") or 0).select_related("user").first()
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = -1
    if member is None:
        messages.error(request, _("Choose an evaluator."))
    else:
        try:
            services.reassign(
                user=request.user, assignment=assignment, evaluator=member.user, expected_version=expected
            )
        except services.StaleAssignmentError as exc:
            messages.error(request, _errors(exc))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Reassigned."))
    return redirect(f"{_url(request, 'assignments')}?q={assignment.proposal_id}")


def _file_stem(edition: Edition) -> str:
    """Downloads are named after their edition: "kipp-2026" for KIPP, the edition's name for a hub's."""
    if edition.level == Edition.Level.NATIONAL:
        return f"kipp-{edition.year}"
    stem = slugify(edition.name) or f"edition-{edition.pk}"
    return stem if str(edition.year) in stem else f"{stem}-{edition.year}"


@requires("evaluation.manage_assignments")
def assignments_csv(request, year: int):
    edition = request.edition
    response = HttpResponse(services.export_assignments_csv(edition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(edition)}-assignments.csv"'
    return response


@requires("evaluation.manage_assignments")
@require_POST
def assignments_import(request, year: int):
    edition = request.edition
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file."))
        return redirect(_url(request, "assignments"))
    try:
        text = form.cleaned_data["file"].read().decode("utf-8-sig")
        changed = services.import_assignments_csv(user=request.user, edition=edition, text=text)
    except UnicodeDecodeError:
        messages.error(request, _("The file is not UTF-8 text."))
    except ValidationError as exc:
        messages.error(request, _("Nothing was imported: %(errors)s") % {"errors": _errors(exc)})
    else:
        messages.success(request, _("Imported: %(n)d changes.") % {"n": changed})
    return redirect(_url(request, "assignments"))


@requires("evaluation.manage_assignments")
@require_POST
def reminders(request, year: int):
    edition = request.edition
    count = services.send_reminders(user=request.user, edition=edition)
    messages.success(request, _("Reminders sent to %(n)d evaluators.") % {"n": count})
    return redirect(_url(request, "assignments"))


@requires("evaluation.manage_assignments")
@require_POST
def review_reopen(request, year: int, pk: int):
    edition = request.edition
    review = get_object_or_404(Review, pk=pk, edition=edition)
    try:
        services.reopen_review(user=request.user, review=review, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The review is reopened."))
    return redirect(f"{_url(request, 'assignments')}?q={review.proposal_id}")


# ---------------------------------------------------------------------------------------
# Evaluators
# ---------------------------------------------------------------------------------------


@requires("evaluation.my_reviews", on=None)
def my_reviews(request):
    items = list(selectors.my_assignments(request.user))
    done = sum(1 for a in items if getattr(a, "review", None) and a.review.status == Review.Status.SUBMITTED)
    memberships = Member.objects.filter(user=request.user).select_related("edition")
    return render(
        request,
        "evaluation/my_reviews.html",
        {"assignments": items, "done": done, "total": len(items), "memberships": memberships},
    )


def _assignment_for(request, pk: int, **_kwargs) -> Assignment:
    """The assignment named in the URL, with what the review page shows (the rule is checked by `requires`)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "edition__evaluation_settings", "proposal__group", "proposal__agency__region", "proposal__unit",
            "proposal__province", "proposal__created_by", "proposal__last_saved_by", "proposal__forwarded_by",
            "proposal__snapshot", "proposal__innovation",
        ),
        pk=pk,
    )  # fmt: skip
    edition = assignment.edition
    if assignment.proposal.edition_id == edition.pk:
        assignment.proposal.edition = edition  # the blind code reads the year: no second query
    # The edition's settings, read once for this request by the rule's conflict check and the view.
    try:
        assignment.edition_rules = edition.evaluation_settings
    except EvaluationSettings.DoesNotExist:
        assignment.edition_rules = services.settings_for(edition)
    return assignment


review_required = requires("evaluation.review", on=_assignment_for)  # the rule includes the conflict check


@review_required
def review(request, pk: int):
    assignment = request.permission_object
    edition, proposal = assignment.edition, assignment.proposal
    rules = assignment.edition_rules
    criteria = services.rubric_of(proposal.group)
    existing = Review.objects.filter(assignment=assignment).first()
    locked = existing is not None and existing.status == Review.Status.SUBMITTED
    form = forms.ReviewForm(
        request.POST or None, criteria=criteria, review=existing, locked=locked, blind=rules.blind_desk,
        require_comments=rules.require_comments,
    )  # fmt: skip
    status = 200
    if request.method == "POST" and not locked:
        scores, comments = form.typed()
        submit = request.POST.get("action") == "submit"
        try:
            saved = services.save_review(
                user=request.user, assignment=assignment, scores=scores, comments=comments, submit=submit,
                blind_declared=request.POST.get("blind_declared") == "on",
            )  # fmt: skip
        except services.ReviewError as exc:
            form.is_valid()
            for key, message in exc.field_errors.items():
                form.add_error(key if key in form.fields else None, message)
            status = 400
            messages.error(request, _("Not submitted: correct what is marked below. Your text is kept."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            status = 400
        else:
            if saved.status == Review.Status.SUBMITTED:
                messages.success(request, _("Review submitted. Total: %(t)s") % {"t": shown(saved.total)})
            else:
                messages.success(request, _("Draft saved."))
            return redirect("evaluation:review", pk=pk)
    context = {
        "assignment": assignment,
        "edition": edition,
        "proposal": selectors.proposal_view(
            proposal,
            blind=rules.blind_desk,
            show_innovation_link=not rules.hide_innovation_link or rules.results_published_at is not None,
        ),
        "form": form,
        "review": existing,
        "locked": locked,
        "breakdown": selectors.review_breakdown(existing, criteria) if locked else None,
    }
    return render(request, "evaluation/review.html", context, status=status)


@review_required
@require_POST
def review_autosave(request, pk: int):
    """Saves the draft while the evaluator types (htmx); answers with a one-line status."""
    assignment = request.permission_object
    criteria = services.rubric_of(assignment.proposal.group)
    form = forms.ReviewForm(request.POST, criteria=criteria)
    scores, comments = form.typed()
    try:
        services.save_review(user=request.user, assignment=assignment, scores=scores, comments=comments, submit=False)
    except services.ReviewError as exc:
        text = _("Draft saved, except: %(errors)s") % {"errors": " ".join(exc.field_errors.values())}
        return HttpResponse(f'<span class="text-warning">{escape(text)}</span>')
    except ValidationError as exc:
        return HttpResponse(f'<span class="text-danger" role="alert">{escape(_errors(exc))}</span>')
    text = _("Draft saved automatically at %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")}
    return HttpResponse(f'<span class="text-success">{escape(text)}</span>')


@review_required
def review_attachment(request, pk: int, index: int):
    """An attachment of an assigned proposal, under a neutral name in blind mode."""
    assignment = request.permission_object
    rules = assignment.edition_rules
    view = selectors.proposal_view(assignment.proposal, blind=rules.blind_desk)  # neutral file names when blind
    attachments = list(
        ProposalAttachment.objects.filter(proposal=assignment.proposal)
        .select_related("requirement")
        .order_by("requirement__order", "pk")
    )
    if not 0 <= index < len(attachments) or index >= len(view["attachments"]):
        raise Http404
    item = attachments[index]
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=view["attachments"][index]["name"],
                        content_type=item.content_type)  # fmt: skip


# ---------------------------------------------------------------------------------------
# Ranking and explanation
# ---------------------------------------------------------------------------------------


@requires("evaluation.view_ranking")
def ranking(request, year: int):
    edition = request.edition
    rules = services.settings_for(edition)
    show = request.GET.get("show", "")
    group = request.GET.get("group", "")
    found = selectors.ranking_page(
        edition, page=request.GET.get("page"), per_page=50, group=group, disagreement=show == "disagreement"
    )
    page = found["page"]
    for r in page.object_list:  # one cell per method, ready to show (fewer lookups in the template)
        r["cells"] = [
            {"deciding": m == rules.deciding_method, "value": r["scores"].get(m, ""), "rank": r["ranks"].get(m, "")}
            for m in selectors.METHODS
        ]
    context = {
        "edition": edition,
        "rules": rules,
        "page": page,
        "offset": (page.number - 1) * 50,
        "methods": selectors.METHODS,
        "method_labels": dict(rules._meta.get_field("deciding_method").choices),
        "show": show,
        "group": group,
        "total": found["total"],
        "flagged": found["flagged"],
        "incomplete": found["incomplete"],
        "group_labels": dict(Group.Kind.choices),
    }
    return render(request, "evaluation/ranking.html", context)


@requires("evaluation.view_ranking")
def explain(request, year: int, pk: int):
    edition = request.edition
    proposal = get_object_or_404(Proposal.objects.select_related("group", "agency"), pk=pk, edition=edition)
    data = selectors.explain(edition, proposal)
    finalist = Finalist.objects.filter(proposal=proposal).first()
    rules = services.settings_for(edition)
    labels = {
        **dict(Method.choices),
        "std": _("Standard deviation"),
        "spread": _("Spread"),
        "z": _("Standard scores"),
    }
    rule_labels = {
        "own": _("on their own reviews"),
        "pooled": _("with the pool of evaluators who have too few reviews"),
    }
    context = {
        "edition": edition,
        "proposal": proposal,
        "rules": rules,
        "finalist": finalist,
        "labels": labels,
        "rule_labels": rule_labels,
        **data,
    }
    if finalist:
        context["panel_scores"] = PanelScore.objects.filter(finalist=finalist).select_related("panelist")
    return render(request, "evaluation/explain.html", context)


@requires("evaluation.manage_assignments")
@require_POST
def extra_review(request, year: int, pk: int):
    edition = request.edition
    proposal = get_object_or_404(Proposal, pk=pk, edition=edition)
    try:
        assignment = services.add_extra_review(user=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("An extra review was given to %(name)s.")
            % {"name": assignment.evaluator.get_full_name() or assignment.evaluator.username},
        )
    return redirect(_url(request, "explain", pk))


# ---------------------------------------------------------------------------------------
# Nomination
# ---------------------------------------------------------------------------------------


@requires("evaluation.view_ranking")
def nomination(request, year: int):
    edition = request.edition
    latest = Nomination.objects.filter(edition=edition).first()
    form = forms.ConfirmNominationForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "run":
        try:
            services.run_nomination(
                user=request.user,
                edition=edition,
                only_complete=request.POST.get("only_complete") == "on",
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Nomination computed."))
            return redirect(_url(request, "nomination"))
        form = forms.ConfirmNominationForm()
    elif request.method == "POST" and latest and form.is_valid():
        try:
            services.confirm_nomination(
                user=request.user, nomination=latest, add=form.cleaned_data["add"], remove=form.cleaned_data["remove"],
                plenary_record=form.cleaned_data["plenary_record"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The panel's decision is recorded."))
            return redirect(_url(request, "nomination"))
    titles = {}
    if latest:
        ids = set(latest.chosen) | {s["id"] for s in latest.swaps.get("in", []) + latest.swaps.get("out", [])}
        titles = dict(Proposal.objects.filter(pk__in=ids).values_list("pk", "title"))
    context = {
        "edition": edition,
        "nomination": latest,
        "form": form,
        "titles": titles,
        "rules": services.settings_for(edition),
        "finalists": selectors.public_finalists(edition),
    }
    return render(request, "evaluation/nomination.html", context)


# ---------------------------------------------------------------------------------------
# Public scrutiny
# ---------------------------------------------------------------------------------------


def _client_key(request) -> str:
    # The client's address as seen behind our proxies (settings.TRUSTED_PROXY_COUNT), never the
    # User-Agent: a client rotates that at will (issue #14, finding 6).
    return services.client_key(client_address(request), "")


def _question(request) -> tuple[int, int]:
    """The anti-spam sum, kept in the session between showing the form and posting it."""
    stored = request.session.get("kipp_objection_question")
    if request.method == "POST" and stored:
        return int(stored[0]), int(stored[1])
    pair = (2 + secrets.randbelow(8), 1 + secrets.randbelow(9))
    request.session["kipp_objection_question"] = list(pair)
    return pair


def public_finalists(request, year: int):
    edition = _edition(request, year)
    rules = services.settings_for(edition)
    if not rules.finalists_published_at:
        raise Http404
    finalists = selectors.public_finalists(edition).filter(status=Finalist.Status.ACTIVE)
    now = timezone.now()
    is_open = rules.scrutiny_closes_at and rules.finalists_published_at <= now <= rules.scrutiny_closes_at
    # A question is answered once: a POST whose session holds no open question is refused (replays).
    unasked = request.method == "POST" and not request.session.get("kipp_objection_question")
    question = _question(request)
    form = forms.ObjectionForm(
        request.POST or None, request.FILES or None, finalists=finalists, question=question,
        initial={"finalist": request.GET.get("finalist")},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("The public scrutiny is not open."))
            status = 400
        elif unasked:
            messages.error(request, _("The anti-spam question has expired: answer the new one below."))
            status = 400
        elif form.is_valid():
            d = form.cleaned_data
            try:
                services.file_objection(
                    edition=edition, finalist=d["finalist"], name=d["name"], contact=d["contact"],
                    grounds=d["grounds"], file=d.get("file"), key=_client_key(request),
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, _errors(exc))
                status = 400
            else:
                request.session.pop("kipp_objection_question", None)
                messages.success(request, _("Thank you: your objection is recorded and will be examined."))
                return redirect(_url(request, "public_finalists"))
        else:
            status = 400
    context = {"edition": edition, "rules": rules, "finalists": finalists, "form": form, "is_open": is_open}
    return render(request, "evaluation/public_finalists.html", context, status=status)


@requires("evaluation.manage_results")
def scrutiny(request, year: int):
    edition = request.edition
    rules = services.settings_for(edition)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish_finalists(user=request.user, edition=edition)
                messages.success(request, _("The finalists are published; the public scrutiny is open."))
            elif action == "resolve":
                objection = get_object_or_404(Objection, pk=request.POST.get("objection") or 0, edition=edition)
                form = forms.ResolveForm(request.POST, prefix=f"o{objection.pk}")
                if form.is_valid():
                    services.resolve_objection(user=request.user, objection=objection, **form.cleaned_data)
                    messages.success(request, _("The resolution is recorded."))
                else:
                    messages.error(request, _("Choose a decision and write the resolution."))
            elif action == "outcome":
                services.publish_scrutiny_outcome(
                    user=request.user, edition=edition, outcome=request.POST.get("outcome", "")
                )
                messages.success(request, _("The outcome is published."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(_url(request, "scrutiny"))
    objections = Objection.objects.filter(edition=edition).select_related("finalist__proposal", "resolved_by")
    rows = [(o, forms.ResolveForm(prefix=f"o{o.pk}")) for o in objections]
    context = {
        "edition": edition,
        "rules": rules,
        "rows": rows,
        "outcome_form": forms.OutcomeForm(initial={"outcome": rules.scrutiny_outcome}),
        "finalist_count": Finalist.objects.filter(edition=edition).count(),
    }
    return render(request, "evaluation/scrutiny.html", context)


@requires("evaluation.manage_results")
def objection_file(request, year: int, pk: int):
    edition = request.edition
    objection = get_object_or_404(Objection, pk=pk, edition=edition)
    if not objection.file:
        raise Http404
    return FileResponse(objection.file.open("rb"), as_attachment=True, filename=objection.file.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------------------------------
# Presentations, verification, results
# ---------------------------------------------------------------------------------------


@requires("evaluation.manage_results")
def presentations(request, year: int):
    edition = request.edition
    form = forms.ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            slots = services.build_schedule(
                user=request.user, edition=edition, days=d["days"], rooms=d["rooms"], day_start=d["day_start"],
                tz=zoneinfo.ZoneInfo("Asia/Jakarta"), link_base=d["link_base"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("%(n)d slots scheduled.") % {"n": len(slots)})
            return redirect(_url(request, "presentations"))
    slots = (
        Slot.objects.filter(edition=edition)
        .select_related("finalist__proposal")
        .prefetch_related("panelists")
        .annotate(scored=Count("finalist__panel_scores"))
        .order_by("starts_at", "room")
    )
    page = Paginator(slots, 40).get_page(request.GET.get("page"))
    return render(request, "evaluation/presentations.html", {"edition": edition, "form": form, "page": page})


@requires("evaluation.score_panel", on=None)
def panel(request):
    slots = (
        Slot.objects.filter(panelists=request.user)
        .select_related("finalist__proposal__group", "edition")
        .prefetch_related(Prefetch("finalist__panel_scores", queryset=PanelScore.objects.filter(panelist=request.user)))
        .order_by("starts_at")
    )
    memberships = Member.objects.filter(user=request.user).select_related("edition")
    return render(request, "evaluation/panel.html", {"slots": slots, "memberships": memberships})


def _slot_for(request, pk: int) -> Slot:
    return get_object_or_404(Slot.objects.select_related("finalist__proposal__group", "edition"), finalist_id=pk)


@requires("evaluation.score_slot", on=_slot_for)
def panel_score(request, pk: int):
    slot = request.permission_object
    finalist = slot.finalist
    existing = PanelScore.objects.filter(finalist=finalist, panelist=request.user).first()
    initial = (
        {"presentation": existing.presentation, "interview": existing.interview, "comment": existing.comment}
        if existing
        else {}
    )
    form = forms.PanelScoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_presentation(user=request.user, finalist=finalist, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Scores saved."))
            return redirect("evaluation:panel")
    rules = services.settings_for(slot.edition)
    view = selectors.proposal_view(finalist.proposal, blind=rules.blind_panel)
    return render(
        request, "evaluation/panel_score.html", {"slot": slot, "form": form, "proposal": view, "rules": rules}
    )


@requires("evaluation.manage_results")
def verification(request, year: int):
    edition = request.edition
    finalists = selectors.public_finalists(edition).filter(status=Finalist.Status.ACTIVE)
    if request.method == "POST":
        finalist = get_object_or_404(Finalist, pk=request.POST.get("finalist") or 0, edition=edition)
        form = forms.VerificationForm(request.POST, prefix=f"f{finalist.pk}")
        if form.is_valid():
            try:
                services.verify(user=request.user, finalist=finalist, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("Verification recorded."))
        else:
            messages.error(request, _("Choose pass or fail and write the notes."))
        return redirect(_url(request, "verification"))
    page = Paginator(finalists, 30).get_page(request.GET.get("page"))
    rows = [(f, forms.VerificationForm(prefix=f"f{f.pk}")) for f in page]
    return render(request, "evaluation/verification.html", {"edition": edition, "page": page, "rows": rows})


@requires("evaluation.manage_results")
@recent_password_required(when=lambda request: request.POST.get("action") in ("publish", "revise"))
def results(request, year: int):
    edition = request.edition
    rules = services.settings_for(edition)
    decree = forms.DecreeForm(
        request.POST if request.POST.get("action") == "decree" else None,
        initial={"number": rules.results_decree_number, "date": rules.results_decree_date},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "winners":
                services.decide_winners(user=request.user, edition=edition)
                messages.success(request, _("Winners computed from the final scores."))
            elif action == "decree":
                if not decree.is_valid():
                    raise ValidationError(_("Give the decree number and date."))
                services.record_decree(user=request.user, edition=edition, **decree.cleaned_data)
                messages.success(request, _("Decree recorded."))
            elif action == "publish":
                services.publish_results(user=request.user, edition=edition)
                if edition.organiser_id is None:
                    messages.success(
                        request, _("Results published and written to the registry. The edition is frozen.")
                    )
                else:  # a provincial edition: not written to the registry (services.results._write_awards)
                    messages.success(request, _("Results published. The edition is frozen."))
            elif action == "revise":
                services.open_revision(user=request.user, edition=edition, reason=request.POST.get("reason", ""))
                messages.success(request, _("A revision of the results is open: corrections are now recorded."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(_url(request, "results"))
    context = {
        "edition": edition,
        "rules": rules,
        "decree": decree,
        "winners": selectors.public_winners(edition),
        "missing": services.missing_final_scores(edition),
        "revisions": ResultsRevision.objects.filter(edition=edition).order_by("-number"),
        "changes": ResultChange.objects.filter(edition=edition).select_related("changed_by")[:50],
    }
    return render(request, "evaluation/results.html", context)


def method(request, year: int):
    """Public: how every number of the edition is computed (method, weights, evaluators' means and spreads,
    how many were not standardised on their own, the publication policy), in Indonesian and English."""
    edition = _edition(request, year)
    summary = selectors.method_summary(edition)
    criteria = list(
        RubricCriterion.objects.filter(group__edition=edition).select_related("group").order_by("group__order", "order")
    )
    return render(
        request,
        "evaluation/method.html",
        {"edition": edition, "criteria": criteria, "method_labels": dict(Method.choices), **summary},
    )


def public_index(request):
    """Every edition whose finalists or results are published, for the public."""
    editions = (
        Edition.objects.filter(evaluation_settings__finalists_published_at__isnull=False)
        .select_related("evaluation_settings")
        .order_by("-year")
    )
    # Past editions known only from their imported award lists (the registry's history pages).
    on_platform = {e.year for e in editions if e.evaluation_settings.results_published_at}
    past = [(year, imported) for year, _n, imported in registry_selectors.award_years() if year not in on_platform]
    return render(request, "evaluation/public_index.html", {"editions": editions, "past": past})


def public_results(request, year: int):
    edition = _edition(request, year)
    rules = services.settings_for(edition)
    if rules.results_published_at is None:
        raise Http404
    winners = selectors.public_winners(edition)
    revisions = ResultsRevision.objects.filter(edition=edition).order_by("-number")
    # A provincial edition's winners are not KIPP awards: the registry's award pages are KIPP's.
    in_registry = edition.organiser_id is None and registry_selectors.has_awards(year=year)
    return render(
        request,
        "evaluation/public_results.html",
        {"edition": edition, "rules": rules, "winners": winners, "revisions": revisions, "in_registry": in_registry},
    )


def certificate(request, code: str):
    from jipp.competition.evaluation import pdf

    winner = get_object_or_404(Winner.objects.select_related("edition"), verification_code=Winner.normalise_code(code))
    if services.settings_for(winner.edition).results_published_at is None or winner.superseded_at is not None:
        raise Http404
    response = HttpResponse(pdf.certificate_pdf(winner, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-kipp-{winner.edition.year}-{winner.pk}.pdf"'
    return response


def verify_certificate(request):
    form = forms.VerifyCodeForm(request.GET or None)
    winner = None
    checked = False
    if form.is_valid():
        checked = True
        winner = (
            Winner.objects.filter(verification_code=Winner.normalise_code(form.cleaned_data["code"]))
            .select_related("edition", "finalist__proposal__agency", "edition__evaluation_settings")
            .first()
        )
        if winner and services.settings_for(winner.edition).results_published_at is None:
            winner = None
    return render(request, "evaluation/verify.html", {"form": form, "winner": winner, "checked": checked},
                  status=404 if checked and winner is None else 200)  # fmt: skip


@requires("evaluation.manage_results")
def report(request, year: int, fmt: str):
    from jipp.competition.evaluation import pdf

    edition = request.edition
    if fmt == "pdf":
        response = HttpResponse(pdf.report_pdf(edition, request), content_type="application/pdf")
    elif fmt == "xlsx":
        response = HttpResponse(
            pdf.report_xlsx(edition), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(edition)}-results.{fmt}"'
    return response
