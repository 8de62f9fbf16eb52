"""The CASE 1.1 REST binding (read-only): /ims/case/v1p1/...

Thin APIViews: parse the request, call `curricula.case.provider`, answer JSON. Every failure,
including ones DRF raises itself (authentication, throttling, method), is answered with CASE's
imsx_StatusInfo body rather than DRF's `{"detail": ...}`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    AuthenticationFailed,
    MethodNotAllowed,
    NotAuthenticated,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.api.conditional import last_modified_header, not_modified
from core.api.filters import UNKNOWN_NAMES_SHOWN, refuse_repeated, unknown_names_shown
from core.api.renderers import JSONRenderer
from core.i18n import join_list
from core.identifiers import stable_uuid
from curricula.case import package_cache, provider
from curricula.case.builders import Links
from curricula.case.identifiers import parse_uuid
from curricula.case.openapi import ref

# The imsx_codeMinor values of CASE 1.1 (Appendix B) for the HTTP statuses this API can answer.
CODE_MINOR_BY_STATUS = {
    400: "invalid_selection_field",
    401: "unauthorised_request",
    403: "forbidden",
    404: "unknownobject",
    405: "unsupported",
    429: "server_busy",
}
# Every property of a CFDocument, for the `fields` selection.
DOCUMENT_FIELDS = provider.SORTABLE_DOCUMENT_FIELDS | {
    "CFPackageURI",
    "frameworkType",
    "subject",
    "subjectURI",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "licenseURI",
    "notes",
    "extensions",
}
DEFAULT_LIMIT = 100
# The query parameters of getAllCFDocuments; each takes one value (`fields` a comma-separated one).
DOCUMENT_LIST_PARAMETERS = ("limit", "offset", "sort", "orderBy", "fields", "filter")


class CaseError(APIException):
    """A request CASE says to refuse, with the imsx_codeMinor field and value to report."""

    def __init__(self, *, status_code: int, field: str, code: str, description: str):
        super().__init__(detail=description)
        self.status_code = status_code
        self.field = field
        self.code_minor = code


def status_info(*, description: str, minor: list[tuple[str, str]]) -> dict:
    """CASE's imsx_StatusInfo failure payload (1EdTech CASE 1.1, section 7.1.39): `minor` is
    each (imsx_codeMinorFieldName, imsx_codeMinorFieldValue) the failure names."""
    return {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": str(description),
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": field, "imsx_codeMinorFieldValue": code}
                for field, code in minor
            ]
        },
    }


def unknown_object(kind: str) -> CaseError:
    return CaseError(
        status_code=status.HTTP_404_NOT_FOUND,
        field="sourcedId",
        code="unknownobject",
        description=gettext("No %(kind)s has this identifier.") % {"kind": kind},
    )


ERROR_RESPONSE = OpenApiResponse(
    ref("imsx_StatusInfo"), description=gettext_lazy("CASE imsx_StatusInfo failure body.")
)


def case_root() -> str:
    """The provider's root URI, from CASE_BASE_URL: never from the request's Host or
    X-Forwarded-Proto, which a client or a proxy controls."""
    return settings.CASE_BASE_URL.rstrip("/") + reverse("case:cfdocument-list").removesuffix(
        "CFDocuments"
    )


class CaseView(APIView):
    """Common ground of the CASE endpoints: JSON only, reads only, CASE error bodies, and a 400
    for a query parameter the operation does not take (`query_parameters`; DRF's `format`
    aside)."""

    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]
    # The query parameters the operation takes: CASE 1.1 gives its single-object reads none.
    query_parameters: tuple[str, ...] = ()
    # The error body core.api.schema documents for every failure of these operations.
    error_schema = ref("imsx_StatusInfo")
    # Answers carry Last-Modified and honour If-Modified-Since (documented by core.api.schema).
    last_modified_reads = True
    # Read permission is the API's (public unless API_REQUIRE_AUTH): the project default class.

    def initial(self, request, *args, **kwargs):
        # A write is unsupported here whoever sends it: say so before checking who it is.
        if request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            # Before anything is looked up, as on every operation alike: a selection the
            # operation cannot make (`?fields=` on one item) is said, not read past.
            _refuse_unknown(request.query_params, self.query_parameters)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
            # Field messages, as core.api.filters.refuse_repeated raises them: each field named.
            response.data = status_info(
                description=" ".join(
                    dict.fromkeys(  # each message once, however many fields it is about
                        str(message) for messages in exc.detail.values() for message in messages
                    )
                ),
                minor=[(name, CODE_MINOR_BY_STATUS[400]) for name in exc.detail],
            )
            return response
        if isinstance(exc, CaseError):
            field, code = exc.field, exc.code_minor
        elif isinstance(exc, NotAuthenticated | AuthenticationFailed):
            # DRF answers 403 when the first authenticator (session) has no challenge to send;
            # the reason is still a missing or bad authorisation.
            field, code = "request", "unauthorised_request"
        else:
            field = "sourcedId" if response.status_code == 404 else "request"
            code = CODE_MINOR_BY_STATUS.get(response.status_code, "invaliddata")
        description = exc.detail if isinstance(exc, APIException) else str(exc)
        if isinstance(description, list | dict):
            description = gettext("The request was refused.")
        response.data = status_info(description=description, minor=[(field, code)])
        return response

    def links(self) -> Links:
        return Links(root=case_root())

    def identifier(self, value: str):
        """The UUID in the path; anything else is CASE's invalid_uuid (a 404)."""
        identifier = parse_uuid(value)
        if identifier is None:
            raise CaseError(
                status_code=status.HTTP_404_NOT_FOUND,
                field="sourcedId",
                code="invalid_uuid",
                description=gettext("The identifier is not a UUID."),
            )
        # A publisher's UUID CASE 1.1 refuses (OpenSALT's d0000000-…) finds what it named: its
        # import published it under the UUID made of it.
        return stable_uuid(str(identifier))


