"""The mapping engine: a response document becomes a Customer list plus diagnostics.

Pure and deterministic: the same spec and document always give the same result, nothing is
written anywhere, and no data can make it raise. Every field is evaluated relative to its own
record (H010), so one bad record never hides or shifts the good ones. Paths are compiled once
per spec (:func:`compile_spec`), which is what keeps a live preview over 10 000 records fast.

Decisions worth knowing (they are tested):

* numbers become their exact decimal text in text fields (``1001`` -> ``"1001"``, H039/H019),
  booleans become ``"true"``/``"false"``; objects and lists are refused with a diagnostic;
* ``balance.balance`` takes JSON numbers and text in plain JSON number syntax (``"12.50"``);
  text with grouping or a decimal comma (``"1.234,50"``) needs the ``parse_number`` transform,
  because guessing the separator would silently turn 12.500 into twelve and a half;
* an empty text (``""``) counts as nothing found: the default applies, else the field is omitted;
* a path giving several values is a problem (the field stays empty) unless the field's
  ``combine`` is ``first`` or a ``first_non_empty`` transform picks one;
* NaN/Infinity (non-standard JSON) are never a value: the field is omitted with a diagnostic.
"""

from __future__ import annotations

import gc
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from designer.core.config import FieldMapping, ResponseSpec
from designer.core.customer import CUSTOMER_FIELDS, NUMBER_FIELDS, Customer
from designer.core.jsonio import MAX_NUMBER_DIGITS, NonStandardNumber, is_writable_number
from designer.core.jsonpath import CompiledPath, PathError, compile_path, describe_type, find_records
from designer.core.mapping_fast import FieldPlan, FieldsFunction, RecordsFunction, build_fields, build_records
from designer.core.model_types import Diagnostic, MappingResult, RecordResult
from designer.core.transforms import TransformError, apply_transform, is_empty, show, to_string

__all__ = [
    "ISO_ALPHA2",
    "CompiledSpec",
    "DocumentMapping",
    "compile_spec",
    "map_document",
    "map_record",
    "select_records",
]

# The 249 officially assigned ISO 3166-1 alpha-2 codes.
_ISO_ALPHA2_TEXT = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
    "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL "
    "GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM "
    "JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD "
    "SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
)
ISO_ALPHA2: frozenset[str] = frozenset(_ISO_ALPHA2_TEXT.split())

_JSON_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_validate_customer = Customer.__pydantic_validator__.validate_python


class _FieldProblem(Exception):
    """A field that cannot be filled; carries the diagnostic code and message."""

    def __init__(self, code: str, message: str, severity: str = "error") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.severity = severity


def _plan(name: str, mapping: FieldMapping) -> FieldPlan:
    paths: list[CompiledPath] = []
    invalid: list[str] = []
    for expr in mapping.paths:
        try:
            paths.append(compile_path(expr))
        except PathError as error:
            invalid.append(error.message)
    plain = len(mapping.paths) == 1 and paths and not mapping.transforms and mapping.combine == "join"
    simple = paths[0] if plain else None
    return FieldPlan(name, mapping, tuple(paths), tuple(invalid), name in NUMBER_FIELDS, simple)


def _to_number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _FieldProblem("not_a_number", f"{show(value)} is a boolean, expected a number")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite():
            raise _FieldProblem("not_a_number", f"{value} is not a number")
        return _writable(number, value)
    if isinstance(value, str):
        text = value.strip()
        if _JSON_NUMBER.fullmatch(text):
            return _writable(Decimal(text), value)
        raise _FieldProblem(
            "not_a_number",
            f"{show(value)} is text, not a number; add the parse_number transform "
            "(with the decimal separator the API uses)",
        )
    raise _FieldProblem("not_a_number", f"{show(value)} is not a number")


def _writable(number: Decimal, value: Any) -> Decimal:
    if is_writable_number(number):
        return number
    raise _FieldProblem(
        "not_a_number",
        f"{show(value)} has more than {MAX_NUMBER_DIGITS} digits written out; it cannot be a balance",
    )


def _check_value(value: Any, path: str) -> None:
    if isinstance(value, dict | list):
        raise _FieldProblem("not_a_value", f"{path} is {describe_type(value)}, expected a value")
    if isinstance(value, NonStandardNumber):
        raise _FieldProblem(
            "non_standard_number",
            f"{path} is {value.literal}, which is not a JSON number (non-standard JSON); field omitted",
        )


def _convert(value: Any, number: bool, path: str) -> Any:
    """The final field value, or None when there is nothing to show."""
    _check_value(value, path)
    if number:
        return None if is_empty(value) else _to_number(value)
    try:
        text = to_string(value)
    except TransformError as error:
        raise _FieldProblem("not_a_value", str(error)) from None
    return text if text and not text.isspace() else None


