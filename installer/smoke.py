"""Smoke test of a built or installed peerdesk program (the bundle, or what the .deb installed).

    python installer/smoke.py dist/peerdesk/peerdesk
    python installer/smoke.py /usr/bin/peerdesk

Runs the program as a user would, in a temporary folder: --version, a demo data folder, `check`,
an export to .xlsx, an older database upgraded by the program's own bundled migrations, a
governance report, and the window started offscreen and closed again. Each step prints one line;
the first failure stops the test with exit code 1.

Run it with a Python that can import peerdesk (the build's virtualenv): making the older database
uses peerdesk's own code, everything else only runs the program.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

DEMO_USER = "coordinator"
TIMEOUT_S = 180  # a first start unpacks nothing, but a slow CI machine is slow
WINDOW_MS = 3000  # how long the window stays open before it closes itself


class SmokeFailure(Exception):
    pass


def run(program: str, *args: str, env: dict[str, str], timeout: int = TIMEOUT_S) -> str:
    """The program's output; a non-zero exit or a traceback is a failure."""
    try:
        done = subprocess.run(
            [program, *args], env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise SmokeFailure(f"'{' '.join(args)}' did not finish within {timeout} s") from None
    output = done.stdout + done.stderr
    if done.returncode != 0 or "Traceback" in output:
        raise SmokeFailure(f"'{' '.join(args)}' exited with {done.returncode}:\n{output}")
    return output


def isolated_env(home: Path) -> dict[str, str]:
    """The program's settings and default data folder inside the test folder, not the user's."""
    from peerdesk.services.setup import DEMO_PASSWORD

    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        PEERDESK_USER=DEMO_USER,
        PEERDESK_PASSWORD=DEMO_PASSWORD,
    )
    return env


def check_version(program: str, env: dict[str, str]) -> str:
    from peerdesk import __version__

    out = run(program, "--version", env=env).strip()
    if out != f"peerdesk {__version__}":
        raise SmokeFailure(f"--version said {out!r}, expected 'peerdesk {__version__}'")
    return out


def make_demo(program: str, data: Path, env: dict[str, str]) -> str:
    run(program, "demo", "--data-dir", str(data), env=env)
    db = data / "peerdesk.sqlite3"
    if not db.is_file() or db.read_bytes()[:16] == b"SQLite format 3\x00":
        raise SmokeFailure(f"demo did not write an encrypted database at {db}")
    return f"{db.stat().st_size / 1e6:.1f} MB, encrypted (SQLCipher from the bundle)"


def check_healthy(program: str, data: Path, env: dict[str, str]) -> str:
    from peerdesk.db.schema import HEAD

    out = run(program, "check", "--data-dir", str(data), env=env)
    if f"{HEAD} (current)" not in out or "\nHealthy" not in out:
        raise SmokeFailure(f"check did not report a healthy database at {HEAD}:\n{out}")
    return f"healthy, schema {HEAD}"


def export_spreadsheet(program: str, data: Path, out: Path, env: dict[str, str]) -> str:
    """openpyxl is imported only inside a function: this shows it made it into the bundle."""
    said = run(program, "export", "volunteers", "--data-dir", str(data), "--out", str(out), env=env)
    if not out.is_file() or out.read_bytes()[:2] != b"PK":
        raise SmokeFailure(f"export did not write a spreadsheet at {out}:\n{said}")
    return said.strip()


def step_back_one_revision(data: Path) -> str:
    """Downgrade the demo database one revision with peerdesk's own migrations (from source)."""
    from alembic import command

    from peerdesk.db.engine import make_engine
    from peerdesk.db.migrate import alembic_config
    from peerdesk.db.paths import DataFolder
    from peerdesk.db.schema import REVISIONS
    from peerdesk.db.vault import Vault
    from peerdesk.services.setup import DEMO_PASSWORD

    folder = DataFolder(data)
    vault, _ = Vault.unlock(folder, DEMO_USER, DEMO_PASSWORD)
    engine = make_engine(folder.db_file, vault.key)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, REVISIONS[-2])
    finally:
        engine.dispose()
    return REVISIONS[-2]


def check_upgrade(program: str, data: Path, env: dict[str, str]) -> str:
    older = step_back_one_revision(data)
    before = set((data / "backups").iterdir())
    result = check_healthy(program, data, env)
    if not set((data / "backups").iterdir()) - before:
        raise SmokeFailure("the upgrade took no backup first")
    return f"{older} upgraded by the bundled migrations, backup taken; {result}"


def governance_report(program: str, data: Path, out: Path, env: dict[str, str]) -> str:
    today = date.today()
    start = today.replace(year=today.year - 1)
    run(
        program,
        *("report", "governance", "--data-dir", str(data)),
        *("--from", start.isoformat(), "--to", today.isoformat(), "--out", str(out)),
        env=env,
    )
    if not out.is_file() or out.read_bytes()[:5] != b"%PDF-":
        raise SmokeFailure(f"the governance report did not write a PDF at {out}")
    return f"{out.stat().st_size / 1000:.0f} kB PDF ({start} to {today})"


def open_and_close_window(program: str, data: Path, env: dict[str, str]) -> str:
    window_env = dict(env, QT_QPA_PLATFORM="offscreen", PEERDESK_QUIT_AFTER_MS=str(WINDOW_MS))
    out = run(program, "--data-dir", str(data), env=window_env)
    if "Could not load the Qt platform plugin" in out:
        raise SmokeFailure(out)
    # The window let go of the data folder: the next command can take its lock.
    check_healthy(program, data, env)
    return f"started offscreen, closed itself after {WINDOW_MS} ms, exit 0, folder released"


def smoke(program: str) -> None:
    with tempfile.TemporaryDirectory(prefix="peerdesk-smoke-") as tmp:
        home = Path(tmp)
        data = home / "demo"
        env = isolated_env(home)
        report = home / "governance.pdf"
        steps = [
            ("version", lambda: check_version(program, env)),
            ("demo", lambda: make_demo(program, data, env)),
            ("check", lambda: check_healthy(program, data, env)),
            ("export", lambda: export_spreadsheet(program, data, home / "people.xlsx", env)),
            ("upgrade", lambda: check_upgrade(program, data, env)),
            ("report", lambda: governance_report(program, data, report, env)),
            ("window", lambda: open_and_close_window(program, data, env)),
        ]
        for name, step in steps:
            print(f"ok   {name:8} {step()}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", help="the peerdesk program to test")
    args = parser.parse_args()
    program = shutil.which(args.program) or args.program
    if not Path(program).is_file():
        print(f"smoke: {args.program} is not a program; build it first.", file=sys.stderr)
        return 1
    try:
        smoke(program)
    except SmokeFailure as failure:
        print(f"FAILED {failure}", file=sys.stderr)
        return 1
    print(f"smoke test passed: {program}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
