"""JMESPath as rules use it: compiled once, judged by JMESPath truthiness, read for field chains.

A field chain is the path an expression starts from in the manifest (``spec.metrics[0].name``
gives ``("spec", "metrics", 0, "name")``). The ``expr`` check locates its findings at the first
chain, ``pack lint`` warns about chains the manifest schema forbids, and ``init`` puts each
chain into its skeleton: all three read chains here, so they agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from numbers import Number
from typing import Any, ClassVar

import jmespath
from jmespath import functions as jp_functions
from jmespath.exceptions import JMESPathError
from jmespath.visitor import Options, TreeInterpreter

from govcheck.lang.values import is_empty

Chain = tuple[str | int, ...]
_READS_DATA = ("field", "current")
# Nodes whose first child is read from the manifest and whose other children are relative to it.
_RELATIVE_REST = ("projection", "filter_projection", "value_projection", "flatten", "pipe")

# Limits on a pack's expressions. Packs come from the repository being checked (--pack or its
# configuration), so an expression is untrusted input: ``[@,@][]`` doubles the document, and 29
# of them hang the gate. The shipped packs stay far below these (at most 116 characters, 21 nodes,
# growth 2): see ``growth`` for what the growth bound measures.
MAX_SOURCE = 1_000
MAX_NODES = 256
MAX_GROWTH = 256
# Run-time bounds, defence in depth behind the static ones: visits of AST nodes in one search, and
# the characters ``to_string`` or ``join`` may build. Normal rules make tens of visits per manifest.
MAX_VISITS = 200_000
MAX_TEXT = 1_000_000
_CEILING = 1 << 40

# Nodes that apply their later children to the result of their first: sizes multiply.
_COMPOSE = ("subexpression", "pipe", "projection", "value_projection", "index_expression")
# Nodes whose result is built from their children's results side by side: sizes add.
_SIDE_BY_SIDE = ("multi_select_list", "multi_select_dict")
# Functions whose text result can exceed their argument's JSON text: escaping a character in
# ``to_string`` takes at most six (``\\u00e9``); every other built-in's result is at most the sum of
# its arguments (``merge``, ``join``, ``to_array``, ``sort``) or a scalar.
_TEXT_FACTOR = {"to_string": 6}


class ExpressionError(ValueError):
    """A search that is neither true nor false: the rule's result is unknown, not false.

    Every caller fails the rule or applies the guard: a manifest must not be able to turn a
    rule off by giving it something it cannot judge.
    """


class ExpressionLimitError(ExpressionError):
    """An expression went past a run-time bound."""


class ExpressionTypeError(ExpressionError):
    """A value of a type the expression's functions do not take: ``length`` of a number,
    ``contains`` of a mapping, a text where a list of conditions was meant."""


def compile_expression(source: str) -> Expression:
    """Compile a JMESPath once; ``ValueError`` with the parser's reason if it is broken or too costly."""
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"a JMESPath expression must be non-empty text, not {source!r}")
    if len(source) > MAX_SOURCE:
        # Before parsing: the parser recurses on nesting, and its cost grows with the text.
        raise ValueError(
            f"JMESPath {_shown(source)} is {len(source):,} characters long; "
            f"at most {MAX_SOURCE:,} are allowed"
        )
    try:
        parsed = jmespath.compile(source)
    except JMESPathError as exc:
        position = getattr(exc, "lex_position", getattr(exc, "lexer_position", None))
        where = f" at character {position + 1}" if isinstance(position, int) else ""
        reason = str(exc).splitlines()[0].split(": Parse error")[0]
        for prefix in ("Invalid jmespath expression: ", "Bad jmespath expression: "):
            reason = reason.removeprefix(prefix)
        reason = reason.rstrip(":") or type(exc).__name__
        raise ValueError(f"invalid JMESPath {source!r}{where}: {reason}") from None
    except RecursionError:
        raise ValueError(f"invalid JMESPath {_shown(source)}: nested too deeply") from None
    nodes = sum(1 for _ in _nodes(parsed.parsed))
    if nodes > MAX_NODES:
        raise ValueError(
            f"JMESPath {_shown(source)} has {nodes} syntax nodes; at most {MAX_NODES} are allowed"
        )
    size = growth(parsed.parsed)
    if size > MAX_GROWTH:
        raise ValueError(
            f"JMESPath {_shown(source)} can build a result up to {_factor(size)} times the size of the "
            f"manifest (each [..], {{..}} or to_string over a result multiplies it); at most {MAX_GROWTH} "
            "is allowed"
        )
    return Expression(source, parsed.parsed)


