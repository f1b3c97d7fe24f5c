from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`{{ row.scores|get:method }}`: a dict value by a variable key."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter
def shown(value):
    """A stored number as people read it, rounded once as `domain.numbers` declares (never floatformat,
    whose rounding differs): `{{ row.deciding|shown }}`."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    from jipp.competition.domain.numbers import shown as round_shown

    if value in (None, ""):
        return "–"
    try:
        return number_format(round_shown(Decimal(str(value))), 2)
    except (InvalidOperation, ValueError):
        return value


@register.simple_tag(takes_context=True)
def edition_url(context, name, *args):
    """`{% edition_url 'explain' r.id %}`: a page of the shown edition, in the URL space the request opened
    it in (KIPP's by year, or its organiser's: `places.Place`). Outside such a request, KIPP's by year."""
    from jipp.competition.evaluation.places import national

    place = getattr(context.get("request"), "edition_place", None) or national(context["edition"])
    return place.url(name, *args)


@register.simple_tag(takes_context=True)
def edition_can(context, perm):
    """`{% edition_can 'evaluation.nominate' as can_nominate %}`: the rule checked on the shown edition (a
    hub's admins hold the secretariat's rules on their own hub's edition only, so never `perms.*`)."""
    request = context.get("request")
    return bool(request and request.user.has_perm(perm, context.get("edition")))
