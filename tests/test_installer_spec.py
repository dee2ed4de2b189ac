"""The installer's files stay true to the code, without running PyInstaller (CI does not build).

The spec is run with stand-ins for PyInstaller's classes, as PyInstaller would run it on each
platform, and what it hands them is checked: every path it names exists, the migration and
resource folders go in whole and where the code looks for them, its hidden imports import, and
the Qt modules it leaves out are ones peerdesk never imports.
"""

import ast
import importlib.util
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from peerdesk import app
from peerdesk.db import migrate
from peerdesk.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "peerdesk.spec"
PLATFORMS = ["linux", "win32", "darwin"]
OFFSCREEN_LIMITATION = r"This plugin does not support propagateSizeHints\(\)"


class Built:
    """Stands in for Analysis, PYZ, EXE, COLLECT and BUNDLE: keeps what the spec passed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries = [("libQt6Core.so.6", "/lib/libQt6Core.so.6", "BINARY")]
        self.datas = list(kwargs.get("datas", []))


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    names: dict[str, Any] = {"SPECPATH": str(INSTALLER), "__file__": str(SPEC)}
    built: dict[str, list[Built]] = {}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):

        def make(*args: Any, _kind: str = kind, **kwargs: Any) -> Built:
            item = Built(*args, **kwargs)
            built.setdefault(_kind, []).append(item)
            return item

        names[kind] = make
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_text(), str(SPEC), "exec"), names)
    names["built"] = built
    return names


@pytest.fixture(params=PLATFORMS)
def spec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return run_spec(request.param, monkeypatch)


def analysis(spec: dict[str, Any]) -> Built:
    (only,) = spec["built"]["Analysis"]
    return only


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports (`from a import b` counts as a and a.b)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def peerdesk_sources() -> list[Path]:
    return sorted((ROOT / "peerdesk").rglob("*.py"))


def test_every_path_the_spec_names_exists(spec: dict[str, Any]) -> None:
    found = analysis(spec)
    scripts, pathex = found.args[0], found.kwargs["pathex"]
    for path in [*scripts, *pathex, *found.kwargs["hookspath"]]:
        assert Path(path).exists(), path
    for source, _ in found.kwargs["datas"]:
        assert Path(source).is_file(), source
    assert Path(spec["ICON"]).is_file()
    for program in spec["built"]["EXE"]:
        assert program.kwargs["icon"] in (None, spec["ICON"])
    for hook_dir in found.kwargs["hookspath"]:
        for hook in Path(hook_dir).glob("hook-*.py"):
            module = hook.stem.removeprefix("hook-")
            assert importlib.util.find_spec(module) is not None, f"{hook.name} hooks nothing"


def test_migrations_and_resources_go_in_whole_where_the_code_looks(spec: dict[str, Any]) -> None:
    bundled = {(Path(dest) / Path(source).name).as_posix() for source, dest in analysis(spec).datas}
    for folder in (migrate.MIGRATIONS_DIR, app.ICON.parent):
        files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files, folder
        for path in files:
            assert path.relative_to(ROOT).as_posix() in bundled, path
    assert app.ICON.relative_to(ROOT).as_posix() in bundled
    assert any(name.endswith("versions/0001_initial.py") for name in bundled)


def test_hidden_imports_can_be_imported(spec: dict[str, Any]) -> None:
    for name in analysis(spec).kwargs["hiddenimports"]:
        assert importlib.util.find_spec(name) is not None, name


def _is_module(name: str) -> bool:
    """Whether `name` is a module, not a name inside one (`typing.Any`: the lookup raises when
    the part before the dot is a module and not a package)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_what_the_migrations_import_is_bundled(spec: dict[str, Any]) -> None:
    """The migration scripts are data, so PyInstaller cannot see what they import."""
    hidden = set(analysis(spec).kwargs["hiddenimports"])
    used_by_package: set[str] = set()
    for path in peerdesk_sources():
        if "migrations" not in path.parts:
            used_by_package |= imported_modules(path)
    for script in migrate.MIGRATIONS_DIR.rglob("*.py"):
        for name in imported_modules(script):
            if name.startswith("peerdesk") or importlib.util.find_spec(name.split(".")[0]) is None:
                continue
            if not _is_module(name):  # `from x import some_name`
                continue
            assert name in hidden or name in used_by_package, f"{script.name} imports {name}"


def test_left_out_modules_are_never_imported(spec: dict[str, Any]) -> None:
    excluded = set(analysis(spec).kwargs["excludes"])
    for path in peerdesk_sources():
        for name in imported_modules(path):
            parts = name.split(".")
            prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
            assert not prefixes & excluded, f"{path.relative_to(ROOT)} imports {name}"


def guards_import_errors(node: ast.Try) -> bool:
    names = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
    return not names or bool(names & {"ImportError", "ModuleNotFoundError", "Exception"})


