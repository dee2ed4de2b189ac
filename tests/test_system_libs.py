"""scripts/ensure-system-libs: the system libraries are read from PySide6 itself, every one of them
has a package in its table, and what it cannot install it names."""

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ensure-system-libs"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF and ldd: Linux")


@cache
def script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("ensure_system_libs", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@cache
def pyside() -> Path:
    found = script().find_pyside()
    assert found is not None
    return found


@cache
def system_libraries() -> dict[str, bool]:
    return script().system_libraries(pyside())


@linux_only
def test_the_xcb_and_offscreen_plugins_and_the_qt_modules_are_read() -> None:
    files = {
        path.relative_to(pyside().parent).as_posix() for path in script().linked_files(pyside())
    }
    for name in (
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    ):
        assert name in files
    # left out of the bundle by the QtGui hook: peerdesk never loads it
    assert "PySide6/Qt/plugins/platformthemes/libqgtk3.so" not in files
    assert {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport"} <= script().imported_qt_modules()


@linux_only
def test_the_table_names_a_package_for_every_system_library_pyside6_links() -> None:
    libraries = system_libraries()
    # what the xcb plugin links, which the first version of the script did not check
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"} <= set(libraries)
    assert not libraries["libxcb-icccm.so.4"]
    assert libraries["libwayland-cursor.so.0"], "Wayland is optional: Qt falls back to X11"
    missing = sorted(set(libraries) - set(script().PACKAGES))
    assert not missing, f"add these to PACKAGES in scripts/ensure-system-libs: {missing}"


def dpkg_owners(paths: list[str]) -> dict[str, str]:
    listing = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True).stdout
    owners: dict[str, str] = {}
    for line in listing.splitlines():
        packages, _, path = line.partition(": ")
        owners[path] = packages.split(",")[0].split(":")[0].strip()
    return owners


@linux_only
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg: Debian and Ubuntu")
def test_the_table_agrees_with_the_packages_installed_here() -> None:
    """Each library found here belongs to the package the table names (or its t64 successor)."""
    where: dict[str, str] = {}
    files = [path for path, optional in script().linked_files(pyside()).items() if not optional]
    for path in files:
        ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        where.update(re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.MULTILINE))
    found = {
        name: path
        for name, path in where.items()
        if name in system_libraries() and path.startswith(("/lib", "/usr/lib"))
    }
    assert "libxcb.so.1" in found
    candidates: dict[str, str] = {}
    for name, path in found.items():
        real = str(Path(path).resolve())
        for each in {path, real}:
            candidates[each] = name
            if each.startswith("/usr/lib/"):
                candidates[each.removeprefix("/usr")] = name
            elif each.startswith("/lib/"):
                candidates["/usr" + each] = name
    owners = dpkg_owners(sorted(candidates))
    checked = set()
    for path, owner in owners.items():
        if path in candidates:
            expected = script().PACKAGES[candidates[path]]
            assert owner.removesuffix("t64") == expected, f"{candidates[path]} is in {owner}"
            checked.add(candidates[path])
    assert checked == set(found)


@linux_only
@pytest.mark.skipif(shutil.which("readelf") is None, reason="readelf is not installed")
def test_libraries_are_read_as_readelf_reads_them() -> None:
    for path in (
        pyside() / "Qt" / "plugins" / "platforms" / "libqxcb.so",
        pyside() / "Qt" / "lib" / "libQt6Core.so.6",
    ):
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True)
        expected = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic.stdout)
        assert script().elf_needed(path) == expected


