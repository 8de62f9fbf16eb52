"""Filter pieces shared by every list endpoint."""

import itertools
import re
from collections.abc import Iterable
from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.plumbing import ComponentRegistry, force_instance
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import ListField, MultipleChoiceField
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.settings import api_settings

from core.history import ChangedAt
from core.i18n import join_list
from core.models import DegreeLevel, degree_level_refusal
from core.search import SEARCH_MAX_CHARS
from core.selectors import record_by_code, sync_watermark

# Primary keys are 64-bit: a larger number can match nothing, and some databases raise on it.
MAX_ID = 2**63 - 1


# A body or query string holds up to DATA_UPLOAD_MAX_NUMBER_FIELDS names (a JSON body, as many as
# 2.5 MB holds), each as long as the request: a 400 naming unknown ones names the first few, each
# cut short, not a copy of the request ten times over (each with the list of what is taken).
UNKNOWN_NAMES_SHOWN = 20
UNKNOWN_NAME_LENGTH = 100


def excerpt(text: str, length: int = UNKNOWN_NAME_LENGTH) -> str:
    """`text` as a message quotes what a client sent: cut to `length` characters, the last an
    ellipsis, where it is longer."""
    return text if len(text) <= length else text[: length - 1] + "…"


def unknown_names_shown(names: Iterable[str]) -> list[str]:
    """The first UNKNOWN_NAMES_SHOWN of `names`, each cut to UNKNOWN_NAME_LENGTH characters."""
    return [excerpt(name) for name in itertools.islice(names, UNKNOWN_NAMES_SHOWN)]


class IdFormField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter a whole number that identifies a record."),
        "min_value": _("Identifiers are positive whole numbers."),
        "max_value": _("That identifier is too large to exist."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An id in a query string: malformed, negative or huge values are a 400, not a 500."""

    field_class = IdFormField


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_CHARS})
class SearchFilter(django_filters.CharFilter):
    """A text looked for in records (`core.search.folded_contains`), of at most SEARCH_MAX_CHARS
    characters: a longer one is a 400 naming the parameter, not a 500 (SQLite reads LIKE
    patterns of 50,000 bytes at most) nor a scan with a pattern no record holds."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_CHARS)
        super().__init__(*args, **kwargs)


NONE = "none"


class IdOrNoneFormField(IdFormField):
    """An id, or `none` for the records that have no such relation."""

    default_error_messages = {
        "invalid": _("Enter a whole number that identifies a record, or none."),
    }

    def clean(self, value):
        if isinstance(value, str) and value.strip().lower() == NONE:
            return NONE
        return super().clean(value)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            {"type": "string", "enum": [NONE]},
        ]
    }
)
class IdOrNoneFilter(IdFilter):
    """`?framework=3`, or `?framework=none` for the records without one (a nullable relation)."""

    field_class = IdOrNoneFormField

    def filter(self, qs, value):
        if value == NONE:
            return self.get_method(qs)(**{f"{self.field_name}__isnull": True})
        return super().filter(qs, value)


AWARE_DATETIME_INVALID = _(
    "Give an ISO 8601 date and time, such as 2026-01-31T08:00:00Z or 2026-01-31T16:00:00+08:00."
)
AWARE_DATETIME_NAIVE = _("Give the time zone too: Z for UTC, or an offset such as +08:00.")
# An offset's + sent unencoded in a query string arrives as a space.
_SPACED_OFFSET = re.compile(r" (\d{2}(?::?\d{2})?)$")


def aware_datetime(raw: str) -> datetime:
    """An ISO 8601 date and time with its time zone, as a sync's watermark is given: a time
    without one would be read in the server's zone, silently hours off from the client's.
    Returned in UTC: PostgreSQL refuses an offset past 15:59 that Python reads (up to 23:59),
    and the instant is the same; one no date holds in UTC (0001-01-01 at +05:00) is invalid."""
    # RFC 3339 (5.6) allows a lower-case t and z; no other letter is in such a time.
    text = _SPACED_OFFSET.sub(r"+\1", raw.strip()).upper()
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    # A date alone (which Python reads as its midnight) lacks a time, not only a zone: the zone
    # it was told to add gave 2026-01-31Z, no ISO 8601 time either.
    if parsed is None or ("T" not in text and " " not in text):
        raise forms.ValidationError(AWARE_DATETIME_INVALID, code="invalid")
    if timezone.is_naive(parsed):
        raise forms.ValidationError(AWARE_DATETIME_NAIVE, code="naive")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise forms.ValidationError(AWARE_DATETIME_INVALID, code="invalid") from None