def _refuse_unknown(params, names) -> None:
    """A 400 naming each query parameter the operation does not take (DRF's `format` aside):
    `?orderby=desc` (CASE spells it orderBy) was read past, and the list came in ascending
    order."""
    known = {*names, api_settings.URL_FORMAT_OVERRIDE}
    unknown = [name for name in params if name not in known]
    if unknown:
        if names:
            message = gettext("Unknown parameter: this operation takes %(names)s.") % {
                "names": join_list(names)
            }
        else:
            message = gettext("Unknown parameter: this operation takes no parameters.")
        raise ValidationError({name: [message] for name in unknown})


def _parse_count(params, name: str, *, default: int, minimum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise CaseError(
            status_code=status.HTTP_400_BAD_REQUEST,
            field=name,
            code="invalid_selection_field",
            description=gettext("%(name)s must be a whole number of at least %(minimum)d.")
            % {"name": name, "minimum": minimum},
        )
    return value


class DocumentListView(CaseView):
    """Every framework, and the course catalogue, as CFDocuments."""

    query_parameters = DOCUMENT_LIST_PARAMETERS
    blank_query_parameters = ("sort",)  # `?sort=`: the default sort, as the schema says

    @extend_schema(
        tags=["CASE 1.1"],
        operation_id="getAllCFDocuments",
        summary="getAllCFDocuments",
        parameters=[
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1},
                description=gettext_lazy("Page size (default 100)."),
            ),
            OpenApiParameter(
                "offset",
                {"type": "integer", "minimum": 0},
                description=gettext_lazy("Documents to skip."),
            ),
            OpenApiParameter(
                "sort",
                str,
                enum=sorted(provider.SORTABLE_DOCUMENT_FIELDS),
                description=gettext_lazy("The CFDocument property to sort by."),
            ),
            OpenApiParameter("orderBy", str, enum=["asc", "desc"]),
            OpenApiParameter(
                "fields", str, description=gettext_lazy("Comma-separated CFDocument properties.")
            ),
            OpenApiParameter(
                "X-Total-Count",
                {"type": "integer", "minimum": 0},
                location=OpenApiParameter.HEADER,
                response=[200],
                description=gettext_lazy("The number of documents in all pages."),
            ),
            OpenApiParameter(
                "Link",
                str,
                location=OpenApiParameter.HEADER,
                response=[200],
                description=gettext_lazy(
                    "The pages (RFC 8288): first, last, and next and prev where there are any."
                ),
            ),
        ],
        responses={200: ref("CFDocumentSet"), 400: ERROR_RESPONSE},
    )
    def get(self, request):
        params = request.query_params
        refuse_repeated(params, DOCUMENT_LIST_PARAMETERS)
        limit = _parse_count(params, "limit", default=DEFAULT_LIMIT, minimum=1)
        offset = _parse_count(params, "offset", default=0, minimum=0)
        sort = params.get("sort") or provider.DEFAULT_DOCUMENT_SORT
        if sort not in provider.SORTABLE_DOCUMENT_FIELDS:
            raise CaseError(
                status_code=status.HTTP_400_BAD_REQUEST,
                field="sort",
                code="invalid_sort_field",
                # Named by its start: the value is the client's, as long as the request.
                description=gettext("Documents cannot be sorted by %(sort)s.")
                % {"sort": unknown_names_shown([sort])[0]},
            )
        order_by = params.get("orderBy", "asc")
        if order_by not in ("asc", "desc"):
            raise CaseError(
                status_code=status.HTTP_400_BAD_REQUEST,
                field="orderBy",
                code="invalid_selection_field",
                description=gettext("orderBy must be asc or desc."),
            )
        if params.get("filter"):
            raise CaseError(
                status_code=status.HTTP_400_BAD_REQUEST,
                field="filter",
                code="invalid_filter_field",
                description=gettext("This provider does not support filtering."),
            )
        fields = [name.strip() for name in params.get("fields", "").split(",") if name.strip()]
        unknown = sorted(set(fields) - DOCUMENT_FIELDS)
        if unknown:
            raise CaseError(
                status_code=status.HTTP_400_BAD_REQUEST,
                field="fields",
                code="invalid_selection_field",
                # The first few, each by its start: `fields` is as long as the request.
                description=gettext("Unknown CFDocument properties: %(fields)s.")
                % {
                    "fields": join_list(
                        unknown_names_shown(unknown)
                        + (["…"] if len(unknown) > UNKNOWN_NAMES_SHOWN else [])
                    )
                },
            )

        page = provider.document_list(
            links=self.links(),
            sort=sort,
            descending=order_by == "desc",
            offset=offset,
            limit=limit,
        )
        documents = page.documents
        if fields:
            documents = [{k: v for k, v in doc.items() if k in fields} for doc in documents]
        response = Response({"CFDocuments": documents})
        _set_last_modified(response, page.last_modified)
        response["X-Total-Count"] = str(page.total)
        response["Link"] = self._link_header(page.total, offset, limit)
        return response

    def _link_header(self, total: int, offset: int, limit: int) -> str:
        """RFC 8288 paging links, as the 1EdTech REST bindings use them."""
        base = case_root() + "CFDocuments"
        params = self.request.query_params.dict()

        def url(at: int) -> str:
            return f"{base}?{urlencode({**params, 'limit': limit, 'offset': at})}"

        last = max(total - 1, 0) // limit * limit
        relations = {"first": 0, "last": last}
        if offset + limit < total:
            relations["next"] = offset + limit
        if offset > 0:
            relations["prev"] = max(offset - limit, 0)
        return ", ".join(f'<{url(at)}>; rel="{rel}"' for rel, at in relations.items())