class Expression:
    """A compiled JMESPath whose every search stays within ``MAX_VISITS`` and ``MAX_TEXT``.

    ``parsed`` is the AST (as ``jmespath.compile(...).parsed``); ``search`` raises
    ``ExpressionLimitError`` past a bound and ``ExpressionTypeError`` on a value of a type its
    functions do not take.
    """

    __slots__ = ("expression", "parsed")

    def __init__(self, expression: str, parsed: Any) -> None:
        self.expression = expression
        self.parsed = parsed

    def search(self, value: Any) -> Any:
        try:
            return _Interpreter(self.expression).visit(self.parsed, value)
        except RecursionError:
            raise ExpressionLimitError(f"JMESPath {_shown(self.expression)} nested too deeply") from None
        except JMESPathError as exc:
            raise ExpressionTypeError(
                f"JMESPath {_shown(self.expression)} cannot be judged here: {exc}"
            ) from None

    def __repr__(self) -> str:
        return f"Expression({self.expression!r})"


def growth(node: Any) -> int:
    """A bound on how many times larger than its input any value an expression builds can be.

    Sizes are JSON text with shared values written out in full, so a value reused by ``[@, @]``
    counts twice (what ``to_string`` or a deep ``==`` pays). Field, index, slice, flatten and
    filter results are parts of their input (growth 1); side-by-side results (``[a, b]``,
    ``{x: a, y: b}``, a function's arguments) add; applying one expression to another's result
    (``a.b``, ``a | b``, projections, ``map``) multiplies. The bound is for every intermediate
    value, not just the result: ``length([@,@][]...)`` compared with zero is a boolean built from a huge list.
    """
    return _growth(node)[1]


def _growth(node: Any) -> tuple[int, int]:
    """(bound on the result's size, bound on any intermediate value's size), relative to the input.

    Both are capped at ``_CEILING``: the rules only ever grow a bound, so a capped one still fails
    the check, and the numbers stay small however the expression nests.
    """
    if not isinstance(node, dict) or not node.get("children"):
        # field, current, identity, index, slice, literal (whose size MAX_SOURCE bounds)
        return 1, 1
    kind, children = node.get("type"), node["children"]
    kids = [_growth(child) for child in children]
    peak = max(k[1] for k in kids)
    if kind in _COMPOSE or kind == "filter_projection":
        # Later children apply to the first one's result, item by item; a filter's condition
        # (its third child) is judged per item and adds nothing to the result.
        out, peak = kids[0][0], max(peak, kids[0][1])
        for _, k_peak in kids[1:]:
            peak = max(peak, out * k_peak)
        for k_out, _ in kids[1:2] if kind == "filter_projection" else kids[1:]:
            out *= k_out
    elif kind in ("or_expression", "and_expression", "flatten", "expref", "key_val_pair"):
        out = max(k[0] for k in kids)
    elif kind in ("comparator", "not_expression"):
        out = 1
    elif kind == "function_expression":
        per_item = [k for c, k in zip(children, kids, strict=True) if _is_expref(c)]
        out = max(1, sum(k[0] for c, k in zip(children, kids, strict=True) if not _is_expref(c)))
        for e_out, e_peak in per_item:  # map(&e, items), sort_by(items, &e): e runs on each item
            peak = max(peak, out * e_peak)
            out *= e_out
        out *= _TEXT_FACTOR.get(str(node.get("value")), 1)
    elif kind in _SIDE_BY_SIDE:
        out = sum(k[0] for k in kids)
    else:  # a node type this module does not know: the worse of both rules
        product = 1
        for k_out, _ in kids:
            product *= k_out
        out = max(product, sum(k[0] for k in kids))
    out = min(out, _CEILING)
    return out, min(max(peak, out), _CEILING)


