"""Generated straight-line code for the mapping engine's common cases.

Mapping 10 000 records must cost about what a hand-written dict loop plus pydantic validation
costs (issue 6): a closure per field and per path step, a dict copy and a few method calls per
record already make it 1.5x slower. So :mod:`designer.core.mapping` compiles each spec's fields
into Python source once, in two forms:

* :func:`build_fields` fills the field values of a dict record, handing each field that is not
  a plain value of a plain type to the engine's general per-field code (``slow``);
* :func:`build_records` maps dict records that need no explanation straight to their
  :class:`RecordResult` and leaves None for every other record: the engine maps those the
  general way, which gives the diagnostics. It never guesses: each case it accepts is one where
  the general path gives the very same values and Customer and no diagnostic
  (``tests/test_mapping_fast.py`` compares the two on generated specs and records).

Type checks are exact (``type(x) is dict``), so subclasses and anything unusual take the general
path too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from designer.core.config import FieldMapping
from designer.core.customer import Customer
from designer.core.jsonio import MAX_NUMBER_DIGITS
from designer.core.jsonpath import CompiledPath
from designer.core.model_types import Diagnostic, RecordResult

__all__ = ["FieldPlan", "FieldsFunction", "RecordsFunction", "build_fields", "build_records"]

FieldsFunction = Callable[[dict[str, Any], int, dict[str, Any], list[Diagnostic], Callable[..., None]], None]
#: ``(records, start)`` -> one RecordResult per record, None where the general path must map it,
#: and the indexes of those records.
RecordsFunction = Callable[[Sequence[Any], int], tuple[list[RecordResult | None], list[int]]]

_MISSING = object()
_TRANSFORMS = {"trim": "strip", "upper": "upper", "lower": "lower"}
_Memo = dict[tuple[str | int, ...], str]


@dataclass(frozen=True)
class FieldPlan:
    """One field of a compiled spec: its mapping and its compiled paths."""

    name: str
    mapping: FieldMapping
    paths: tuple[CompiledPath, ...]
    invalid: tuple[str, ...]
    number: bool
    #: The single compiled path of the common case (one path, no transforms), else None.
    simple: CompiledPath | None


def _inline(plan: FieldPlan) -> bool:
    """Whether the field's common values can be read by generated code."""
    mapping = plan.mapping
    keys = [p.keys for p in plan.paths]
    transforms = [_TRANSFORMS.get(t.name) for t in mapping.transforms]
    return bool(
        not plan.invalid
        and plan.paths
        and all(k for k in keys)
        and all(isinstance(k[0], str) for k in keys if k)
        and all(transforms)
        and (len(plan.paths) == 1 or (mapping.combine == "join" and not plan.number))
        and not (plan.number and transforms)
    )


def _namespace() -> dict[str, Any]:
    return {
        "_M": _MISSING,
        "_Decimal": Decimal,
        # Larger integers take the general path, which explains them (str() would even raise).
        "_LARGEST": 10**MAX_NUMBER_DIGITS,
        "_SMALLEST": -(10**MAX_NUMBER_DIGITS),  # not -_LARGEST: that negates 4300 digits each time
        # designer.core.jsonio.is_writable_number, inline: a call per balance is measurable.
        "_DIGITS": MAX_NUMBER_DIGITS,
    }


def _define(name: str, arguments: str, body: list[str], namespace: dict[str, Any]) -> Any:
    source = f"def {name}({arguments}):\n" + "\n".join("    " + line for line in body)
    exec(compile(source, f"<mapping {name}>", "exec"), namespace)
    return namespace[name]


def _value_lines(
    plan: FieldPlan, variables: list[str], store: str, otherwise: list[str], blank: list[str]
) -> list[str]:
    """Code turning the path values in ``variables`` into the field value.

    ``store`` (a format with ``{}``) receives the value; ``otherwise`` runs for any other value.
    ``blank`` (when not empty) handles a single path's null or blank text, which the general
    path turns into "no value" without a diagnostic when the field has no default.
    """
    mapping = plan.mapping
    lines = [
        f"if type({var}) is str: {var} = {var}.{_TRANSFORMS[t.name]}()"
        for var in variables
        for t in mapping.transforms
    ]
    if len(variables) > 1:
        test = " and ".join(f"type({v}) is str and {v} and not {v}.isspace()" for v in variables)
        separator = mapping.separator.replace("{", "{{").replace("}", "}}")
        joined = "f" + repr(separator.join(f"{{{v}}}" for v in variables))  # f"{v0} {v1}"
        return [*lines, f"if {test}: {store.format(joined)}", "else:", *otherwise]
    (v,) = variables
    if plan.number:
        lines += [
            f"t = type({v})",
            f"if t is _Decimal and {v}.is_finite() and -_DIGITS < {v}.adjusted() < _DIGITS:",
            f"    {store.format(v)}",
            f"elif t is int and _SMALLEST < {v} < _LARGEST: {store.format(f'_Decimal({v})')}",
        ]
        if blank:
            lines += [f"elif {v} is None:", *blank]
    else:
        lines += [
            f"t = type({v})",
            f"if t is str and {v} and not {v}.isspace(): {store.format(v)}",
            f"elif t is int and _SMALLEST < {v} < _LARGEST: {store.format(f'str({v})')}",
        ]
        if blank:
            lines += [f"elif {v} is None or t is str:", *blank]
    return [*lines, "else:", *otherwise]