@dataclass(frozen=True)
class CompiledSpec:
    """A response spec with every path compiled once; map as many records as you like."""

    spec: ResponseSpec
    records_path: CompiledPath | None
    plans: tuple[FieldPlan, ...]
    #: Problems of the spec itself (invalid paths), reported once per document.
    spec_diagnostics: tuple[Diagnostic, ...]
    balance_mapped: bool
    #: Generated code for the common cases of every field (see :mod:`designer.core.mapping_fast`).
    fast: FieldsFunction | None
    #: Generated code mapping the records that need no explanation (None for the others).
    fast_records: RecordsFunction | None

    # ------------------------------------------------------------------ records

    def select_records(self, document: Any) -> tuple[list[Any], list[Diagnostic]]:
        """The records of ``document`` and what was noticed while finding them."""
        spec = self.spec
        if document is None:
            return [], [Diagnostic("body_null", "body is null: no customers", severity="warning")]
        if not isinstance(document, dict | list):
            kind = describe_type(document).split(" ", 1)[-1]
            if isinstance(document, NonStandardNumber):
                kind = f"non-standard number ({document.literal})"
            return [], [Diagnostic("body_scalar", f"body is a {kind}, no customer list")]
        if self.records_path is None:
            return [], [d for d in self.spec_diagnostics if d.field is None]
        found = find_records(
            self.records_path, document, single_object_is_record=spec.single_object_is_record
        )
        diagnostics: list[Diagnostic] = []
        if found.shape == "nothing":
            reason = (self.records_path.wildcard_parent or self.records_path).explain_miss(
                document, root="the body"
            )
            message = f"records path {spec.records_path} matched nothing"
            diagnostics.append(
                Diagnostic(
                    "records_nothing", message + (f" ({reason})" if reason else ""), severity="warning"
                )
            )
        elif found.shape == "single_refused":
            diagnostics.append(
                Diagnostic(
                    "single_object",
                    "the records path selects a single object, and 'a single object is one record' "
                    "is off: no customers",
                    severity="warning",
                )
            )
        return found.records, diagnostics

    # ------------------------------------------------------------------ fields

    def _field(self, plan: FieldPlan, record: Any) -> Any:
        """The value of one field for one record, or None; raises _FieldProblem."""
        if plan.invalid:
            # Reported once per document (spec_diagnostics); only the identifier, whose absence
            # invalidates the record, repeats it on every record to say why.
            if plan.name == "identifier":
                raise _FieldProblem("path_invalid", "; ".join(plan.invalid))
            return None
        simple = plan.simple
        if simple is None:
            return self._combined(plan, record)
        found = simple.values(record)
        if len(found) == 1:
            value = found[0]
            if isinstance(value, str) and value and not value.isspace() and not plan.number:
                return value
            converted = _convert(value, plan.number, simple.expression)
            if converted is not None:
                return converted
        elif len(found) > 1:
            raise _several(simple.expression, len(found))
        elif plan.mapping.default is None:
            reason = simple.explain_miss(record)
            if reason:
                raise _FieldProblem("path_mismatch", reason, "warning")
        return self._default(plan)

    def _combined(self, plan: FieldPlan, record: Any) -> Any:
        """Several paths and/or transforms: transform each path's values, then combine."""
        mapping = plan.mapping
        parts: list[tuple[str, Any]] = []
        for path in plan.paths:
            values = path.values(record)
            for transform in mapping.transforms:
                try:
                    values = apply_transform(transform.name, values, transform.decimal_separator)
                except TransformError as error:
                    raise _FieldProblem("transform_failed", f"{transform.name}: {error}") from None
            if len(values) > 1 and mapping.combine != "first":
                raise _several(path.expression, len(values))
            parts.extend((path.expression, v) for v in values)
        for expr, value in parts:
            _check_value(value, expr)
        present = [(expr, v) for expr, v in parts if not is_empty(v)]
        if not present:
            return self._default(plan)
        if mapping.combine == "first" or len(present) == 1:
            expr, value = present[0]
            result = _convert(value, plan.number, expr)
        elif plan.number:
            raise _FieldProblem("several_values", "a number cannot be joined from several paths")
        else:
            result = mapping.separator.join(_convert(v, False, e) or "" for e, v in present)
        return result if result is not None else self._default(plan)

    def _default(self, plan: FieldPlan) -> Any:
        default = plan.mapping.default
        if default is None:
            return None
        return _convert(default, plan.number, "the default")

    # ------------------------------------------------------------------ records

    def map_record(self, record: Any, index: int) -> RecordResult:
        """One record to a Customer (None if invalid), with its field values and problems."""
        if self.fast_records is not None:
            (result,), _ = self.fast_records((record,), index)
            if result is not None:
                return result
        return self._map_general(record, index)

    def _map_general(self, record: Any, index: int) -> RecordResult:
        values: dict[str, Any] = {}
        diagnostics: list[Diagnostic] = []
        if self.fast is not None and type(record) is dict:
            self.fast(record, index, values, diagnostics, self._slow_field)
        else:
            for position in range(len(self.plans)):
                self._slow_field(position, record, index, values, diagnostics)
        return self._customer(record, index, values, diagnostics)

    def _slow_field(
        self, position: int, record: Any, index: int, values: dict[str, Any], diagnostics: list[Diagnostic]
    ) -> None:
        plan = self.plans[position]
        try:
            value = self._field(plan, record)
        except _FieldProblem as problem:
            diagnostics.append(Diagnostic(problem.code, problem.message, index, plan.name, problem.severity))
            return
        if value is not None:
            values[plan.name] = value

    def _customer(
        self, record: Any, index: int, values: dict[str, Any], diagnostics: list[Diagnostic]
    ) -> RecordResult:
        fields = values.copy()
        balance_id = fields.pop("balance.identifier", None)
        amount = fields.pop("balance.balance", None)
        if balance_id is not None and amount is not None:
            # A plain dict: validating it inside Customer is cheaper than building a Balance.
            fields["balance"] = {"identifier": balance_id, "balance": amount}
        elif (balance_id is None) != (amount is None) and self.balance_mapped:
            _balance_incomplete(index, amount is None, diagnostics)
        code = fields.get("country_code")
        if code is not None and code not in ISO_ALPHA2:
            _country_code(index, code, diagnostics)
        if "identifier" not in fields:
            _identifier_missing(record, index, diagnostics)
            return RecordResult(index, None, values, tuple(diagnostics))
        try:
            customer = _validate_customer(fields)
        except ValidationError as error:
            invalid = _invalid_text(values)
            if invalid:
                # Text with an unpaired surrogate (a "\ud800" escape in the body) is not Unicode:
                # the POS could not even receive it. Only that field goes, with the reason.
                for name in invalid:
                    diagnostics.append(
                        Diagnostic("invalid_text", _invalid_text_message(values[name]), index, name)
                    )
                kept = {name: value for name, value in values.items() if name not in invalid}
                result = self._customer(record, index, kept, diagnostics)
                return RecordResult(index, result.customer, values, result.diagnostics)
            message = "; ".join(str(e["msg"]) for e in error.errors())  # defensive: values are checked
            diagnostics.append(Diagnostic("record_invalid", message, index))
            return RecordResult(index, None, values, tuple(diagnostics))
        return RecordResult(index, customer, values, tuple(diagnostics) if diagnostics else ())

    def map_records(self, records: Sequence[Any], start: int = 0) -> list[RecordResult]:
        """Map ``records`` whose first one has index ``start`` (for chunked previews)."""
        # Mapping allocates a few containers per record and creates no cycles; the cyclic
        # collector would otherwise rescan the whole parsed document many times per 10 000
        # records.
        enabled = gc.isenabled()
        gc.disable()
        try:
            if self.fast_records is None:
                return [self._map_general(record, index) for index, record in enumerate(records, start)]
            results, misses = self.fast_records(records, start)
            for index in misses:
                results[index - start] = self._map_general(records[index - start], index)
            return results  # type: ignore[return-value]  # no None is left
        finally:
            if enabled:
                gc.enable()

    def map_document(self, document: Any) -> MappingResult:
        return DocumentMapping(self, document).result()


