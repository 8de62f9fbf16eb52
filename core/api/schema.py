"""The OpenAPI schema as a client generator needs it (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

drf-spectacular's AutoSchema, plus what it cannot infer from the views:

- who may call an operation: public reads (and questions such as a what-if) list the empty
  security requirement `{}` beside the token and the session, so a generated client asks for no
  credentials to read public data; writes list only the token and the session;
- every error an operation can answer (400, 401, 403, 404, 406, 412, 413, 415, 429), with one shared
  `Error` body (a view may name another, as the CASE provider does with imsx_StatusInfo) and the
  headers that go with them (WWW-Authenticate, Retry-After, RateLimit-*);
- conditional requests: `If-None-Match` and 304 on every GET but a streamed download's (a
  view's `streamed_actions`: answered row by row, it has no ETag), the `ETag` of single objects,
  `If-Match` with its 412 on every unsafe request on one object (PUT, PATCH, DELETE and POST
  actions), and on a collection's POST the 412 any If-Match gets (core.api.conditional);
  `If-Modified-Since` and `Last-Modified` on the reads of views that set `last_modified_reads`;
- a summary on every operation, made from the action and the model when a view gives none.
"""

from importlib.util import find_spec

from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from rest_framework import serializers

from core.api.authentication import ThrottledTokenAuthentication
from core.api.fields import IdsField
from core.api.middleware import SYNC_WATERMARK_HEADER
from core.api.renderers import FileRenderer
from core.api.routers import ID_PATTERN
from core.api.throttling import JobStartThrottle

# drf-spectacular asks of each filter's model field whether it is a geometry, by importing
# django.contrib.gis (which loads the GDAL library: 0.2 s of each process that builds the schema)
# and then rest_framework_gis, whose absence makes the answer no for the rest of the process.
# Without rest_framework_gis the answer is no before anything is loaded.
if find_spec("rest_framework_gis") is None:
    DjangoFilterExtension._has_gis = False

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. `detail` says what went wrong; a request that failed validation has one "
        "entry per field instead (`non_field_errors` for the request as a whole), each a list "
        "of messages, or the same shape nested for a nested field; a key the body does not take "
        'has an entry of its own (`{"levle": ["Unknown key: this body takes ..."]}`).'
    ),
    "properties": {
        "detail": {
            # A list when the request itself sent a key named `detail` that it does not take:
            # its messages are that key's, as any other field's are.
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": (
                "What went wrong; or, when the body sent a key `detail` it does not take, that "
                "key's messages."
            ),
        }
    },
    "additionalProperties": {
        "description": "The messages for one field of the request.",
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            # A nested field's messages (a list's items, an object's fields): any keys.
            {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
            {"type": "object", "additionalProperties": {}},
        ],
    },
}

# The branch drf-spectacular adds for a blank value of a field with a format or a pattern.
BLANK_STRING = {"type": "string", "maxLength": 0}

ERRORS = {
    "400": "The request is malformed; the messages say what to change.",
    "401": "No credentials where they are needed, or credentials that are not valid.",
    "403": "Authenticated but not allowed to do this (or a session write without its CSRF token).",
    "404": "No such object, page or format.",
    "406": (
        "The Accept header names none of the media types this operation answers in "
        "(application/json; under /api/ also the browsable API's text/html), nor a wildcard "
        "that covers one, or weighs each it names `q=0`. Leave Accept out, or send "
        "application/json or */*."
    ),
    "412": (
        "The If-Match ETag is not the object's current one: someone changed it since you read "
        "it. Read it again, reapply your change, and send the new ETag."
    ),
    "409": (
        "Nothing was deleted: a record was added meanwhile to this one, or to one deleted with "
        "it. Read it again and decide."
    ),
    "413": (
        "The request body is larger than the API reads (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by "
        "default); nothing is done. An upload's file has its own bound (IMPORT_MAX_UPLOAD_MB), "
        "a 400 on the file."
    ),
    "415": "The request body is not in a media type this operation reads.",
    "429": (
        "Too many requests: from this anonymous client (API_ANON_THROTTLE_RATE), or too many "
        "wrong tokens from this client's address (API_AUTH_FAILURE_RATE), whatever credentials "
        "this request carries. Wait Retry-After seconds."
    ),
}

# The doors that start a background job (core.api.throttling.JobStartThrottle).
JOB_429 = (
    "Too many background jobs started by this user (API_JOB_THROTTLE_RATE, 60 an hour by "
    "default, every door that starts one together); nothing was started. Wait Retry-After "
    "seconds. Also, as on every operation: too many requests from an anonymous client "
    "(API_ANON_THROTTLE_RATE) or too many wrong tokens from this address (API_AUTH_FAILURE_RATE)."
)

