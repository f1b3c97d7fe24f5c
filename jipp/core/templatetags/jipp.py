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

    return mark_safe("".join(parts))  # noqa: S308 (rendered templates are already escaped)