class AwareDateTimeFormField(forms.Field):
    """aware_datetime in a filter set's form: absent or empty means no filter."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return aware_datetime(value)


@extend_schema_field({"type": "string", "format": "date-time"})
class AwareDateTimeQueryField(serializers.Field):
    """aware_datetime for a query string read by a serializer (a 400 naming the parameter)."""

    def to_internal_value(self, data):
        try:
            return aware_datetime(str(data))
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from error


UPDATED_SINCE_HELP = _(
    "Only records changed at or after this time (ISO 8601, with its time zone), oldest change "
    "first: for a sync, the latest updated_at the previous one saw. Deletions: deletions/."
)


@extend_schema_field({"type": "string", "format": "date-time"})
class UpdatedSinceFilter(django_filters.Filter):
    """`?updated_since=2026-01-31T08:00:00Z`: the records changed since then (their
    `updated_at`, or the annotation a list shows as its update time), ordered by that time and
    id so that a sync reads them in a stable order; a later `?ordering=` still wins. Where the
    annotation is a ChangedAt's, given as `changed_at`, its `changed_since` selects them."""

    field_class = AwareDateTimeFormField

    def __init__(self, *args, changed_at: ChangedAt | None = None, **kwargs):
        # A list whose update time is computed (ChangedAtMixin's `last_changed`) names how:
        # the records changed are then found by ChangedAt.changed_since, and the annotation
        # computed only for them (to order them and show it).
        self.changed_at = changed_at
        kwargs.setdefault("field_name", "updated_at" if changed_at is None else "last_changed")
        kwargs.setdefault("label", UPDATED_SINCE_HELP)
        super().__init__(*args, **kwargs)

    def changed_since(self, since: datetime, *, strictly: bool = False) -> Q:
        if self.changed_at is not None:
            return self.changed_at.changed_since(since, strictly=strictly)
        return Q(**{f"{self.field_name}__{'gt' if strictly else 'gte'}": since})

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(self.changed_since(value)).order_by(self.field_name, "pk")


def record_sync_watermark(request, *, since: datetime | None) -> None:
    """Read the sync watermark (core.selectors.sync_watermark) for the answer's
    Sync-Watermark header, which ApiResponseHeadersMiddleware sets: call it before the rows
    the answer shows are read."""
    getattr(request, "_request", request).sync_watermark = sync_watermark(since=since)


class SyncFilterSet(django_filters.FilterSet):
    """The filters of every list whose records have an update time: `updated_since`, and
    `after_id` to page on from the last row read (a keyset: page numbers shift when a record
    read on an earlier page changes, moving to the end, or is deleted)."""

    updated_since = UpdatedSinceFilter()
    after_id = IdFilter(
        method="filter_after_id",
        label=_(
            "With updated_since set to the last row's updated_at: the rows after that row, "
            "for the next page of a sync. It pages in the sync's order (update time, then id): "
            "with ordering too, a 400."
        ),
    )

    def filter_after_id(self, queryset, name, value):
        # Applied with updated_since in filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        since = self.form.cleaned_data.get("updated_since")
        after_id = self.form.cleaned_data.get("after_id")
        if after_id is not None:
            queryset = self.filter_after_id_given(queryset, since, after_id)
        if since is not None and self.request is not None:
            # Here, before the list's rows are read (the queryset is lazy).
            record_sync_watermark(self.request, since=since)
        return queryset

    def filter_after_id_given(self, queryset, since: datetime | None, after_id: int):
        if since is None:
            raise ValidationError(
                {"after_id": [_("Give updated_since too: the updated_at of the row it names.")]}
            )
        # The row after_id names is past the others in the sync's order alone: in another, the
        # rows before it on that order's pages were skipped or read again, without a word.
        orderings = getattr(self.data, "getlist", lambda name: [self.data.get(name) or ""])
        if any(value.strip() for value in orderings(api_settings.ORDERING_PARAM)):
            raise ValidationError(
                {
                    api_settings.ORDERING_PARAM: [
                        _(
                            "Leave ordering out with after_id: a sync's pages follow its own "
                            "order, update time then id."
                        )
                    ]
                }
            )
        return self.filter_after(queryset, since, after_id)

    def filter_after(self, queryset, since: datetime, after_id: int):
        # Past the row: later, or as late and after it by id (the list's order).
        return queryset.filter(
            Q(pk__gt=after_id) | self.filters["updated_since"].changed_since(since, strictly=True)
        )