DOWNLOAD_406 = (
    "The Accept header names none of the download's media types (nor a wildcard that covers "
    "one), or weighs each it names `q=0`: the file is not sent. Leave Accept out, or send the "
    "file's type or */*."
)

# A POST to a collection has no current representation for If-Match to name (core.api.conditional).
COLLECTION_412 = (
    "If-Match was sent to a collection: this request creates or starts something new, so there "
    "is no current version for an ETag (nor `*`) to name, and nothing is done. Leave the header "
    "out."
)

STRING = {"type": "string"}
# Error bodies of the download formats: a field/message table (core.api.renderers).
DOWNLOAD_ERROR_SCHEMAS = {
    "text/csv": STRING,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "type": "string",
        "format": "binary",
    },
}
INTEGER = {"type": "integer"}
ETAG_HEADER = {
    "schema": STRING,
    "description": "The object's current version: send it back as If-Match to change it.",
}
READ_ETAG_HEADER = {
    "schema": STRING,
    "description": "This answer's version (each page of a list its own): send it back as "
    "If-None-Match to get 304 while it is current.",
}
SYNC_WATERMARK = {
    "schema": {"type": "string", "format": "date-time"},
    "description": (
        "Where the next sync resumes from: keep the one the first answer of this sync gave, "
        "and send it as the next sync's updated_since (deletions/ and history/: since). Every "
        "change stamped before it had committed when that answer was read, including one a "
        "long transaction (an import) was still writing, which is stamped earlier than "
        "changes read meanwhile. Answered with updated_since (deletions/ and history/: "
        "always), on a 304 too."
    ),
}
LOCATION_HEADER = {
    "schema": {"type": "string", "format": "uri"},
    "description": "The absolute URL to poll for the job's state, progress and result.",
}
CREATED_ETAG_HEADER = {
    "schema": STRING,
    "description": "The current version of the object created (named in Location), the ETag "
    "its GET answers: send it back as If-Match to change it.",
}
CREATED_LOCATION_HEADER = {
    "schema": {"type": "string", "format": "uri"},
    "description": "The absolute URL of the object created, which GET answers.",
}
ERROR_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": STRING,
            "description": "How to authenticate: `Token` (Authorization: Token <key>).",
        }
    },
    "429": {
        "Retry-After": {"schema": INTEGER, "description": "Seconds to wait."},
        "RateLimit-Limit": {"schema": INTEGER, "description": "Requests allowed per window."},
        "RateLimit-Remaining": {"schema": INTEGER, "description": "Requests left in it."},
        "RateLimit-Reset": {"schema": INTEGER, "description": "Seconds until one is freed."},
        "RateLimit-Policy": {"schema": STRING, "description": "`<limit>;w=<seconds>`."},
    },
}

IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": STRING,
    "description": "An ETag you hold: the answer is 304 without a body while it is current.",
}
IF_MODIFIED_SINCE = {
    "in": "header",
    "name": "If-Modified-Since",
    "required": False,
    "schema": STRING,
    "description": (
        "A Last-Modified date you hold: the answer is 304 without a body while nothing has "
        "changed since (If-None-Match, when sent, decides instead). A date later than this "
        "server's clock is ignored (RFC 9110, 13.1.3)."
    ),
}
LAST_MODIFIED_HEADER = {
    "schema": STRING,
    "description": (
        "The latest change to what the answer shows, as an HTTP date (whole seconds). Left out "
        "while that change's second is not over, as a change later in the same second would "
        "have the same date: revalidate with the ETag then."
    ),
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": STRING,
    "description": (
        "The ETag you read: the request is carried out only if the object is still at that "
        "version (otherwise 412), so no one's edit is overwritten unseen. Present but empty: 400."
    ),
}

SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get one {name}",
    "create": "Create a {name}",
    "update": "Replace a {name} (every writable field)",
    "partial_update": "Change some fields of a {name}",
    "destroy": "Delete a {name}",
}


def allows_anonymous(view, method: str) -> bool:
    """Whether every permission of `view` lets an anonymous client call `method`: permission
    classes say so with `allows_anonymous(method)`; one that does not is taken as refusing."""
    return all(
        getattr(permission, "allows_anonymous", lambda _method: False)(method)
        for permission in view.get_permissions()
    )