def _is_expref(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "expref"


def _factor(size: int) -> str:
    return f"more than {_CEILING:,}" if size >= _CEILING else f"{size:,}"


def _shown(source: str) -> str:
    """An expression as a message quotes it: long ones cut, so the message stays readable."""
    return repr(source) if len(source) <= 80 else repr(source[:77] + "...")


class _Functions(jp_functions.Functions):
    """jmespath's functions, but text builders stop at ``MAX_TEXT`` characters."""

    @jp_functions.signature({"types": []})
    def _func_to_string(self, arg: Any) -> Any:
        if isinstance(arg, str):
            return arg
        # Encode piece by piece: a shared value written out in full can be far larger than memory.
        parts, size = [], 0
        for part in json.JSONEncoder(separators=(",", ":"), default=str).iterencode(arg):
            size += len(part)
            if size > MAX_TEXT:
                raise ExpressionLimitError(f"to_string would build more than {MAX_TEXT:,} characters")
            parts.append(part)
        return "".join(parts)

    @jp_functions.signature({"types": ["string"]}, {"types": ["array-string"]})
    def _func_join(self, separator: str, array: list[str]) -> str:
        size = len(separator) * max(len(array) - 1, 0) + sum(len(item) for item in array)
        if size > MAX_TEXT:
            raise ExpressionLimitError(
                f"join would build {size:,} characters; at most {MAX_TEXT:,} are allowed"
            )
        return separator.join(array)


_OPTIONS = Options(custom_functions=_Functions())


class _Interpreter(TreeInterpreter):
    """jmespath's interpreter with a budget of node visits, so no search runs unbounded."""

    def __init__(self, expression: str) -> None:
        super().__init__(_OPTIONS)
        self._left = MAX_VISITS
        self._expression = expression

    # Unbound visit_* methods by node type, shared by every search (Visitor caches per instance).
    _methods: ClassVar[dict[str, Callable[..., Any]]] = {}

    def visit(self, node: Any, *args: Any, **kwargs: Any) -> Any:
        # Visitor.visit, plus the count: this runs for every node and item, so it stays this small.
        self._left -= 1
        if self._left < 0:
            self._over(f"took more than {MAX_VISITS:,} steps")
        try:
            method = self._methods[node["type"]]
        except KeyError:
            method = self._methods[node["type"]] = getattr(
                type(self), "visit_" + node["type"], type(self).default_visit
            )
        return method(self, node, *args, **kwargs)

    def visit_comparator(self, node: Any, value: Any) -> Any:
        left = self.visit(node["children"][0], value)
        right = self.visit(node["children"][1], value)
        # ``==`` on values that share parts walks them written out in full, in C, where no budget
        # reaches: charge their size first. Scalars, the usual case, cost nothing here.
        if isinstance(left, (list, dict)) and isinstance(right, (list, dict)):
            self._charge(left)
            self._charge(right)
        op = node["value"]
        if op not in ("eq", "ne") and not (_orderable(left) and _orderable(right)):
            return None  # as jmespath: ordering compares numbers, or text with text
        return self.COMPARATOR_FUNC[op](left, right)

    def _charge(self, value: Any) -> None:
        stack = [value]
        while stack:
            item = stack.pop()
            self._left -= 1
            if self._left < 0:
                self._over(f"compared values larger than {MAX_VISITS:,} items")
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)

    def _over(self, what: str) -> None:
        raise ExpressionLimitError(f"JMESPath {_shown(self._expression)} {what}")


def _orderable(value: Any) -> bool:
    return isinstance(value, (str, Number)) and not isinstance(value, bool)


def truthy(value: Any) -> bool:
    """JMESPath truthiness: false, null and empty text, lists and objects are false."""
    return value is not False and not is_empty(value)


def is_constant(compiled: Any) -> bool:
    """True when the expression reads no field of the manifest (say ``\\`false\\```)."""
    return not any(n.get("type") in _READS_DATA for n in _nodes(compiled.parsed))


def field_chains(node: Any) -> list[Chain]:
    """Every chain of fields (and list indexes) an expression starts from, in order of appearance.

    ``spec.scope.phi && spec.c`` gives ``spec.scope.phi`` and ``spec.c``; names inside a filter,
    after a projection or on the right of a pipe are relative to a list item or to a result,
    not chains of their own.
    """
    if not isinstance(node, dict):
        return []
    kind, children = node.get("type"), node.get("children", ())
    chain, _ = _chain(node)
    if chain:
        return [chain]
    if kind in _RELATIVE_REST or kind in ("subexpression", "index_expression"):
        return field_chains(children[0]) if children else []
    return [chain for child in children for chain in field_chains(child)]


def _chain(node: dict[str, Any]) -> tuple[Chain, bool]:
    """The path a node spells from the manifest's root, and whether the node is that path whole.

    ``spec.a[-1].b`` spells ``spec.a`` and then leaves paths (a negative index counts from the
    end), so the chain stops there.
    """
    kind, children = node.get("type"), node.get("children", ())
    if kind == "field":
        return (node["value"],), True
    if kind == "index":
        value = node.get("value")
        return ((value,), True) if isinstance(value, int) and value >= 0 else ((), False)
    if kind in _RELATIVE_REST:
        return (_chain(children[0])[0] if children else ()), False
    if kind not in ("subexpression", "index_expression"):
        return (), False
    out: Chain = ()
    for child in children:
        part, whole = _chain(child)
        out += part
        if not whole:
            return out, False
    return out, True


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.get("children", ()):
            yield from _nodes(child)