class ChangedAtMixin:
    """For the viewsets of lists whose update time is computed (`changed_at`, a
    core.history.ChangedAt): whole in the list's query where `?updated_since=` orders by it
    (its filter set's UpdatedSinceFilter, given the same ChangedAt, selects the rows without
    it), and for a single record; for a plain page, all but its costly part in the
    query and that once the page is known (`attach_changed_at`), so that a page of 100 does
    not compute it for the rows the database sorts and skips before it. Their get_queryset
    passes its queryset through `with_changed_at`."""

    changed_at: ChangedAt

    def page_changed_at(self) -> bool:
        return (
            self.action == "list"
            and self.paginator is not None
            and "updated_since" not in self.request.query_params
        )

    def with_changed_at(self, queryset):
        if self.page_changed_at():
            return queryset.annotate(last_changed=self.changed_at.list_expression())
        return queryset.annotate(last_changed=self.changed_at.expression())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.page_changed_at():
            self.attach_changed_at(page)
        return page

    def attach_changed_at(self, page) -> None:
        self.changed_at.attach(page)


class StrictBooleanFormField(forms.NullBooleanField):
    """true/false (or 1/0); absent means no filter. Anything else is an error, not silently
    'no filter', so a client with a typo learns of it."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanFormField


class CodeChoiceFormField(ModelChoiceField):
    """A record named by its code as `CodeRelatedField` reads one on write: the code exact,
    else case-insensitively when that names one record, so `?level=m` finds what `"m"` writes."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        record = record_by_code(self.queryset, value, field=self.to_field_name)
        if record is not None:
            return record
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class DegreeLevelFormField(forms.ChoiceField):
    """A degree level's code; another value is refused naming the codes taken (Django's own
    message said only that it was not one of the available choices)."""

    def validate(self, value):
        if value not in self.empty_values and value not in DegreeLevel.values:
            # The refusal quotes the value; every reader of a ValidationError (django-filter
            # always) %-formats its message with its params, so the quoted text goes in as one.
            raise forms.ValidationError(
                "%(refusal)s",
                code="invalid_choice",
                params={"refusal": degree_level_refusal(value)},
            )
        super().validate(value)