def never_at_run_time(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` and `if __name__ == "__main__":` bodies do not run on import."""
    text = ast.unparse(test)
    return text.endswith("TYPE_CHECKING") or text in {
        "__name__ == '__main__'",
        '__name__ == "__main__"',
    }


def loaded_imports(path: Path, module: str) -> set[str]:
    """The modules a file imports as it loads: not inside functions or classes, nor in a
    `try` that copes with the module missing, nor for type checkers or scripts. `from a import b`
    counts as a and a.b."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    try:
        pending = list(ast.parse(path.read_bytes(), str(path)).body)
    except SyntaxError:  # a template shipped with a package
        return found
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(part for part in [*parent, base] if part)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.If) and never_at_run_time(node.test):
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try) and guards_import_errors(node):
            pending.extend([*node.orelse, *node.finalbody])
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            pending.extend(
                child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)
            )
    return found


@cache
def loaded_by_peerdesk() -> dict[str, str]:
    """Every module loading peerdesk's modules imports, directly or through its dependencies'
    module-level imports: module name → the module that imports it."""
    seen: dict[str, str] = {}
    pending = [(name, str(path)) for path in peerdesk_sources() for name in imported_modules(path)]
    while pending:
        name, importer = pending.pop()
        if name in seen or name.startswith("peerdesk"):
            continue
        seen[name] = importer
        parts = name.split(".")
        pending.extend((".".join(parts[:i]), importer) for i in range(1, len(parts)))
        try:
            found = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if found is None or not found.origin or not found.origin.endswith(".py"):
            continue
        pending.extend((child, name) for child in loaded_imports(Path(found.origin), name))
    return seen


def test_left_out_modules_are_not_loaded_by_what_peerdesk_uses(spec: dict[str, Any]) -> None:
    """A dependency that imports a left-out module as it loads would fail only in the bundle
    (reportlab, for one, needs PIL)."""
    excluded = set(analysis(spec).kwargs["excludes"])
    for module, importer in loaded_by_peerdesk().items():
        assert module not in excluded, f"{importer} imports {module}, which the spec leaves out"


def test_every_peerdesk_module_is_bundled(spec: dict[str, Any]) -> None:
    hidden = set(analysis(spec).kwargs["hiddenimports"])
    assert {"peerdesk.cli", "peerdesk.app", "peerdesk.demo", "sqlcipher3"} <= hidden


@pytest.mark.parametrize("platform", PLATFORMS)
def test_programs_for_each_platform(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = run_spec(platform, monkeypatch)
    names = [program.kwargs["name"] for program in spec["built"]["EXE"]]
    # Windows: a window program and a console one for the commands (the smoke test uses it).
    assert names == (["peerdesk", "peerdesk-cli"] if platform == "win32" else ["peerdesk"])
    consoles = [program.kwargs["console"] for program in spec["built"]["EXE"]]
    assert consoles == {"linux": [True], "win32": [False, True], "darwin": [False]}[platform]
    assert bool(spec["built"].get("BUNDLE")) == (platform == "darwin")


def test_linux_leaves_out_system_libraries_but_keeps_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from_the_system = run_spec("linux", monkeypatch)["from_the_system"]
    assert from_the_system(("libglib-2.0.so.0", "/usr/lib/x86_64/libglib-2.0.so.0", "BINARY"))
    assert not from_the_system(("libpython3.12.so.1.0", "/usr/lib/libpython3.12.so.1.0", "BINARY"))
    assert not from_the_system(
        ("PySide6/Qt/lib/libQt6Core.so.6", "/venv/PySide6/Qt/lib/libQt6Core.so.6", "BINARY")
    )
    windows = run_spec("win32", monkeypatch)["from_the_system"]
    assert not windows(("libglib-2.0.so.0", "/usr/lib/libglib-2.0.so.0", "BINARY"))


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windows_and_macos_icons_hold_the_app_icon() -> None:
    icons = load_script("make_icons")
    png = app.ICON.read_bytes()
    assert icons.png_size(png) == (icons.SIDE, icons.SIDE)
    assert (INSTALLER / "peerdesk.ico").read_bytes() == icons.ico_bytes(png), "run make_icons.py"
    assert (INSTALLER / "peerdesk.icns").read_bytes() == icons.icns_bytes(png), "run make_icons.py"


def test_deb_paths_are_looked_up_under_lib_and_usr_lib() -> None:
    deb = load_script("build_deb")
    paths = deb.candidate_paths(Path("/lib/x86_64-linux-gnu/libz.so.1"))
    assert "/lib/x86_64-linux-gnu/libz.so.1" in paths
    assert "/usr/lib/x86_64-linux-gnu/libz.so.1" in paths
    assert deb.version() == importlib.import_module("peerdesk").__version__


def test_desktop_entry_starts_the_installed_program() -> None:
    entry = (INSTALLER / "deb" / "peerdesk.desktop").read_text()
    assert re.search(r"^Exec=peerdesk$", entry, re.MULTILINE)
    assert re.search(r"^Icon=peerdesk$", entry, re.MULTILINE)
    for script in ("postinst", "postrm"):
        text = (INSTALLER / "deb" / script).read_text()
        assert "rm " not in text, f"{script} must not delete anything (people's data stays)"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis is not installed")
def test_windows_installer_script_compiles(tmp_path: Path) -> None:
    """With a stand-in payload: the real one is built on Windows by the release workflow."""
    payload = tmp_path / "peerdesk"
    (payload / "_internal").mkdir(parents=True)
    for name in ("peerdesk.exe", "peerdesk-cli.exe", "_internal/python312.dll"):
        (payload / name).write_bytes(b"stand-in")
    out = tmp_path / "peerdesk-0.1.0-setup.exe"
    done = subprocess.run(
        [
            "makensis",
            "-V2",
            "-DVERSION=0.1.0",
            f"-DSOURCE_DIR={payload}",
            f"-DOUTFILE={out}",
            str(INSTALLER / "windows" / "peerdesk.nsi"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in (done.stdout + done.stderr).lower()
    assert out.read_bytes()[:2] == b"MZ"


@pytest.mark.qt_log_ignore(OFFSCREEN_LIMITATION)
def test_the_window_closes_itself_when_asked(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(build_pages=False)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setenv(app.QUIT_AFTER_MS, "10")
    app.quit_after(window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


@pytest.mark.qt_log_ignore(OFFSCREEN_LIMITATION)
def test_the_window_stays_without_the_setting(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(build_pages=False)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setenv(app.QUIT_AFTER_MS, "soon")
    app.quit_after(window)
    qtbot.wait(100)
    assert window.isVisible()