class AutoSchema(openapi.AutoSchema):
    def get_summary(self):
        summary = super().get_summary()
        if summary:
            return summary
        template = SUMMARIES.get(getattr(self.view, "action", None) or "")
        model = self._model()
        if template and model is not None:
            return template.format(
                name=model._meta.verbose_name, plural=model._meta.verbose_name_plural
            )
        doc = (self.view.__class__.__doc__ or "").strip().splitlines()
        return doc[0].rstrip(".") if doc else None

    def _insert_field_validators(self, field, schema):
        """drf-spectacular gives a blank-allowed field with a `format` (a URI) `oneOf` its
        format and an empty string. JSON Schema reads `format` as an annotation, so "" fits
        both branches and a validator refuses every blank value: `anyOf` says what is meant."""
        super()._insert_field_validators(field, schema)
        if isinstance(field, IdsField):
            schema["uniqueItems"] = True
        branches = schema.get("oneOf", [])
        if BLANK_STRING in branches and not any(
            key in branch for branch in branches for key in ("pattern", "minLength")
        ):
            schema["anyOf"] = schema.pop("oneOf")

    def _get_request_for_media_type(self, serializer, direction="request"):
        """A request schema a view gives as a dict (an upload's form) is taken as it is, and
        drf-spectacular then calls its body optional whatever it requires: a generated client let
        the form be left out, though its `file` is required. The body is required when its
        schema requires a field, as drf-spectacular decides for a serializer."""
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if isinstance(serializer, dict) and serializer.get("required"):
            required = True
        return schema, required

    def _map_basic_serializer(self, serializer, direction):
        """A model serializer's response component requires every field it lists: each is
        answered on every read, a blank or defaulted one too (`""`, `[]`, null), so none is ever
        absent. drf-spectacular requires only what a request must send, and a generated client
        typed the rest as maybe missing (`Unset`). A plain serializer documents a dict the view
        builds, where `required=False` marks a key some answers leave out (a greedy answer's
        `bound`): its component is left as drf-spectacular makes it."""
        component = super()._map_basic_serializer(serializer, direction)
        model_serializer = isinstance(force_instance(serializer), serializers.ModelSerializer)
        if direction == "response" and model_serializer and component.get("properties"):
            component["required"] = list(component["properties"])
        return component

    def _model(self):
        queryset = getattr(self.view, "queryset", None)
        if queryset is None and hasattr(self.view, "get_queryset"):
            try:
                queryset = self.view.get_queryset()
            except Exception:  # a view whose queryset needs the request's arguments
                queryset = None
        return getattr(queryset, "model", None)

    def get_filter_backends(self):
        # A collection's other reads (the CSV exports) run the list's filters and ordering
        # (filter_queryset): the schema names them, as the check of unknown parameters
        # (core.api.filters.KnownQueryParametersFilter) takes them. drf-spectacular names them
        # for a list alone.
        if self.method == "GET" and getattr(self.view, "detail", None) is False:
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _get_filter_parameters(self):
        # Filters, search and ordering read an empty value (`?status=`) as "not given", as
        # django-filter does, where paging refuses it: the schema says which, so clients and
        # fuzzers do not take the 200 for a missed error. A view's own filtering parameters
        # that do the same are named in its `blank_query_parameters`.
        parameters = super()._get_filter_parameters()
        # drf-spectacular drops the label of a filter whose schema is given in code (the id
        # filters, `?level=`): the label is what tells a client that `?area=none` is a value.
        filterset_class = getattr(self.view, "filterset_class", None)
        declared = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            if parameter.get("in") == "query":
                parameter["allowEmptyValue"] = True
                declared_filter = declared.get(parameter["name"])
                if declared_filter is not None and not parameter.get("description"):
                    label = declared_filter.extra.get("help_text") or declared_filter.label
                    if label:
                        parameter["description"] = label
        return parameters

    def _blank_query_parameters(self, operation: dict) -> None:
        names = set(getattr(self.view, "blank_query_parameters", ()))
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in names:
                parameter["allowEmptyValue"] = True

    def get_auth(self):
        requirements = [requirement for requirement in super().get_auth() if requirement]
        if allows_anonymous(self.view, self.method):
            requirements.insert(0, {})
        return requirements

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._integer_ids(operation)
        self._blank_query_parameters(operation)
        self._add_conditional_requests(operation)
        self._add_errors(operation)
        self._add_accepted_location(operation)
        self._add_sync_watermark(operation)
        return operation

    def _add_sync_watermark(self, operation: dict) -> None:
        """A sync's reads (core.api.filters.record_sync_watermark): the lists filtered by a
        SyncFilterSet, and the views that say `sync_watermark`."""
        # Here, not at the top: the filters import drf-spectacular's settings, which import this.
        from core.api.filters import SyncFilterSet

        filterset = getattr(self.view, "filterset_class", None)
        synced_list = (
            getattr(self.view, "action", None) == "list"
            and isinstance(filterset, type)
            and issubclass(filterset, SyncFilterSet)
        )
        if (synced_list or getattr(self.view, "sync_watermark", False)) and self.method == "GET":
            for code in ("200", "304"):
                answer = operation["responses"].get(code)
                if answer is not None:
                    answer.setdefault("headers", {})[SYNC_WATERMARK_HEADER] = SYNC_WATERMARK

    @staticmethod
    def _add_accepted_location(operation: dict) -> None:
        """Every 202 starts a job and names where to follow it (RFC 9110, 15.3.3)."""
        accepted = operation["responses"].get("202")
        if accepted is not None:
            accepted.setdefault("headers", {})["Location"] = LOCATION_HEADER

    @staticmethod
    def _integer_ids(operation: dict) -> None:
        """Path ids the router takes as digits (core.api.routers.ID_PATTERN) are integers."""
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "path" and schema.get("pattern") == f"^{ID_PATTERN}$":
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}

    def _evaluates_if_match(self) -> bool:
        return bool(getattr(self.view, "evaluates_if_match", False)) and (
            self.method in UNSAFE_METHODS
        )

    def _conditional_writes(self) -> bool:
        """An unsafe request on one object: If-Match compared with the object's ETag."""
        return self._evaluates_if_match() and self.view.addresses_one_object()

    def _add_conditional_requests(self, operation: dict) -> None:
        parameters = operation.setdefault("parameters", [])
        responses = operation["responses"]
        action = getattr(self.view, "action", None)
        single_object = getattr(self.view, "conditional_reads", False) and (
            action in ("retrieve", "create", "update", "partial_update")
            # A plain view that sets conditional_reads answers one object's ETag on GET.
            or (action is None and self.method == "GET")
        )
        if single_object:
            for code in ("200", "201"):
                if code in responses:
                    responses[code].setdefault("headers", {})["ETag"] = ETAG_HEADER
            if action == "create" and "201" in responses:
                responses["201"]["headers"]["Location"] = CREATED_LOCATION_HEADER
        # An action that makes an object of another collection (a suggestion's accept makes a
        # link) names it as a POST to that collection does.
        if action in getattr(self.view, "creating_actions", ()) and "201" in responses:
            headers = responses["201"].setdefault("headers", {})
            headers["ETag"] = CREATED_ETAG_HEADER
            headers["Location"] = CREATED_LOCATION_HEADER
        streamed = action in getattr(self.view, "streamed_actions", ())
        if self.method == "GET" and not streamed:
            parameters.append(IF_NONE_MATCH)
            if "200" in responses:
                responses["200"].setdefault("headers", {}).setdefault("ETag", READ_ETAG_HEADER)
            responses.setdefault(
                "304", {"description": "Not modified: the If-None-Match ETag is still current."}
            )
            if getattr(self.view, "last_modified_reads", False):
                parameters.append(IF_MODIFIED_SINCE)
                if "200" in responses:
                    headers = responses["200"].setdefault("headers", {})
                    headers["Last-Modified"] = LAST_MODIFIED_HEADER
        if self._conditional_writes():
            parameters.append(IF_MATCH)
            responses.setdefault("412", self._error_response("412"))
        elif self._evaluates_if_match():
            responses.setdefault("412", self._error_response("412", COLLECTION_412))
        if not parameters:
            del operation["parameters"]

    def _add_errors(self, operation: dict) -> None:
        responses = operation["responses"]
        public = {} in operation.get("security", [])
        # A write answers 400 even without a body: a malformed one is refused, and an action
        # such as rejecting a suggestion says why it cannot be done (a field message).
        takes_input = (
            "requestBody" in operation
            or self.method in BODY_METHODS
            or any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
            # An empty If-Match is malformed (core.api.conditional), a DELETE's too.
            or self._conditional_writes()
        )
        codes = ["401", "404"]
        if takes_input:
            codes.append("400")
        if not public or self.method not in SAFE_METHODS:
            codes.append("403")
        # A write reads its body even when it takes none (a DELETE's or an action's keys are
        # refused): a body of another media type is a 415, one too large a 413.
        if self.method in UNSAFE_METHODS:
            codes.extend(["413", "415"])
        # A DELETE taking other records with it (core.services.record_delete) is refused when
        # one was added to them meanwhile; the view says it deletes that way.
        if self.method == "DELETE" and getattr(self.view, "deletion_conflicts", False):
            codes.append("409")
        # Every operation negotiates the answer's media type before anything else
        # (core.api.negotiation).
        if self.method in SAFE_METHODS and self._is_download():
            responses.setdefault("406", self._error_response("406", DOWNLOAD_406))
        codes.append("406")
        # Anonymous clients are throttled; and every client, staff too, once its address has
        # sent too many wrong tokens (core.api.authentication).
        if public or self._authenticates_tokens():
            codes.append("429")
        if self._starts_jobs():
            responses.setdefault("429", self._error_response("429", JOB_429))
        for code in codes:
            responses.setdefault(code, self._error_response(code))
        # Errors a view documents by description alone get the error body too.
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                response["content"] = self._error_response(code, "-")["content"]
        operation["responses"] = dict(sorted(responses.items()))

    def _starts_jobs(self) -> bool:
        return any(isinstance(throttle, JobStartThrottle) for throttle in self.view.get_throttles())

    def _authenticates_tokens(self) -> bool:
        return any(
            isinstance(authenticator, ThrottledTokenAuthentication)
            for authenticator in self.view.get_authenticators()
        )

    def _get_format_parameters(self):
        # A download answers `?format=` with its file's format alone: its JSON renderer is
        # for the error bodies, and `?format=json` is a 404 (core.api.negotiation).
        parameters = super()._get_format_parameters()
        if self._is_download():
            files = [
                renderer.format
                for renderer in self.view.get_renderers()
                if isinstance(renderer, FileRenderer)
            ]
            for parameter in parameters:
                parameter["schema"]["enum"] = files
        return parameters

    def _is_download(self) -> bool:
        return any(isinstance(renderer, FileRenderer) for renderer in self.view.get_renderers())

    def _error_response(self, code: str, description: str = "") -> dict:
        content = {"application/json": {"schema": self._error_schema()}}
        # A download's errors come in the format asked for (`?format=csv`, `?format=xlsx`),
        # but for its 406: the format it was asked for is the one it has not.
        for renderer in self.view.get_renderers():
            if code != "406" and renderer.media_type in DOWNLOAD_ERROR_SCHEMAS:
                content[renderer.media_type] = {
                    "schema": DOWNLOAD_ERROR_SCHEMAS[renderer.media_type]
                }
        response = {"description": description or ERRORS.get(code, ""), "content": content}
        if code in ERROR_HEADERS:
            response["headers"] = ERROR_HEADERS[code]
        return response

    def _error_schema(self) -> dict:
        schema = getattr(self.view, "error_schema", None)
        if schema is not None:
            return schema
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            object=ERROR_COMPONENT,
            schema=ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component.ref


