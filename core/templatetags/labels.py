"""A label and its value written as one message, "%(label)s: %(value)s", so that the colon is
the translation's (Chinese writes a full-width one) where the label or the value holds
markup, which a blocktranslate cannot:

    {% load labels %}
    {% labelled %}<strong>{{ where }}</strong>{% value %}{{ message }}{% endlabelled %}

Both parts are rendered (and escaped) as the template's own text is.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


class LabelledNode(template.Node):
    def __init__(self, label: template.NodeList, value: template.NodeList):
        self.label, self.value = label, value

    def render(self, context) -> str:
        # Both parts come out of the template engine escaped; the message is the catalogue's.
        parts = {"label": self.label.render(context), "value": self.value.render(context)}
        return mark_safe(gettext("%(label)s: %(value)s") % parts)


@register.tag
def labelled(parser, token) -> LabelledNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("labelled takes no arguments")
    label = parser.parse(("value",))
    parser.delete_first_token()
    value = parser.parse(("endlabelled",))
    parser.delete_first_token()
    return LabelledNode(label, value)