class DocumentMapping:
    """:meth:`CompiledSpec.map_document` in steps, so a live preview never blocks its window.

    The records are selected up front (so the count and the whole-document problems are known at
    once); :meth:`step` maps the next few; :meth:`result` maps whatever is left and assembles the
    :class:`MappingResult`. ``map_document`` is exactly ``DocumentMapping(...).result()``, so a
    preview built from the steps is the list the runtime returns.
    """

    def __init__(self, compiled: CompiledSpec, document: Any) -> None:
        records, diagnostics = compiled.select_records(document)
        self._compiled = compiled
        self.records = records
        #: Problems of the whole document and of the spec (record None); known before any step.
        self.document_diagnostics: tuple[Diagnostic, ...] = (
            *diagnostics,
            *(d for d in compiled.spec_diagnostics if d not in diagnostics),
        )
        #: The records mapped so far, in record order.
        self.results: list[RecordResult] = []

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def done(self) -> bool:
        return len(self.results) >= len(self.records)

    def step(self, count: int) -> list[RecordResult]:
        """Map the next ``count`` records (fewer at the end) and return their results."""
        start = len(self.results)
        chunk = self._compiled.map_records(self.records[start : start + count], start)
        self.results.extend(chunk)
        return chunk

    def result(self) -> MappingResult:
        """The complete mapping (maps the records not yet mapped)."""
        if not self.done:
            self.step(len(self.records) - len(self.results))
        results = tuple(self.results)
        customers = tuple([r.customer for r in results if r.customer is not None])
        found = [d for r in results if r.diagnostics for d in r.diagnostics]
        all_diagnostics = (*self.document_diagnostics, *found)
        return MappingResult(customers, results, all_diagnostics)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _invalid_text(values: dict[str, Any]) -> list[str]:
    return [
        name for name, value in values.items() if isinstance(value, str) and _LONE_SURROGATE.search(value)
    ]


