"""The project's admin site: Django's, whose ways to its log-in page stay within what a page
reads (core.login_links). Django's admin_view sends a signed-out visitor to the log-in page
with the whole address encoded into `next`, which triples each "&", "=" or "%": a page read
with a long query redirected to a log-in address the log-in page refused (PAGE_QUERY_MAX_CHARS),
gunicorn refused first (limit_request_line), or Django would not redirect to at all (a 400 past
16,384 characters)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core.http import site_path
from core.login_links import redirect_to_login


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        """Django's admin_view (as of 5.2), whose redirect to log in is core.login_links'."""

        def inner(request, *args, **kwargs):
            if not self.has_permission(request):
                if request.path == reverse("admin:logout", current_app=self.name):
                    return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
                return redirect_to_login(
                    request.get_full_path(),
                    login=reverse("admin:login", current_app=self.name),
                )
            return view(request, *args, **kwargs)

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    def login(self, request, extra_context=None):
        """Django's log-in page, whose form comes back to the admin's index when the address
        it was given is not this site's (Django's leaves the form's `next` empty then, and the
        log-in went to the site's home page instead)."""
        back = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if back is not None and site_path(request, back) is None:
            index = reverse("admin:index", current_app=self.name)
            extra_context = {REDIRECT_FIELD_NAME: index, **(extra_context or {})}
        return super().login(request, extra_context)