class DegreeLevelFilter(django_filters.ChoiceFilter):
    """`?degree_level=doctorate`: one of DegreeLevel's codes (the schema's enum)."""

    field_class = DegreeLevelFormField

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = DegreeLevel.choices
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string"})
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """`?level=M`: a related record by its code, in any case (see CodeChoiceFormField)."""

    field_class = CodeChoiceFormField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=title,-id`: the list's order, from the fields the viewset names in
    `ordering_fields` (a view without them has no `ordering` parameter). An unknown field is a
    400 naming the allowed ones, not silently ignored; the id breaks ties, so pages are stable.
    Repeated parameters (`?ordering=a&ordering=-b`) are read as one list, as generated clients
    send arrays that way. A field named twice (`id,-id`) is a 400 too: `id,id,…` 20,000 times
    was sorted by, and echoed in the `next` link, and no list has more fields than it offers."""

    default_error = _("Order by one of: %(fields)s (a leading - for descending).")
    repeated_error = _(
        "Order by each field once: %(field)s is given more than once. Order by one of: "
        "%(fields)s (a leading - for descending)."
    )

    def get_valid_fields(self, queryset, view, context=None):
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def get_ordering(self, request, queryset, view):
        # An empty value (`?ordering=`) is not given; a blank term in a value (`title,` or `,`)
        # names no field, and is refused like an unknown one.
        terms = [
            term.strip()
            for value in request.query_params.getlist(self.ordering_param)
            if value.strip()
            for term in value.split(",")
        ]
        if not terms:
            return self.get_default_ordering(view)
        valid = {name for name, _label in self.get_valid_fields(queryset, view, {})}
        if not valid:
            return self.get_default_ordering(view)
        unknown = [term for term in terms if term.removeprefix("-") not in valid]
        if unknown:
            raise ValidationError(
                {self.ordering_param: [self.default_error % {"fields": join_list(sorted(valid))}]}
            )
        named = set()
        for term in terms:
            field = term.removeprefix("-")
            if field in named:
                message = self.repeated_error % {"field": field, "fields": join_list(sorted(valid))}
                raise ValidationError({self.ordering_param: [message]})
            named.add(field)
        if not {"id", "-id", "pk", "-pk"} & set(terms):
            terms.append("pk")
        return terms

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None)
        if not fields:
            return []
        names = [name if isinstance(name, str) else name[0] for name in fields]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Sort by these fields, in turn; a leading - descends. Empty or left out: "
                        "the list's default order."
                    )
                ),
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [*names, *(f"-{name}" for name in names)],
                    },
                },
            }
        ]


def refuse_repeated(params, names) -> None:
    """A 400 naming each of `names` a query string or form gives more than once: a QueryDict
    read field by field keeps the last value and drops the others without a word, so
    `?course=1&course=2` listed course 2's links alone, and of two files one was imported."""
    if not hasattr(params, "getlist"):
        return  # a plain dict (DRF's data of a request without a body) holds each key once
    errors = {
        name: [_("Give %(name)s once; it takes one value.") % {"name": name}]
        for name in names
        if len(params.getlist(name)) > 1
    }
    if errors:
        raise ValidationError(errors)


def refuse_repeated_fields(params, serializer) -> None:
    """refuse_repeated for a serializer reading a query string or form: each field of one
    value."""
    refuse_repeated(
        params,
        [
            name
            for name, field in serializer.fields.items()
            if not isinstance(field, ListField | MultipleChoiceField)
        ],
    )


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with a filter given twice a 400 (refuse_repeated)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_repeated(request.query_params, filterset.filters)
        return filterset


# Read by every collection beside the parameters it documents: DRF's `format` (the renderer; the
# schema names it where there is a choice of formats) and `_`, the cache-busting parameter of
# jQuery's `cache: false` and of many HTTP libraries, whose value nobody reads.
HARMLESS_QUERY_PARAMETERS = ("_",)
UNKNOWN_QUERY_PARAMETER = _("Unknown query parameter: this list takes %(names)s.")
UNKNOWN_QUERY_PARAMETER_NONE = _("Unknown query parameter: this list takes none.")


def _reads_a_collection(view) -> bool:
    """Not one object (a detail route's get_object filters too, by the filter backends)."""
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
    return lookup not in (getattr(view, "kwargs", None) or {})


def _documented_parameters(view, method: str) -> set[str]:
    """The query parameters the view's @extend_schema adds to the operation (a serializer's
    fields, or OpenApiParameter), as drf-spectacular reads them for the schema."""
    action = getattr(view, "action", None)
    handler = getattr(view, action or method.lower(), None)
    schema_class = getattr(handler, "kwargs", {}).get("schema")
    schema = schema_class() if isinstance(schema_class, type) else getattr(view, "schema", None)
    if schema is None or not hasattr(schema, "get_override_parameters"):
        return set()
    schema.view = view
    schema.method = method
    names = set()
    for parameter in schema.get_override_parameters():
        if isinstance(parameter, OpenApiParameter):
            if parameter.location == OpenApiParameter.QUERY and not parameter.response:
                names.add(parameter.name)
        else:
            fields = force_instance(parameter).fields.items()
            names.update(name for name, field in fields if not field.read_only)
    return names


# Per view class and action, and what an action may set apart (its filter set, backends and
# paginator): found once, as they are fixed in code (~0.1-0.3 ms each time otherwise, most of
# it the schema parameters' translated descriptions and a query serializer's fields).
_KNOWN: dict[tuple, frozenset[str]] = {}


def known_query_parameters(request, queryset, view) -> frozenset[str]:
    """The query parameters a collection's read takes, from where the schema finds them: the
    filter set, the other filter backends' schema parameters (ordering), the paginator's and
    the view's @extend_schema ones; so what is refused is what the schema leaves out."""
    key = (
        type(view),
        getattr(view, "action", None),
        request.method,
        getattr(view, "filterset_class", None),
        tuple(getattr(view, "filter_backends", ())),
        type(getattr(view, "paginator", None)),
    )
    known = _KNOWN.get(key)
    if known is None:
        known = _KNOWN[key] = frozenset(_known_query_parameters(request, queryset, view))
    return known


def _known_query_parameters(request, queryset, view) -> set[str]:
    names = set(_documented_parameters(view, request.method))
    for backend_class in getattr(view, "filter_backends", ()):
        backend = backend_class()
        if isinstance(backend, DjangoFilterBackend):
            # Not its get_schema_operation_parameters: that builds the view's queryset again.
            filterset_class = backend.get_filterset_class(view, queryset)
            names.update(filterset_class.base_filters if filterset_class else ())
        elif not isinstance(backend, KnownQueryParametersFilter):
            parameters = backend.get_schema_operation_parameters(view)
            names.update(p["name"] for p in parameters if p.get("in") == "query")
    if getattr(view, "paginator", None) is not None:
        parameters = view.paginator.get_schema_operation_parameters(view)
        names.update(p["name"] for p in parameters if p.get("in") == "query")
    return names


class KnownQueryParametersFilter(BaseFilterBackend):
    """A read of a collection (a list, a filtered export) refuses a query parameter it does not
    take with a 400 naming it and listing those it takes: `?name=` on positions (whose filter
    is `search`) answered every position, and the client thought it had filtered. The harmless
    ones (`format`, `_`) pass. One object's read is left as it is."""

    def filter_queryset(self, request, queryset, view):
        if not _reads_a_collection(view):
            return queryset
        known = known_query_parameters(request, queryset, view)
        harmless = {api_settings.URL_FORMAT_OVERRIDE, *HARMLESS_QUERY_PARAMETERS}
        unknown = [name for name in request.query_params if name not in known | harmless]
        if unknown:
            message = (
                UNKNOWN_QUERY_PARAMETER % {"names": join_list(sorted(known))}
                if known
                else UNKNOWN_QUERY_PARAMETER_NONE
            )
            raise ValidationError({name: [message] for name in unknown_names_shown(unknown)})
        return queryset


UNKNOWN_REQUEST_PARAMETER = _("Unknown query parameter: this request takes %(names)s.")


def refuse_unknown_query_parameters(params, *, taken: Iterable[str]) -> None:
    """For a write that documents query parameters (an import's dry_run and background): a 400
    naming each other one, as a list refuses them (KnownQueryParametersFilter), where a misspelt
    `?dryrun=1` was read past and the file imported for real. `format` and `_` pass."""
    taken = sorted(taken)
    harmless = {api_settings.URL_FORMAT_OVERRIDE, *HARMLESS_QUERY_PARAMETERS}
    unknown = [name for name in params if name not in {*taken, *harmless}]
    if unknown:
        message = UNKNOWN_REQUEST_PARAMETER % {"names": join_list(taken)}
        raise ValidationError({name: [message] for name in unknown_names_shown(unknown)})


UNKNOWN_REQUEST_PARAMETER_NONE = _("Unknown query parameter: this request takes none.")


class _OperationInspector:
    """The query parameters each operation's schema documents, found as drf-spectacular finds
    them for /api/schema/ (the same endpoints, views and AutoSchema), one operation at a time
    and once per process: what an operation refuses is what its schema leaves out."""

    def __init__(self):
        self._endpoints: dict[tuple, tuple[str, str]] | None = None
        self._known: dict[tuple, frozenset[str] | None] = {}

    def endpoints(self, generator) -> dict[tuple, tuple[str, str]]:
        if self._endpoints is None:
            generator._initialise_endpoints()
            self._endpoints = {}
            for path, path_regex, method, callback in generator.endpoints:
                self._endpoints.setdefault((callback, method), (path, path_regex))
        return self._endpoints

    def query_parameters(self, callback, method: str) -> frozenset[str] | None:
        """None for a view the schema leaves out (the documentation pages, the fallback
        404): nothing to hold it to."""
        key = (callback, method)
        if key not in self._known:
            self._known[key] = self._find(callback, method)
        return self._known[key]

    def _find(self, callback, method: str) -> frozenset[str] | None:
        # Here, not at the top: the generator imports DRF's views, whose settings import the
        # content negotiation, which imports this module.
        from drf_spectacular.generators import SchemaGenerator

        generator = SchemaGenerator()
        endpoint = self.endpoints(generator).get((callback, method))
        if endpoint is None:
            return None
        path, path_regex = endpoint
        view = generator.create_view(callback, method, None)
        if getattr(view, "schema", None) is None:
            return None
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        prefix = "^" + (spectacular_settings.SCHEMA_PATH_PREFIX or "").lstrip("^")
        operation = view.schema.get_operation(path, path_regex, prefix, method, ComponentRegistry())
        if operation is None:
            return None
        return frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")


_operations = _OperationInspector()


class DocumentedQueryParametersMixin:
    """For every API view: a query parameter its operation's schema does not document is a 400
    naming it (as a list's, KnownQueryParametersFilter, and an import's are), once
    authentication and permissions have let the request through, before anything is read or
    written. Observed: `POST suggestions/generate/?framework=3` ran for every framework, and
    `positions/1/?name=zzz` answered the position. `format` and `_` pass; HEAD is its GET;
    OPTIONS (DRF's metadata, in no schema) is left as it is."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_undocumented_query_parameters(request, self)


def _addresses_a_collection(view) -> bool:
    """A viewset's list route, or a plain view whose path names nothing (`history/`, not
    `history/{model}/{history_id}/` nor `tasks/{task_id}/`)."""
    detail = getattr(view, "detail", None)
    if detail is not None:
        return not detail
    kwargs = getattr(view, "kwargs", None) or {}
    return not set(kwargs) - {api_settings.FORMAT_SUFFIX_KWARG}


def refuse_undocumented_query_parameters(request, view) -> None:
    """A 400 naming each query parameter the schema of the view's operation does not
    document, with the message of a list's refusal on a collection's read."""
    method = "GET" if request.method == "HEAD" else request.method
    match = getattr(request, "resolver_match", None)
    if method == "OPTIONS" or match is None:
        return
    harmless = {api_settings.URL_FORMAT_OVERRIDE, *HARMLESS_QUERY_PARAMETERS}
    unknown = [name for name in request.query_params if name not in harmless]
    if not unknown:
        return
    known = _operations.query_parameters(match.func, method)
    if known is None:
        return
    unknown = [name for name in unknown if name not in known]
    if not unknown:
        return
    taken = join_list(sorted(known - harmless))
    if method == "GET" and _addresses_a_collection(view):
        message = UNKNOWN_QUERY_PARAMETER if taken else UNKNOWN_QUERY_PARAMETER_NONE
    else:
        message = UNKNOWN_REQUEST_PARAMETER if taken else UNKNOWN_REQUEST_PARAMETER_NONE
    message = message % {"names": taken} if taken else message
    raise ValidationError({name: [message] for name in unknown_names_shown(unknown)})
