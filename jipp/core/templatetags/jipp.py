from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def include_panels(context, *template_names):
    """Render each of the named templates that exists, in order, with the current context.

    Lets a page show panels that later apps contribute (replication on an innovation page,
    say) without the earlier app importing or requiring them. Like `{% include %}`, each panel
    renders in the page's own context (the context processors are not run again for each).
    """
    from django.utils.safestring import mark_safe

    engine = context.template.engine
    parts = []
    for name in template_names:
        try:
            tpl = engine.get_template(name)
        except template.TemplateDoesNotExist:
            continue
        with context.push():
            parts.append(tpl.render(context))
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


class PublicCacheNode(template.Node):
    def __init__(self, nodelist, entry):
        self.nodelist, self.entry = nodelist, entry

    def render(self, context):
        from django.utils.safestring import mark_safe

        from jipp.core import public_cache

        entry = self.entry.resolve(context) or None  # an unset variable resolves to ""
        return mark_safe(public_cache.get_or_build(entry, lambda: str(self.nodelist.render(context))))  # noqa: S308  # nosec B308, B703 # rendered by the engine, escaped


@register.tag
def publiccache(parser, token):
    """`{% publiccache entry %}…{% endpubliccache %}`: the body kept for `entry` (core.public_cache.entry_for).

    No entry (None: a signed-in user, the cache off) renders the body every time. On a hit the body is
    not rendered at all, so a view can hand it lazy values that are computed only when they are needed.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("publiccache takes one argument: the entry")
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return PublicCacheNode(nodelist, parser.compile_filter(bits[1]))
