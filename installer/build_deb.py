"""Packs the PyInstaller bundle into a .deb (run by `make installer`, on Debian or Ubuntu).

    python installer/build_deb.py dist/peerdesk dist

Lays out /opt/peerdesk (the bundle), /usr/bin/peerdesk, the menu entry and the icon, and works out
`Depends` from the bundle itself: every system library a bundled file links to directly, and the
package that installed it here (the spec leaves system libraries out of the bundle). The few
libraries only an optional Qt plugin needs become `Recommends`; any other library missing here
fails the build.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEB = HERE / "deb"
ICON = ROOT / "peerdesk" / "resources" / "peerdesk.png"
INSTALL_DIR = "opt/peerdesk"
# Libraries only an optional Qt plugin links to (Wayland without XWayland): recommended, and
# Qt falls back to X11 without them.
OPTIONAL_LIBRARIES = {
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libwayland-client.so.0": "libwayland-client0",
}


class DebError(Exception):
    pass


def version() -> str:
    text = (ROOT / "peerdesk" / "__init__.py").read_text()
    found = re.search(r'__version__ = "([^"]+)"', text)
    if not found:
        raise DebError("peerdesk/__init__.py has no __version__")
    return found.group(1)


def output(*command: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed(path: Path) -> set[str]:
    """The libraries `path` links to directly (its NEEDED entries)."""
    dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic))


def resolved(path: Path, bundle: Path) -> dict[str, str | None]:
    """name → where the dynamic linker finds it (with the bundle's own folders first, as the
    program's launcher sets them), or None when it is missing."""
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    found: dict[str, str | None] = {}
    for line in output("ldd", str(path), env=env).splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+) \(0x)", line)
        if match:
            found[match.group(1)] = match.group(3)
    return found


def system_libraries(bundle: Path) -> tuple[dict[str, Path], set[str]]:
    """The system libraries the bundle links to directly, and the names that are missing."""
    system: dict[str, Path] = {}
    missing: set[str] = set()
    for path in elf_files(bundle):
        direct = needed(path)
        if not direct:
            continue
        for name, where in resolved(path, bundle).items():
            if name not in direct:
                continue
            if where is None:
                missing.add(name)
            elif not Path(where).resolve().is_relative_to(bundle.resolve()):
                system[name] = Path(where)
    return system, missing


def candidate_paths(library: Path) -> list[str]:
    """Where dpkg may have recorded `library`: as linked, resolved, and under /lib or /usr/lib
    (on a merged-/usr system the two are one folder but dpkg knows only one of them)."""
    found = {str(library), str(library.resolve())}
    for path in list(found):
        if path.startswith("/usr/lib/"):
            found.add(path.removeprefix("/usr"))
        elif path.startswith("/lib/"):
            found.add("/usr" + path)
    return sorted(found)


def owning_packages(libraries: list[Path]) -> list[str]:
    """The installed packages holding `libraries` (one dpkg call: each takes a second)."""
    paths = {path: library for library in libraries for path in candidate_paths(library)}
    listing = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True).stdout
    packages: set[str] = set()
    owned: set[Path] = set()
    for line in listing.splitlines():
        owners, _, path = line.partition(": ")
        if path in paths:
            owned.add(paths[path])
            packages.update(owner.split(":")[0].strip() for owner in owners.split(","))
    unowned = sorted(str(library) for library in set(libraries) - owned)
    if unowned:
        raise DebError("no installed package holds " + ", ".join(unowned))
    return sorted(packages)


def dependencies(bundle: Path) -> tuple[list[str], list[str]]:
    system, missing = system_libraries(bundle)
    unknown = sorted(missing - set(OPTIONAL_LIBRARIES))
    if unknown:
        raise DebError(
            "the bundle needs libraries this computer does not have: "
            + ", ".join(unknown)
            + ". Install the packages that hold them (scripts/ensure-system-libs --installer"
            " installs Qt's; apt-file search names the others') and run make installer again."
        )
    required = [path for name, path in system.items() if name not in OPTIONAL_LIBRARIES]
    optional = set(system) | missing
    recommends = sorted({OPTIONAL_LIBRARIES[name] for name in optional & set(OPTIONAL_LIBRARIES)})
    return owning_packages(required), recommends


def lay_out(bundle: Path, root: Path) -> None:
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "peerdesk").symlink_to(f"/{INSTALL_DIR}/peerdesk")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(DEB / "peerdesk.desktop", apps / "peerdesk.desktop")
    icons = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(ICON, icons / "peerdesk.png")
    docs = root / "usr" / "share" / "doc" / "peerdesk"
    docs.mkdir(parents=True)
    shutil.copy(ROOT / "README.md", docs / "README.md")


def write_control(root: Path, depends: list[str], recommends: list[str]) -> None:
    control_dir = root / "DEBIAN"
    control_dir.mkdir()
    size_kb = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
    fields = {
        "@VERSION@": version(),
        "@ARCH@": output("dpkg", "--print-architecture").strip(),
        "@INSTALLED_SIZE@": str(size_kb),
        "@DEPENDS@": ", ".join(depends),
        "@RECOMMENDS@": ", ".join(recommends),
    }
    text = (DEB / "control.in").read_text()
    for placeholder, value in fields.items():
        text = text.replace(placeholder, value)
    if not recommends:
        text = re.sub(r"^Recommends: \n", "", text, flags=re.MULTILINE)
    (control_dir / "control").write_text(text)
    for script in ("postinst", "postrm"):
        shutil.copy(DEB / script, control_dir / script)
        (control_dir / script).chmod(0o755)


def build(bundle: Path, out_dir: Path) -> Path:
    if not (bundle / "peerdesk").is_file():
        raise DebError(f"{bundle} holds no peerdesk program: build the bundle first")
    depends, recommends = dependencies(bundle)
    out_dir.mkdir(parents=True, exist_ok=True)
    arch = output("dpkg", "--print-architecture").strip()
    deb = out_dir / f"peerdesk_{version()}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="peerdesk-deb-") as tmp:
        root = Path(tmp) / "root"
        lay_out(bundle, root)
        write_control(root, depends, recommends)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return deb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the PyInstaller bundle (dist/peerdesk)")
    parser.add_argument("out", type=Path, help="the folder to write the .deb into")
    args = parser.parse_args()
    missing = [tool for tool in ("dpkg", "dpkg-deb", "ldd", "readelf") if not shutil.which(tool)]
    if missing:
        print(f"build_deb: a .deb is built on Debian or Ubuntu; missing: {' '.join(missing)}.")
        return 1
    try:
        deb = build(args.bundle, args.out)
    except DebError as err:
        print(f"build_deb: {err}", file=sys.stderr)
        return 1
    print(f"{deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