def test_debian_names_library_packages_after_the_soname() -> None:
    name = script().package_name
    assert name("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert name("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert name("libX11-xcb.so.1") == "libx11-xcb1"
    assert name("libicuuc.so.72.1") == "libicuuc72"
    assert name("ld-linux-x86-64.so.2") is None


def test_a_package_renamed_for_64_bit_time_is_found() -> None:
    packages, unknown = script().choose_packages(["libcups.so.2"], {"libcups2t64"})
    assert (packages, unknown) == (["libcups2t64"], [])


def test_apt_is_asked_which_packages_it_can_install(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = (
        "libxcb-icccm4:\n  Installed: (none)\n  Candidate: 0.4.1-1.1\n  Version table:\n"
        "libglib2.0-0:\n  Installed: (none)\n  Candidate: (none)\n"
        "libcups2t64:amd64:\n  Installed: 2.4.7\n  Candidate: 2.4.7\n"
    )
    monkeypatch.setattr(
        script().subprocess, "run", lambda *a, **k: SimpleNamespace(stdout=policy, returncode=0)
    )
    found = script().apt_candidates(["libxcb-icccm4", "libglib2.0-0", "libcups2t64", "libnew3"])
    assert found == {"libxcb-icccm4", "libcups2t64"}


def run_main(monkeypatch: pytest.MonkeyPatch, *, root: bool, known: set[str]) -> Any:
    module = script()
    monkeypatch.setattr(module, "find_pyside", lambda: Path("PySide6"))
    monkeypatch.setattr(
        module, "missing_libraries", lambda *_: ["libxcb-icccm.so.4", "libnew-widgets.so.3"]
    )
    monkeypatch.setattr(module, "missing_programs", lambda _: ["faketime"])
    monkeypatch.setattr(module, "as_root", lambda: [] if root else None)
    monkeypatch.setattr(module, "apt_candidates", lambda names: known & set(names))
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(sys, "argv", ["ensure-system-libs"])
    return module.main()


def test_without_root_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(monkeypatch, root=False, known={"libxcb-icccm4", "faketime"}) == 1
    said = capsys.readouterr().out
    assert "sudo apt-get install faketime libxcb-icccm4" in said
    # not in the table and no package under Debian's rule: named, in a sentence
    assert re.search(r"needs libnew-widgets\.so\.3, which this computer does not have", said)


def test_as_root_it_installs_and_names_what_it_could_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    installed: list[list[str]] = []
    monkeypatch.setattr(
        script(), "apt_install", lambda _root, packages: installed.append(packages) or 1
    )
    monkeypatch.setattr(
        script().subprocess, "run", lambda *a, **k: SimpleNamespace(stdout="", returncode=0)
    )
    assert run_main(monkeypatch, root=True, known={"libxcb-icccm4", "faketime"}) == 1
    assert installed == [["faketime", "libxcb-icccm4"]]
    said = capsys.readouterr().out
    assert "libnew-widgets.so.3, which this computer does not have" in said
    assert "apt-file search libnew-widgets.so.3" in said


def test_the_tests_programs_include_faketime() -> None:
    assert script().TEST_PROGRAMS["faketime"] == "faketime"
    assert script().INSTALLER_PROGRAMS["readelf"] == "binutils"


def test_make_checks_the_libraries_of_the_pyside6_it_installed() -> None:
    makefile = (ROOT / "Makefile").read_text()
    stamp = re.search(r"^\$\(STAMP\):.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert stamp
    lines = stamp.group(1).splitlines()
    pip = next(i for i, line in enumerate(lines) if "pip install" in line)
    check = next(i for i, line in enumerate(lines) if "scripts/ensure-system-libs" in line)
    assert pip < check and lines[check].strip().startswith("$(PY) ")
    assert "scripts/ensure-system-libs" in stamp.group(0).splitlines()[0], "rerun when it changes"
    assert "$(INSTALLER_VENV)/bin/python scripts/ensure-system-libs --installer" in makefile


@linux_only
def test_what_is_optional_here_the_deb_only_recommends() -> None:
    """A library the script lets go missing must not stop installer/build_deb.py."""
    loader = importlib.machinery.SourceFileLoader(
        "build_deb", str(ROOT / "installer" / "build_deb.py")
    )
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec
    build_deb = importlib.util.module_from_spec(spec)
    loader.exec_module(build_deb)
    optional = {name for name, optional in system_libraries().items() if optional}
    assert optional
    assert optional <= set(build_deb.OPTIONAL_LIBRARIES)
    for name in optional:
        assert script().PACKAGES[name] == build_deb.OPTIONAL_LIBRARIES[name]


@linux_only
def test_a_bundle_is_checked_too_except_for_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle carries the Python interpreter's own modules (_curses links ncurses)."""
    module = script()
    monkeypatch.setattr(module, "not_found", lambda *a, **k: set())
    monkeypatch.setattr(
        module, "bundle_missing", lambda _: {"libwayland-cursor.so.0", "libncursesw.so.6"}
    )
    assert module.missing_libraries(pyside(), Path("dist/peerdesk")) == ["libncursesw.so.6"]
    assert module.guesses("libncursesw.so.6")[0] == "libncursesw6"


def test_make_installer_checks_the_bundle_before_packing_it() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ninstaller:", 1)[1]
    pyinstaller = recipe.index("pyinstaller ")
    check = recipe.index("scripts/ensure-system-libs --installer --bundle dist/peerdesk")
    assert pyinstaller < check < recipe.index("installer/build_deb.py")


def test_without_root_it_uses_sudo_only_where_sudo_asks_no_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = script()
    monkeypatch.setattr(module.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    answers = {"asks no password": 0, "asks a password": 1}
    for answer, code in answers.items():
        monkeypatch.setattr(
            module.subprocess, "run", lambda *a, code=code, **k: SimpleNamespace(returncode=code)
        )
        root = module.as_root()
        assert (root is not None) == (answer == "asks no password")
        assert root is None or root[:2] == ["/usr/bin/sudo", "-n"]
