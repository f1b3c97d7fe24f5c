from django import template
from django.template.loader import select_template

register = template.Library()


@register.simple_tag(takes_context=True)
def include_panels(context, *template_names):
    """Render each of the named templates that exists, in order, with the current context.

    Lets a page show panels that later apps contribute (replication on an innovation page,
    say) without the earlier app importing or requiring them.
    """
    parts = []
    for name in template_names:
        try:
            tpl = select_template([name])
        except template.TemplateDoesNotExist:
            continue
        parts.append(tpl.render(context.flatten(), context.get("request")))
    from django.utils.safestring import mark_safe

    return mark_safe("".join(parts))  # noqa: S308 (rendered templates are already escaped)  # nosec B308, B703 # rendered templates, escaped by the engine


@register.filter
def when(value):
    """A moment in the reader's zone: "1 Des 2026, 01.36 WIB" / "1 Dec 2026, 01:36 WIB"."""
    from jipp.core.formatting import format_moment

    return format_moment(value)


@register.filter
def day(value):
    """A date: "1 Des 2026" / "1 Dec 2026"."""
    from jipp.core.formatting import format_day

    return format_day(value)


@register.filter
def num(value, places=0):
    """A number with the language's separators: 1.234,56 / 1,234.56."""
    from jipp.core.formatting import format_number

    try:
        places = int(places)
    except (TypeError, ValueError):
        places = 0
    return format_number(value, places)


@register.simple_tag
def now_when():
    """This moment in the reader's zone, in the one format."""
    from django.utils import timezone

    from jipp.core.formatting import format_moment

    return format_moment(timezone.now())
