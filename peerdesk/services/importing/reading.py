"""Reading a group's spreadsheet into a plain table of cells: CSV (encoding and delimiter
detected) or XLSX (one sheet, read-only, capped). Nothing here knows what the columns mean."""

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from peerdesk.errors import PeerdeskError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
Cell = str | date | None


class ImportFileError(PeerdeskError):
    """The file cannot be read as a table of volunteers or training."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    name: str  # the file name, for messages and the audit summary (never its contents)
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file."""
    size = _size(path)
    if size == 0:
        raise ImportFileError(f"{path.name} is empty: there is nothing to import.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is {size / 2**20:.0f} MB, more than peerdesk imports at once "
            f"({MAX_FILE_BYTES // 2**20} MB); split it into smaller files."
        )
    raw = path.read_bytes()
    is_xlsx = raw.startswith(b"PK\x03\x04")  # a zip: what every .xlsx is
    grid = _xlsx_rows(path.name, raw, sheet) if is_xlsx else _csv_rows(path.name, raw)
    return _table(path.name, grid)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"There is no file {path}.") from None
    except OSError as err:
        raise ImportFileError(f"{path} cannot be read ({err.strerror}).") from None


def _table(name: str, grid: list[list[Cell]]) -> Table:
    numbered = [(n, row) for n, row in enumerate(grid, start=1) if not _blank(row)]
    if not numbered:
        raise ImportFileError(f"{name} has no rows: there is nothing to import.")
    (_, header), *body = numbered
    headers = tuple(_header(cell) for cell in header)
    if not body:
        raise ImportFileError(f"{name} has a header row but no people below it.")
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            f"{name} has {len(body):,} rows, more than peerdesk imports at once "
            f"({MAX_ROWS:,}); split it into smaller files."
        )
    width = len(headers)
    rows = tuple(SheetRow(n, tuple(_pad(row, width))) for n, row in body)
    return Table(name, headers, rows)


def _header(cell: Cell) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _pad(row: list[Cell], width: int) -> list[Cell]:
    return (row + [None] * width)[:width]


def _blank(row: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# CSV ----------------------------------------------------------------------------------------
def _decode(name: str, raw: bytes) -> str:
    """UTF-16 and UTF-8 by their BOM, then UTF-8, then Windows cp1252 (what Excel saves)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
    raise ImportFileError(
        f"{name} is not a CSV or Excel (.xlsx) file peerdesk can read; save it from your "
        "spreadsheet as CSV or .xlsx and try again."
    )


def _looks_binary(text: str) -> bool:
    """Control characters other than tab and line ends: not a spreadsheet's text."""
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 100


def _csv_rows(name: str, raw: bytes) -> list[list[Cell]]:
    text = _decode(name, raw)
    dialect = _dialect(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as err:
        raise ImportFileError(f"{name} is not a well-formed CSV file ({err}).") from None
    return [list[Cell](row) for row in rows]


class _Dialect(csv.excel):
    delimiter = ","


def _dialect(text: str) -> type[csv.Dialect]:
    """csv.Sniffer on the first lines; if it cannot tell, the delimiter the header uses most."""
    head = "\n".join(text.splitlines()[:20])
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=",;\t")
        delimiter = sniffed.delimiter
    except csv.Error:
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max(",;\t", key=first.count)
    return type("Detected", (_Dialect,), {"delimiter": delimiter})


# XLSX ---------------------------------------------------------------------------------------
def _xlsx_rows(name: str, raw: bytes, sheet: str | None) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        # From memory, not the path: openpyxl judges a path by its extension, not its contents.
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as err:  # a damaged zip or XML can fail in many ways inside openpyxl
        raise ImportFileError(
            f"{name} looks like an Excel file but cannot be opened ({type(err).__name__}); "
            "open it in your spreadsheet, save it again as .xlsx, and retry."
        ) from None
    try:
        return _sheet_rows(name, book, sheet)
    except ImportFileError:
        raise
    except Exception as err:
        raise ImportFileError(
            f"{name} is a damaged Excel file ({type(err).__name__}); open it in your "
            "spreadsheet, save it again as .xlsx, and retry."
        ) from None
    finally:
        book.close()


def _sheet_rows(name: str, book: object, sheet: str | None) -> list[list[Cell]]:
    names: list[str] = list(getattr(book, "sheetnames", []))
    if not names:
        raise ImportFileError(f"{name} has no sheets.")
    chosen = _choose_sheet(name, names, sheet)
    worksheet = book[chosen]  # type: ignore[index]
    grid: list[list[Cell]] = []
    for values in worksheet.iter_rows(values_only=True):
        grid.append([_xlsx_cell(v) for v in values])
        if len(grid) > MAX_ROWS + 1:
            raise ImportFileError(
                f"The sheet {chosen} in {name} has more than {MAX_ROWS:,} rows, more than "
                "peerdesk imports at once; split it into smaller files."
            )
    return grid


def _choose_sheet(name: str, names: list[str], sheet: str | None) -> str:
    if sheet is None:
        return names[0]
    for candidate in names:
        if candidate.strip().casefold() == sheet.strip().casefold():
            return candidate
    raise ImportFileError(
        f"{name} has no sheet called {sheet!r}; its sheets are: {', '.join(names)}."
    )


def _xlsx_cell(value: object) -> Cell:
    """Real Excel dates stay dates; everything else becomes the text a person would see."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
