"""Sentences written one after another as the reader's language writes them: English puts a
space between them, Chinese none after its full stop (。). A template's own whitespace between
two sentences gives Chinese pages a stray space, so the parts go through the catalogue's
"%(sentence)s %(next)s" instead:

    {% load sentences %}
    {% sentences %}{% translate "A first sentence." %}
    {% sentence %}{% if more %}{% translate "Another, when there is more." %}{% endif %}
    {% endsentences %}

Each part is rendered (and escaped) as the template's own text is; the whitespace around it is
the template's layout and is left out, and a part that renders empty is left out with it.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.i18n import join_sentences

register = template.Library()


class SentencesNode(template.Node):
    def __init__(self, parts: list[template.NodeList]):
        self.parts = parts

    def render(self, context) -> SafeString:
        rendered = (part.render(context).strip() for part in self.parts)
        # Safe: each part comes out of the template engine escaped; the pattern is the catalogue's.
        return mark_safe(join_sentences(part for part in rendered if part))


@register.tag
def sentences(parser, token) -> SentencesNode:
    if len(token.split_contents()) > 1:
        raise template.TemplateSyntaxError("sentences takes no arguments")
    parts = []
    while True:
        parts.append(parser.parse(("sentence", "endsentences")))
        if parser.next_token().contents == "endsentences":
            return SentencesNode(parts)
