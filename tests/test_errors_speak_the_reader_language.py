"""Every refusal carries a stable code and a message people read in their own language.

Checked on the source: each ``DomainError(...)`` and API ``FieldError(...)`` names a literal
snake_case ``code=``, and its message is a gettext call (optionally formatted with ``%``),
or a message passed on from another refusal, never a bare literal or an f-string.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "minga"
ERRORS = {"DomainError", "FieldError", "ImportRowError"}
GETTEXT = {"_", "gettext", "ngettext", "gettext_lazy", "pgettext"}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _translated(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _translated(node.left)
    if isinstance(node, ast.Call):
        if _name(node.func) == "join":
            # Django's own validation messages, already translated, joined: " ".join(messages)
            return all(isinstance(arg, ast.Name) for arg in node.args)
        return _name(node.func) in GETTEXT or (_name(node.func) == "str" and bool(node.args))
    # A message handed on from another refusal or computed elsewhere (error.message, message).
    return isinstance(node, ast.Name | ast.Attribute)


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path.name == "errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = _refusal_helpers(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ERRORS:
                if id(node) in helpers:
                    continue  # checked at each call of the helper, below
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
            elif isinstance(node, ast.Call) and _name(node.func) in helpers.values():
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
    return found


def _refusal_helpers(tree: ast.Module) -> dict[int, str]:
    """Module functions such as ``def _refuse(message, field, code): return DomainError(message,
    field, code=code)``: their refusal is checked where they are called, each call naming its
    own literal code and translated message (keyed by the id of the wrapped call)."""
    helpers: dict[int, str] = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        parameters = [argument.arg for argument in function.args.args]
        if parameters[:1] != ["message"] or "code" not in parameters:
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and _name(node.func) in ERRORS:
                code = next((k.value for k in node.keywords if k.arg == "code"), None)
                if isinstance(code, ast.Name) and code.id == "code":
                    helpers[id(node)] = function.name
    return helpers


def _code_of(call: ast.Call) -> ast.AST | None:
    code = next((k.value for k in call.keywords if k.arg == "code"), None)
    if code is None and _name(call.func) not in ERRORS and len(call.args) >= 3:
        return call.args[2]  # a refusal helper's (message, field, code)
    return code


def test_every_refusal_has_a_stable_code() -> None:
    missing = []
    for where, call in _calls():
        if _name(call.func) == "ImportRowError":
            continue  # it hands on the code of the refusal it wraps
        code = _code_of(call)
        if isinstance(code, ast.Attribute) and code.attr == "code":
            continue  # it hands on the code of the refusal it wraps (error.code)
        if not (isinstance(code, ast.Constant) and CODE.match(str(code.value))):
            missing.append(where)
    assert missing == []


def test_every_refusal_message_is_translated() -> None:
    untranslated = []
    for where, call in _calls():
        position = 1 if _name(call.func) in {"FieldError", "ImportRowError"} else 0
        if len(call.args) <= position:
            continue
        if not _translated(call.args[position]):
            untranslated.append(where)
    assert untranslated == []