class UnknownRouteView(CaseView):
    """Any other path under /ims/case/: CASE's 404 body, whatever the method."""

    schema = None  # not an operation of the provider
    http_method_names = APIView.http_method_names

    def initial(self, request, *args, **kwargs):
        raise CaseError(
            status_code=status.HTTP_404_NOT_FOUND,
            field="request",
            code="unknownobject",
            description=gettext("This CASE provider has no endpoint at this address."),
        )


class CaseDetailView(CaseView):
    """One object by its identifier; `lookup` is the provider operation, `kind` its CASE class."""

    kind: str
    lookup = None

    def get(self, request, identifier: str):
        payload = type(self).lookup(identifier=self.identifier(identifier), links=self.links())
        if payload is None:
            raise unknown_object(self.kind)
        response = Response(payload)
        _set_last_modified(response, provider.last_change(payload))
        return response


def _set_last_modified(response, when) -> None:
    """Last-Modified from the payload's latest change: ConditionalGetMiddleware, which tags the
    body with its ETag, then answers If-Modified-Since with it (If-None-Match first)."""
    header = last_modified_header(when)
    if header is not None:
        response["Last-Modified"] = header


def _detail_schema(summary: str, component: str):
    # On the method, not the class: an operation_id on a class would name every operation of it.
    return extend_schema_view(
        get=extend_schema(
            tags=["CASE 1.1"],
            operation_id=summary,
            summary=summary,
            # 400: a query parameter (CASE gives these operations none; DRF's format aside).
            responses={200: ref(component), 400: ERROR_RESPONSE, 404: ERROR_RESPONSE},
        )
    )


