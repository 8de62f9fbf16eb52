"""A label and its value written as one message, "%(label)s: %(value)s", so that the colon and
the space after it are the translation's: English writes "Track: Research", Chinese a full-width
colon, which carries its own spacing, and no space after it. A template writing a space after a
translated "Track:" gives Chinese pages a stray one. The label or the value may hold
markup, which a blocktranslate cannot:

    {% load labels %}
    {% labelled %}<strong>{{ where }}</strong>{% value %}{{ message }}{% endlabelled %}
    {% labelled class="muted" %}{% translate "Matched" %}{% value %}<a ...>...</a>{% endlabelled %}

With a class, the label and its colon are wrapped in a span of that class (a muted label keeps
its colon muted). Both parts are rendered (and escaped) as the template's own text is, and the
whitespace around them is the template's layout, not the page's: it is left out.

A pill (a severity, a status) and the text it marks are one message the same way, "%(pill)s
%(text)s": English writes a space between them, Chinese none.

    {% marked %}<span class="pill">{{ severity }}</span>{% text %}<strong>…</strong>{% endmarked %}
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

register = template.Library()

_LABEL, _VALUE = "\x00label\x00", "\x00value\x00"


def label_and_value(label: str, value: str, *, label_class: str = "") -> SafeString:
    """The label and the value (both safe HTML) joined by the catalogue's "%(label)s: %(value)s";
    with `label_class`, the label and its colon in a `<span>` of that class."""
    message = gettext("%(label)s: %(value)s")
    if label_class:
        marked = message % {"label": _LABEL, "value": _VALUE}
        before, _, rest = marked.partition(_LABEL)
        between, found, after = rest.partition(_VALUE)
        if found:  # The label comes first, as in every catalogue so far.
            colon = between.rstrip()
            return mark_safe(
                f'{before}<span class="{escape(label_class)}">{label}{colon}</span>'
                f"{between[len(colon) :]}{value}{after}"
            )
        label = f'<span class="{escape(label_class)}">{label}</span>'
    return mark_safe(message % {"label": label, "value": value})


class LabelledNode(template.Node):
    def __init__(self, label: template.NodeList, value: template.NodeList, label_class: str):
        self.label, self.value, self.label_class = label, value, label_class

    def render(self, context) -> str:
        # Both parts come out of the template engine escaped; the message is the catalogue's.
        return label_and_value(
            self.label.render(context).strip(),
            self.value.render(context).strip(),
            label_class=self.label_class,
        )


@register.tag
def labelled(parser, token) -> LabelledNode:
    bits = token.split_contents()[1:]
    label_class = ""
    if bits:
        name, _, quoted = bits[0].partition("=")
        quotes = len(quoted) > 1 and quoted[0] == quoted[-1] and quoted[0] in "\"'"
        if len(bits) > 1 or name != "class" or not quotes:
            raise template.TemplateSyntaxError('labelled takes at most class="…"')
        label_class = quoted[1:-1]
    label = parser.parse(("value",))
    parser.delete_first_token()
    value = parser.parse(("endlabelled",))
    parser.delete_first_token()
    return LabelledNode(label, value, label_class)


class MarkedNode(template.Node):
    def __init__(self, pill: template.NodeList, text: template.NodeList):
        self.pill, self.text = pill, text

    def render(self, context) -> SafeString:
        # Both parts come out of the template engine escaped; the message is the catalogue's.
        message = pgettext("a pill, then the text it marks", "%(pill)s %(text)s")
        return mark_safe(
            message
            % {"pill": self.pill.render(context).strip(), "text": self.text.render(context).strip()}
        )


@register.tag
def marked(parser, token) -> MarkedNode:
    if len(token.split_contents()) > 1:
        raise template.TemplateSyntaxError("marked takes no arguments")
    pill = parser.parse(("text",))
    parser.delete_first_token()
    text = parser.parse(("endmarked",))
    parser.delete_first_token()
    return MarkedNode(pill, text)
