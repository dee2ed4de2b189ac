"""Starting the window the way a user does (`peerdesk`, `python -m peerdesk`): the window is on
screen before the data stack loads, and the command line still reads everything else as before.

No timings here: the order of events is what is checked, which a busy machine does not change.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from peerdesk import __version__, cli

# What the window must not wait for: the database stack, the services and the PDF library.
DATA_STACK = ("sqlalchemy", "sqlcipher3", "alembic", "peerdesk.services", "reportlab")
GIVE_UP_S = 120


def loaded_before_the_window(argv: list[str], home: Path, data: Path) -> list[str]:
    """Every module `python -m peerdesk ARGV` imports before its window is on screen (from
    -X importtime, in the same stream as the window's "shown"); waits until the window has gone on
    to open its data folder, then ends it."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "QT_QPA_PLATFORM": "offscreen",
        "PEERDESK_REPORT_SHOWN": "1",
    }
    env.pop("PEERDESK_QUIT_AFTER_MS", None)
    child = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "peerdesk", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    give_up = threading.Timer(GIVE_UP_S, child.kill)
    give_up.start()
    loaded: list[str] = []
    output: list[str] = []
    shown = False
    try:
        assert child.stdout is not None
        for line in child.stdout:
            output.append(line)
            if line.strip() == "shown":
                shown = True
                break
            if line.startswith("import time:") and "[us]" not in line:
                loaded.append(line.rsplit("|", 1)[1].strip())
        # Then the window opens the data folder (the first-run screen, for an empty one).
        while shown and child.poll() is None and not (data / "backups").is_dir():
            time.sleep(0.05)
        opened = (data / "backups").is_dir()
    finally:
        give_up.cancel()
        child.kill()
        child.communicate()
    assert shown, "the window was never shown:\n" + "".join(output[-40:])
    assert opened, "the window did not go on to open its data folder"
    return loaded


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--data-dir", "{data}"], id="data-dir"),
        pytest.param(["--take-over", "--data-dir={data}"], id="take-over-data-dir="),
    ],
)
def test_the_window_is_on_screen_before_the_data_stack_loads(
    argv: list[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    home = tmp_path / "home"
    home.mkdir()
    loaded = loaded_before_the_window([a.format(data=data) for a in argv], home, data)
    assert "peerdesk.ui.main_window" in loaded  # the window's own modules did load
    early = [m for m in loaded if any(m == s or m.startswith(s + ".") for s in DATA_STACK)]
    assert not early, f"loaded before the window was on screen: {early[:8]}"


def parsed(argv: list[str]) -> argparse.Namespace:
    return cli.build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--data-dir", "folder"],
        ["--data-dir=folder"],
        ["--data-dir=-odd name"],
        ["--take-over"],
        ["--take-over", "--data-dir", "a", "--data-dir", "b"],
        ["--data-dir", "demo"],  # a folder named like a command is still a folder
    ],
)
def test_the_quick_look_reads_the_window_options_as_the_parser_does(argv: list[str]) -> None:
    only_the_window, data_dir = cli._only_the_window(argv)
    assert only_the_window
    args = parsed(argv)
    assert args.command is None
    assert data_dir == getattr(args, "data_dir", None)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["--data-dir", "x", "check"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--data"],  # an abbreviation: left to argparse
        ["--data-dir"],
        ["--data-dir="],
        ["--data-dir", "-x"],
        ["--"],
        ["--bogus"],
        ["frobnicate"],
    ],
)
def test_anything_else_goes_to_the_parser(argv: list[str]) -> None:
    assert cli._only_the_window(argv) == (False, None)


def test_the_window_by_either_route_gets_the_same_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path | None] = []
    monkeypatch.setattr(cli, "_window", lambda data_dir: opened.append(data_dir) or 0)
    assert cli.main(["--data-dir", "here"]) == 0  # the quick look
    assert cli.main(["--data-di", "here"]) == 0  # an abbreviation, through argparse
    assert cli.main(["--take-over"]) == 0
    assert opened == [Path("here"), Path("here"), None]


def every_command() -> list[str]:
    parser = cli.build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


def test_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerdesk", "--help"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("usage: peerdesk")
    listed = every_command()
    assert {"init", "demo", "users", "import", "rota", "report", "roles", "rekey"} <= set(listed)
    for command in listed:
        assert re.search(rf"^    {re.escape(command)}\b", result.stdout, re.MULTILINE), command


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerdesk", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"peerdesk {__version__}\n"


def test_a_command_s_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["demo", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: peerdesk demo") and "--seed" in out and "--size" in out


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["--bogus"], ["--data-dir"], ["--data-dir", "-x"], ["demo", "--size", "huge"]],
)
def test_mistakes_are_argparse_s_errors_as_before(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as expected:
        parsed(argv)
    wanted = capsys.readouterr()
    with pytest.raises(SystemExit) as got:
        cli.main(argv)
    assert got.value.code == expected.value.code == 2
    assert capsys.readouterr() == wanted
    assert "error: " in wanted.err


def test_an_unknown_command_through_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerdesk", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: peerdesk")
    assert "peerdesk: error: argument COMMAND: invalid choice: 'frobnicate'" in result.stderr
