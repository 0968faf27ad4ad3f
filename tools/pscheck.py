"""Static checks for PowerShell modules where no pwsh exists.

* ``parse``: every ``.ps1``/``.psm1`` must parse with tree-sitter-powershell. The grammar mis-parses a few
  valid constructs (generic type literals with arity backticks, upper-case numeric multipliers such as
  ``1GB``, one-line ``switch`` with ``default``, labelled ``break``, comma lists as command arguments,
  PowerShell 7 ``?:``/``??=``); a known gap is accepted only through an allowlist line naming the file,
  the line and the construct.
* ``contract``: the literal ``$spec`` of a module must equal the DOCUMENTATION of its ``.py`` stub
  (what ansible-test's validate-modules checks with pwsh). ``$spec`` options whose names start with
  ``_`` are wire-only options that the action plugin of the same name fills; they must stay undocumented.

usage: python tools/pscheck.py parse FILE...
       python tools/pscheck.py contract MODULE.ps1...
"""

from __future__ import annotations

import ast
import pathlib
import sys
from dataclasses import dataclass

import tree_sitter_powershell
import yaml
from tree_sitter import Language, Node, Parser

PARSER = Parser(Language(tree_sitter_powershell.language()))
DEFAULT_ALLOWLIST = pathlib.Path(__file__).resolve().parent.parent / "tests" / "powershell-grammar-allowlist.txt"

# Keys of an Ansible.Basic option spec that DOCUMENTATION expresses, with the value each has when absent.
COMPARED_KEYS = {
    "type": "str",
    "required": False,
    "default": None,
    "choices": None,
    "elements": None,
    "aliases": [],
    "no_log": False,
}
_WRAPPER_STOP = {"hash_literal_expression", "string_literal", "array_expression"}


@dataclass(frozen=True)
class ParseError:
    path: str
    line: int
    column: int
    kind: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.kind}"


def parse_errors(path: str | pathlib.Path) -> list[ParseError]:
    root = PARSER.parse(pathlib.Path(path).read_bytes()).root_node
    errors: list[ParseError] = []

    def walk(node: Node) -> None:
        if node.is_error or node.is_missing:
            kind = f"MISSING {node.type}" if node.is_missing else "ERROR"
            errors.append(ParseError(str(path), node.start_point[0] + 1, node.start_point[1] + 1, kind))
        if node.has_error:
            for child in node.children:
                walk(child)

    walk(root)
    return errors


def load_allowlist(path: pathlib.Path = DEFAULT_ALLOWLIST) -> set[tuple[str, int]]:
    """Lines ``relative/path.ps1:LINE  # construct the grammar mis-parses``; a line without a reason is refused."""
    allowed: set[tuple[str, int]] = set()
    if not path.exists():
        return allowed
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        entry, _separator, reason = raw.partition("#")
        if not entry.strip():
            continue
        if not reason.strip():
            raise ValueError(f"{path}:{number}: allowlist entry {entry.strip()!r} needs a '# reason'")
        file_name, _separator, line = entry.strip().rpartition(":")
        allowed.add((file_name, int(line)))
    return allowed


class NotALiteral(ValueError):
    pass


def _unwrap(node: Node) -> Node:
    while node.named_child_count == 1 and node.type not in _WRAPPER_STOP:
        node = node.named_children[0]
    return node


def _literal(node: Node):
    node = _unwrap(node)
    text = node.text.decode()
    if node.type == "hash_literal_expression":
        return _hashtable(node)
    if node.type == "array_expression":
        inner = [_unwrap(c) for c in node.named_children]
        if not inner:
            return []
        if len(inner) == 1 and inner[0].type == "array_literal_expression":
            return [_literal(c) for c in inner[0].named_children]
        if len(inner) == 1 and inner[0].type == "statement_list":
            return [_literal(c) for c in inner[0].named_children]
        return [_literal(c) for c in inner]
    if node.type == "array_literal_expression":
        return [_literal(c) for c in node.named_children]
    if node.type == "string_literal":
        return _string(node)
    if node.type in ("decimal_integer_literal", "hexadecimal_integer_literal"):
        return int(text, 0)
    if node.type == "variable" and text.lower() in ("$true", "$false", "$null"):
        return {"$true": True, "$false": False, "$null": None}[text.lower()]
    raise NotALiteral(f"line {node.start_point[0] + 1}: {text!r} is not a literal value")


