"""Writes the Windows (.ico) and macOS (.icns) icons from the app's PNG icon.

Both formats may hold a PNG as it is (Windows Vista and later, macOS 10.7 and later), so the three
files show the same picture and need nothing beyond the standard library. Run it after changing
`peerdesk/resources/peerdesk.png`; a test checks the icons still hold that PNG.
"""

import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PNG = HERE.parent / "peerdesk" / "resources" / "peerdesk.png"
ICO = HERE / "peerdesk.ico"
ICNS = HERE / "peerdesk.icns"
SIDE = 256  # the PNG's width and height


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def ico_bytes(png: bytes) -> bytes:
    # ICONDIR (reserved, type 1 = icon, one image), then one ICONDIRENTRY; 0 means 256 pixels.
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def icns_bytes(png: bytes) -> bytes:
    # ic08 is the 256x256 slot; each entry is its type, its length with the 8-byte head, the data.
    entry = b"ic08" + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(entry)) + entry


def main() -> int:
    png = PNG.read_bytes()
    if png_size(png) != (SIDE, SIDE):
        print(f"{PNG} must be {SIDE}x{SIDE} pixels.", file=sys.stderr)
        return 1
    ICO.write_bytes(ico_bytes(png))
    ICNS.write_bytes(icns_bytes(png))
    print(f"wrote {ICO.name} and {ICNS.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