@_detail_schema("getCFDocument", "CFDocument")
class DocumentDetailView(CaseDetailView):
    """One CFDocument, with the URI of its package."""

    kind = "CFDocument"
    lookup = staticmethod(provider.document_get)


@_detail_schema("getCFPackage", "CFPackage")
class PackageView(CaseView):
    """A document with all its items, associations and definitions.

    Its ETag and Last-Modified come from the package's version (one query), so a client
    holding either gets a 304 without anything being built (If-None-Match first); a small
    package is built and answered at once; a large one is written once to disk and served
    from there (curricula.case.package_cache)."""

    def get(self, request, identifier: str):
        identifier = self.identifier(identifier)
        version = provider.package_version(identifier=identifier)
        if version is None:
            raise unknown_object("CFPackage")
        headers = {"ETag": version.etag}
        last_modified = last_modified_header(version.last_modified)
        if last_modified is not None:
            headers["Last-Modified"] = last_modified
        if not_modified(request, etag=version.etag, last_modified=version.last_modified):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        links = self.links()

        def chunks():
            return provider.package_chunks(identifier=identifier, links=links, version=version)

        if version.size > settings.CASE_PACKAGE_CACHE_THRESHOLD:
            response = package_cache.package_response(
                request=request, identifier=identifier, version=version.etag, chunks=chunks
            )
        else:
            response = HttpResponse(b"".join(chunks()), content_type="application/json")
        for name, value in headers.items():
            response[name] = value
        return response


@_detail_schema("getCFItem", "CFItem")
class ItemView(CaseDetailView):
    """One CFItem: an ability, or a course of the catalogue."""

    kind = "CFItem"
    lookup = staticmethod(provider.item_get)


@_detail_schema("getCFAssociation", "CFAssociation")
class AssociationView(CaseDetailView):
    """One CFAssociation: a relation, a tree edge or a course-ability link."""

    kind = "CFAssociation"
    lookup = staticmethod(provider.association_get)


@_detail_schema("getCFItemAssociations", "CFAssociationSet")
class ItemAssociationsView(CaseDetailView):
    """An item with every association it is an end of: its place in the tree, its children's,
    its relations either way and, for an ability, the courses building it."""

    kind = "CFItem"
    lookup = staticmethod(provider.item_associations_get)


@_detail_schema("getCFItemType", "CFItemTypeSet")
class ItemTypeView(CaseDetailView):
    """A CFItemTypeSet holding the item type: a competency area, an item-type label or Course."""

    kind = "CFItemType"
    lookup = staticmethod(provider.item_type_get)


@_detail_schema("getCFAssociationGrouping", "CFAssociationGrouping")
class AssociationGroupingView(CaseDetailView):
    """One CFAssociationGrouping a framework's import kept: where its associations'
    CFAssociationGroupingURI leads."""

    kind = "CFAssociationGrouping"
    lookup = staticmethod(provider.association_grouping_get)
