"""Who may do what is decided only in `peerdesk/services/permissions.py`: anywhere else, a
comparison with a role (`actor.role is UserRole.X`, `role in (...)`, `User.role == ...`) is a
rule hiding from the policy table, so this test fails on one."""

import ast
from pathlib import Path

import peerdesk

PACKAGE = Path(peerdesk.__file__).parent
POLICY = PACKAGE / "services" / "permissions.py"
# A migration states the schema as it was, and the demo generator makes accounts of each role.
NOT_RULES = (PACKAGE / "db" / "migrations", PACKAGE / "demo")


def _is_role(node: ast.AST) -> bool:
    """`x.role`, `UserRole.X`, or a tuple/list/set of them."""
    if isinstance(node, ast.Attribute):
        if node.attr == "role":
            return True
        return isinstance(node.value, ast.Name) and node.value.id == "UserRole"
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role(e) for e in node.elts)
    return False


def _checks_role(node: ast.AST) -> bool:
    match node:
        case ast.Compare():
            return any(_is_role(n) for n in [node.left, *node.comparators])
        case ast.Call(func=ast.Attribute(attr="in_")):
            # SQL: `User.role.in_((UserRole.X, ...))`; roles_with(permission) is the way.
            return any(_is_role(a) for a in node.args)
        case ast.MatchValue():
            return _is_role(node.value)
        case ast.Attribute(attr="is_coordinator"):
            return True
    return False


def role_checks(source: str) -> list[int]:
    """Line numbers of role comparisons in `source`."""
    return sorted(n.lineno for n in ast.walk(ast.parse(source)) if _checks_role(n))  # type: ignore[attr-defined]


def test_the_detector_finds_each_kind_of_role_check() -> None:
    source = """
if actor.role is UserRole.TRUSTEE: pass
if actor.role in (UserRole.COORDINATOR, UserRole.SUPERVISOR): pass
if UserRole.VOLUNTEER == user.role: pass
stmt.where(User.role.in_([UserRole.COORDINATOR]))
match actor.role:
    case UserRole.VOLUNTEER: pass
ok = actor.is_coordinator
check_new_secret(secret, name, UserRole.COORDINATOR, pins_allowed=False)
stmt.where(User.role.in_(roles_with(Permission.MANAGE_USERS)))
"""
    assert role_checks(source) == [2, 3, 4, 5, 7, 8]


def test_no_role_comparison_outside_the_policy() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == POLICY or any(path.is_relative_to(p) for p in NOT_RULES):
            continue
        found += [f"{path.relative_to(PACKAGE)}:{n}" for n in role_checks(path.read_text())]
    assert not found, (
        "Decide who may do what in peerdesk/services/permissions.py (a Permission, or a "
        f"named rule), not with a role comparison: {found}"
    )