def _invalid_text_message(text: str) -> str:
    match = _LONE_SURROGATE.search(text)
    code = f"\\u{ord(match.group()):04x}" if match else "a surrogate"
    return f"the text holds an unpaired surrogate ({code}), which is not valid Unicode; field omitted"


def _balance_incomplete(index: int, amount_missing: bool, diagnostics: list[Diagnostic]) -> None:
    missing = "balance.balance" if amount_missing else "balance.identifier"
    if not any(d.field == missing for d in diagnostics):  # else already explained
        message = f"balance omitted: {missing} has no value (both parts are required)"
        diagnostics.append(Diagnostic("balance_incomplete", message, index, missing, "warning"))


def _country_code(index: int, code: str, diagnostics: list[Diagnostic]) -> None:
    hint = " (add the upper transform)" if code.upper() in ISO_ALPHA2 else ""
    message = f"country_code {show(code)} is not an ISO 3166-1 alpha-2 code such as DK{hint}"
    diagnostics.append(Diagnostic("country_code", message, index, "country_code", "warning"))


def _identifier_missing(record: Any, index: int, diagnostics: list[Diagnostic]) -> None:
    if any(d.field == "identifier" and d.severity == "error" for d in diagnostics):
        diagnostics.append(Diagnostic("record_invalid", "no identifier; record skipped", index, "identifier"))
        return
    reason = "" if isinstance(record, dict) else f" (the record is {describe_type(record)})"
    message = f"identifier is missing or empty{reason}; record skipped"
    diagnostics.append(Diagnostic("identifier_missing", message, index, "identifier"))


def _several(expr: str, count: int) -> _FieldProblem:
    return _FieldProblem(
        "several_values",
        f"{expr} found {count} values where one was expected; narrow the path, "
        "or add first_non_empty / combine 'first' to take the first",
    )


_CACHE: OrderedDict[str, CompiledSpec] = OrderedDict()
_CACHE_SIZE = 64


def _compile(spec: ResponseSpec) -> CompiledSpec:
    spec_diagnostics: list[Diagnostic] = []
    records_path: CompiledPath | None = None
    try:
        records_path = compile_path(spec.records_path)
    except PathError as error:
        spec_diagnostics.append(Diagnostic("path_invalid", f"records path: {error.message}"))
    plans = tuple(_plan(name, spec.fields[name]) for name in CUSTOMER_FIELDS if name in spec.fields)
    for plan in plans:
        spec_diagnostics.extend(
            Diagnostic("path_invalid", message, None, plan.name) for message in plan.invalid
        )
    balance_mapped = any(p.name.startswith("balance.") for p in plans)
    return CompiledSpec(
        spec,
        records_path,
        plans,
        tuple(spec_diagnostics),
        balance_mapped,
        build_fields(plans),
        build_records(plans, ISO_ALPHA2),
    )


def compile_spec(spec: ResponseSpec) -> CompiledSpec:
    """The compiled form of ``spec``, cached by its JSON dump (specs are mutable models)."""
    try:
        key = spec.model_dump_json()
    except ValueError:  # text JSON cannot encode (a lone surrogate): compile it, uncached
        return _compile(spec.model_copy(deep=True))
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = _compile(spec.model_copy(deep=True))
        _CACHE[key] = compiled
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return compiled


def select_records(spec: ResponseSpec, document: Any) -> tuple[list[Any], list[Diagnostic]]:
    """The records of ``document`` per ``spec.records_path``, and the problems noticed."""
    return compile_spec(spec).select_records(document)


def map_record(spec: ResponseSpec, record: Any, index: int) -> RecordResult:
    """Map one record; invalid paths of the spec are reported on the record too."""
    compiled = compile_spec(spec)
    result = compiled.map_record(record, index)
    extra = tuple(
        Diagnostic(d.code, d.message, index, d.field, d.severity)
        for d in compiled.spec_diagnostics
        if d.field is not None
        and not any(r.field == d.field and r.code == d.code for r in result.diagnostics)
    )
    if not extra:
        return result
    return RecordResult(result.index, result.customer, result.values, result.diagnostics + extra)


def map_document(spec: ResponseSpec, document: Any) -> MappingResult:
    """Records -> Customers with every problem explained; never raises for any JSON value."""
    return compile_spec(spec).map_document(document)