# ----------------------------------------------------------------------------- field by field


def _get_lines(keys: tuple[str | int, ...], var: str, memo: _Memo) -> list[str]:
    """Code reading ``keys`` from ``record`` into ``var`` (``_M`` when anything is off).

    Prefixes shared by several fields (``addresses[0]``) are read once: ``memo`` maps a prefix
    to the variable holding it.
    """
    lines: list[str] = []
    current = "record"
    for depth, key in enumerate(keys):
        prefix = keys[: depth + 1]
        known = memo.get(prefix)
        if known is not None:
            current = known
            continue
        target = memo[prefix] = f"p{len(memo)}"
        if depth == 0:
            expr = f"record.get({key!r}, _M)"  # the caller checked that record is a dict
        elif isinstance(key, str):
            expr = f"{current}.get({key!r}, _M) if type({current}) is dict else _M"
        elif key >= 0:
            expr = f"{current}[{key}] if type({current}) is list and len({current}) > {key} else _M"
        else:
            expr = f"{current}[{key}] if type({current}) is list and len({current}) >= {-key} else _M"
        lines.append(f"{target} = {expr}")
        current = target
    lines.append(f"{var} = {current}")
    return lines


def build_fields(plans: tuple[FieldPlan, ...]) -> FieldsFunction | None:
    """One function filling every field of a dict record, the unusual ones via ``slow``."""
    if not plans:
        return None
    body: list[str] = []
    memo: _Memo = {}
    for position, plan in enumerate(plans):
        slow = f"slow({position}, record, index, values, diagnostics)"
        if not _inline(plan):
            body.append(slow)
            continue
        variables = [f"v{i}" for i in range(len(plan.paths))]
        for var, path in zip(variables, plan.paths, strict=True):
            body += _get_lines(path.keys or (), var, memo)
        body += _value_lines(plan, variables, f"values[{plan.name!r}] = {{}}", ["    " + slow], [])
    fields: FieldsFunction = _define("fields", "record, index, values, diagnostics, slow", body, _namespace())
    return fields


# ----------------------------------------------------------------------------- whole records


_BAIL = "append(None); missed(index); continue"  # in the record loop: left to the general path


class _Reader:
    """Generates the reads of the record loop, twice: each inside a ``try``.

    A member or element that is not there raises (LookupError); every container is type-checked
    first (``"text"[0]`` is a letter). The ``strict`` reads subscript everything; when they
    raise, the ``tolerant`` ones read the last step of an optional field as null where its
    member or element is not there, which is what the general path makes of it (no value, no
    diagnostic); when those raise too, the record goes the general way.
    """

    def __init__(self) -> None:
        self.memo: _Memo = {}
        self.checked: tuple[dict[str, str], dict[str, str]] = ({}, {})
        self.strict: list[str] = []
        self.tolerant: list[str] = []

    def _require(self, mode: int, var: str, kind: str) -> None:
        if self.checked[mode].get(var) != kind:
            self.checked[mode][var] = kind
            (self.strict, self.tolerant)[mode].append(f"if type({var}) is not {kind}: {_BAIL}")

    def read(self, keys: tuple[str | int, ...], optional: bool) -> str:
        current = "record"
        for depth, key in enumerate(keys):
            prefix = keys[: depth + 1]
            known = self.memo.get(prefix)
            if known is not None:
                current = known
                continue
            target = self.memo[prefix] = f"p{len(self.memo)}"
            lenient = optional and depth == len(keys) - 1
            if isinstance(key, int):
                self._require(0, current, "list")
                self._require(1, current, "list")
                size = f"len({current}) > {key}" if key >= 0 else f"len({current}) >= {-key}"
                tolerant = f"{current}[{key}] if {size} else None" if lenient else f"{current}[{key}]"
                strict = f"{current}[{key}]"
            else:
                if current != "record":  # the loop checked that record is a dict
                    # Exact: a defaultdict would answer any subscript, a Mapping is no object.
                    self._require(0, current, "dict")
                    self._require(1, current, "dict")
                tolerant = f"{current}.get({key!r})" if lenient else f"{current}[{key!r}]"
                strict = f"{current}[{key!r}]"
            self.strict.append(f"{target} = {strict}")
            self.tolerant.append(f"{target} = {tolerant}")
            current = target
        return current


