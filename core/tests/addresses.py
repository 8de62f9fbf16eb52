"""Addresses a form's `next`/`back`, a Referer or htmx's HX-Current-URL may carry that are no way
back to a page of this site (served as http://testserver), shared by the test of
core.http.site_path and by the tests of each door that takes one."""

# Each is refused over plain HTTP and over HTTPS alike.
HOSTILE = [
    "//evil.example/x",  # protocol-relative: another host
    "https://evil.example/",
    "/\\evil.example",  # browsers read \ as /: //evil.example
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",  # this host's name as a prefix only
    "http://evil.example@testserver/",  # credentials that name another site
    "/a\n//evil.example",  # browsers drop the newline or tab; urlsplit does too
    "/a\t//evil.example",
    "/a\r\n//evil.example",
    "\x00/a",
    "http://testserver//evil.example/x",  # this site's, but its path alone is another host's
    "http://testserver/\\evil.example",
    "programs/1/",  # relative: no page of its own
    "",
]

# This host, but http: refused when the request came over HTTPS.
INSECURE_ON_HTTPS = "http://testserver/programs/1/?view=x"
