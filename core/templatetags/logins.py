"""The header's log-in link: `{% page_login_url %}`, the log-in page's address coming back to
the page, kept within what a page reads (core.login_links)."""

from django import template

from core.login_links import page_login_url as _page_login_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_login_url(context) -> str:
    return _page_login_url(context["request"])