def _string(node: Node) -> str:
    text = node.text.decode()
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    if "$" in text or "`" in text:
        raise NotALiteral(f"line {node.start_point[0] + 1}: {text} expands variables; use a literal string")
    return ast.literal_eval(text)


def _hashtable(node: Node) -> dict:
    result = {}
    body = next((c for c in node.named_children if c.type == "hash_literal_body"), None)
    for entry in body.named_children if body else []:
        if entry.type != "hash_entry":
            continue
        key_node, value_node = entry.named_children[0], entry.named_children[-1]
        key_node = _unwrap(key_node)
        key = _string(key_node) if key_node.type == "string_literal" else key_node.text.decode()
        result[key] = _literal(value_node)
    return result


def extract_spec(path: str | pathlib.Path) -> dict:
    """The value assigned to ``$spec`` at the top level, as Python data; literal values only."""
    root = PARSER.parse(pathlib.Path(path).read_bytes()).root_node
    for statement in root.named_children:
        for candidate in _assignments(statement):
            target, value = candidate.named_children[0], candidate.named_children[-1]
            if _unwrap(target).text.decode().lower() == "$spec":
                return _literal(value)
    raise LookupError(f"{path}: no top-level '$spec = @{{...}}' assignment")


def _assignments(node: Node):
    if node.type == "assignment_expression":
        yield node
        return
    if node.type in ("statement_list", "pipeline"):
        for child in node.named_children:
            yield from _assignments(child)


def documentation(stub: str | pathlib.Path) -> dict:
    tree = ast.parse(pathlib.Path(stub).read_text())
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DOCUMENTATION" for t in statement.targets
        ):
            return yaml.safe_load(ast.literal_eval(statement.value))
    raise LookupError(f"{stub}: no DOCUMENTATION string")


def compare_options(spec_options: dict, doc_options: dict, prefix: str = "") -> list[str]:
    problems = []
    spec_options = {name: option for name, option in (spec_options or {}).items() if not name.startswith("_")}
    doc_options = doc_options or {}
    for name in sorted(set(doc_options) - set(spec_options)):
        problems.append(f"option {prefix}{name}: documented but not in $spec")
    for name in sorted(set(spec_options) - set(doc_options)):
        problems.append(f"option {prefix}{name}: in $spec but not documented")
    for name in sorted(set(spec_options) & set(doc_options)):
        spec_option, doc_option = spec_options[name] or {}, doc_options[name] or {}
        for key, absent in COMPARED_KEYS.items():
            in_spec = spec_option.get(key, absent)
            in_doc = doc_option.get(key, absent)
            if key == "aliases":
                in_spec, in_doc = sorted(in_spec or []), sorted(in_doc or [])
            if in_spec != in_doc:
                problems.append(f"option {prefix}{name}: {key} is {in_spec!r} in $spec but {in_doc!r} in DOCUMENTATION")
        if spec_option.get("options") or doc_option.get("suboptions"):
            problems += compare_options(spec_option.get("options"), doc_option.get("suboptions"), f"{prefix}{name}.")
    return problems


def contract_problems(module: str | pathlib.Path) -> list[str]:
    module = pathlib.Path(module)
    stub = module.with_suffix(".py")
    if not stub.exists():
        return [f"{module}: no documentation stub {stub.name}"]
    source = module.read_text()
    if "#AnsibleRequires -CSharpUtil Ansible.Basic" not in source:
        return [f"{module}: not an Ansible.Basic module (#AnsibleRequires -CSharpUtil Ansible.Basic missing)"]
    try:
        spec = extract_spec(module)
    except (LookupError, NotALiteral) as error:
        return [f"{module}: {error}"]
    doc = documentation(stub)
    problems = compare_options(spec.get("options"), doc.get("options"))
    check_mode = ((doc.get("attributes") or {}).get("check_mode") or {}).get("support", "none")
    if bool(spec.get("supports_check_mode", False)) != (check_mode != "none"):
        problems.append(
            f"supports_check_mode is {spec.get('supports_check_mode', False)!r} in $spec "
            f"but attributes.check_mode.support is {check_mode!r}"
        )
    return [f"{module}: {p}" for p in problems]


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("parse", "contract"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "parse":
        allowed = load_allowlist()
        problems = [str(e) for f in argv[1:] for e in parse_errors(f) if (f, e.line) not in allowed]
    else:
        problems = [p for f in argv[1:] for p in contract_problems(f)]
    print("\n".join(problems) if problems else f"{argv[0]}: {len(argv) - 1} file(s) ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