def report_or_error(component: str) -> dict:
    """The body of an import's 400: its report (`ok` false, the problems by line), or the API's
    error body for a problem with the file as a whole. The report is the 200's own component, so
    a generated client reads the same fields (`positions_created`, `orientation`) from both."""
    return {
        "oneOf": [
            {"$ref": f"#/components/schemas/{component}"},
            {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"},
        ]
    }


def lib_doc_excludes() -> list[type]:
    """The classes whose docstrings describe no component or operation (SPECTACULAR_SETTINGS
    ["GET_LIB_DOC_EXCLUDES"]): drf-spectacular's, and the project's serializer and view
    plumbing. A serializer or viewset without a docstring of its own was described by its base's
    notes to developers (the ModelSerializer's, KnownKeysMixin's, the conditional mixins')."""
    import inspect

    from drf_spectacular.plumbing import get_lib_doc_excludes

    from core.api import conditional
    from core.api.serializers import KnownKeysMixin, ModelSerializer, WholeItemsMixin

    view_plumbing = [
        cls
        for _name, cls in inspect.getmembers(conditional, inspect.isclass)
        if cls.__module__ == conditional.__name__
    ]
    return [
        *get_lib_doc_excludes(),
        ModelSerializer,
        KnownKeysMixin,
        WholeItemsMixin,
        *view_plumbing,
    ]


def postprocess_schema(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: security schemes described for people."""
    schemes = result.get("components", {}).get("securitySchemes", {})
    if "tokenAuth" in schemes:
        schemes["tokenAuth"]["description"] = (
            "`Authorization: Token <key>`: a staff user's token (`manage.py drf_create_token "
            "<username>`, or the admin's Auth Token pages)."
        )
    if "cookieAuth" in schemes:
        schemes["cookieAuth"]["description"] = (
            "The browser session of a signed-in user; writes also need the X-CSRFToken header."
        )
    return result