def build_records(plans: tuple[FieldPlan, ...], country_codes: Set[str]) -> RecordsFunction | None:
    """One function mapping the dict records that need no explanation; None where none can be made.

    It is made when every field can be read inline, the identifier is mapped, and the balance
    is mapped whole or not at all. A record it maps gets exactly what the general path gives it
    when there is nothing to report: the same ``values`` in field order, the same Customer.
    """
    names = [plan.name for plan in plans]
    balance = [name for name in names if name.startswith("balance.")]
    if (
        not plans
        or "identifier" not in names
        or len(balance) == 1
        or names[len(names) - len(balance) :] != balance  # the balance parts come last
        or not all(map(_inline, plans))
    ):
        return None
    reader = _Reader()
    checks: list[str] = []
    optional: set[int] = set()
    for position, plan in enumerate(plans):
        var = f"f{position}"
        # A field without a value is no problem unless it is the identifier or has a default.
        nullable = plan.name != "identifier" and plan.mapping.default is None and len(plan.paths) == 1
        if nullable:
            optional.add(position)
        variables = [reader.read(path.keys or (), nullable) for path in plan.paths]
        if plan.mapping.transforms:  # transform a copy: another field may read the same value
            copies = [f"v{position}_{i}" for i in range(len(variables))]
            checks += [f"{copy} = {var}" for copy, var in zip(copies, variables, strict=True)]
            variables = copies
        blank = [f"    {var} = None", "    full = False"] if nullable else []
        checks += _value_lines(plan, variables, f"{var} = {{}}", ["    " + _BAIL], blank)
        if plan.name == "country_code":
            known = f"{var} not in _COUNTRIES"
            checks.append(f"if {f'{var} is not None and ' if nullable else ''}{known}: {_BAIL}")

    def stored(target: str, positions: list[int]) -> list[str]:
        out = []
        for position in positions:
            store = f"{target}[{names[position]!r}] = f{position}"
            out.append(f"if f{position} is not None: {store}" if position in optional else store)
        return out

    text = [position for position, name in enumerate(names) if not name.startswith("balance.")]
    parts = [position for position, name in enumerate(names) if name.startswith("balance.")]
    literal = "{" + ", ".join(f"{names[position]!r}: f{position}" for position in text) + "}"
    # ``values`` is ``fields`` plus the balance parts, which come last in field order too.
    build = [
        "if full:",
        f"    fields = {literal}",
        "    values = fields.copy()",
        *("    " + line for line in stored("values", parts)),
        "else:",
        "    fields = {}",
        *("    " + line for line in stored("fields", text)),
        "    values = fields.copy()",
        *("    " + line for line in stored("values", parts)),
    ]
    if parts:
        bid, amount = (f"f{names.index(name)}" for name in ("balance.identifier", "balance.balance"))
        nested = f"fields['balance'] = {{'identifier': {bid}, 'balance': {amount}}}"
        build += [
            f"if {bid} is not None and {amount} is not None: {nested}",
            f"elif {bid} is not None or {amount} is not None: {_BAIL}",  # balance_incomplete
        ]
    loop = [
        "if type(record) is not dict:",
        f"    {_BAIL}",
        "try:",
        *("    " + line for line in reader.strict),
        "except (LookupError, TypeError):",
        "    try:",
        *("        " + line for line in reader.tolerant),
        "    except (LookupError, TypeError):",
        f"        {_BAIL}",
        "full = True",
        *checks,
        *build,
        "try:",
        "    customer = _validate(fields)",
        "except _ValidationError:",  # text that is not Unicode: the general path explains it
        f"    {_BAIL}",
        "result = _new(_RecordResult)",  # RecordResult(index, customer, values), minus a call
        "result.index = index",
        "result.customer = customer",
        "result.values = values",
        "result.diagnostics = ()",
        "append(result)",
    ]
    body = [
        "out = []",
        "append = out.append",
        "misses = []",
        "missed = misses.append",
        "for index, record in enumerate(batch, start):",
        *("    " + line for line in loop),
        "return out, misses",
    ]
    namespace = _namespace() | {
        "_COUNTRIES": country_codes,
        "_validate": Customer.__pydantic_validator__.validate_python,
        "_ValidationError": ValidationError,
        "_RecordResult": RecordResult,
        "_new": object.__new__,
    }
    records: RecordsFunction = _define("records", "batch, start", body, namespace)
    return records
