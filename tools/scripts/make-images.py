#!/usr/bin/env python3
"""make-images — draws wirelab's own logo and favicon (Python stdlib only).

The article serves the Python logo and python.org's favicon; wirelab draws its
own instead, so nothing is downloaded: a plug on a curly wire, on a round teal
badge. The output is committed; run this again only to change the drawing:

    /usr/bin/python3 tools/scripts/make-images.py

writes
    lessons/05-caching/public/logo.png     128 x 128 PNG (RGBA)
    lessons/05-caching/public/favicon.ico  32 x 32 ICO holding one PNG image
    lessons/06-cookies/public/ and lessons/07-methods/public/: the same two files
    lessons/04-headers/public/logo.png     the same PNG
    lessons/04-headers/public/notes.txt    the same PNG again, under a name that
                                           lies (lesson 04: guessing vs sniffing)

The files are the same bytes on every run: PNG (ISO/IEC 15948, RFC 2083) is a
signature and chunks, each length + type + data + CRC-32; the pixels are
filtered rows (filter type 0) deflated with zlib. An ICO file is a 6-byte
ICONDIR, one 16-byte ICONDIRENTRY per image, then the images; since Windows
Vista an image may be a whole PNG file, which every browser reads.
"""

from __future__ import annotations

import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SAMPLES = 4  # supersampling per axis: smooth edges without a drawing library

TEAL = (31, 78, 95, 255)
AMBER = (242, 193, 78, 255)
STEEL = (214, 219, 223, 255)
INK = (20, 40, 48, 255)


def in_round_rect(x: float, y: float, x0: float, y0: float, x1: float, y1: float, r: float) -> bool:
    """Whether (x, y) lies inside the rectangle [x0, x1] x [y0, y1] with corners of radius r."""
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def wire_distance(x: float, y: float) -> float:
    """Distance from (x, y) to the wire: a wave leaving the plug's foot downwards."""
    best = 1e9
    steps = 60
    for i in range(steps + 1):
        t = i / steps
        wy = 0.58 + 0.36 * t
        wx = 0.5 + 0.12 * math.sin(t * 2 * math.pi)
        best = min(best, math.hypot(x - wx, y - wy))
    return best


def colour_at(x: float, y: float) -> tuple[int, int, int, int]:
    """The colour of the drawing at (x, y) in the unit square (0, 0 top left)."""
    if in_round_rect(x, y, 0.33, 0.26, 0.67, 0.58, 0.07):          # plug body
        if in_round_rect(x, y, 0.40, 0.36, 0.60, 0.40, 0.02):      # a groove
            return INK
        return AMBER
    if in_round_rect(x, y, 0.39, 0.08, 0.46, 0.27, 0.015):        # prongs
        return STEEL
    if in_round_rect(x, y, 0.54, 0.08, 0.61, 0.27, 0.015):
        return STEEL
    if y > 0.56 and wire_distance(x, y) <= 0.045:                   # the wire
        return AMBER
    if (x - 0.5) ** 2 + (y - 0.5) ** 2 <= 0.48 ** 2:                # the badge
        return TEAL
    return (0, 0, 0, 0)


def render(size: int) -> list[bytes]:
    """size x size RGBA rows, each pixel the average of SAMPLES^2 samples."""
    rows = []
    n = SAMPLES * SAMPLES
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    c = colour_at((px + (sx + 0.5) / SAMPLES) / size,
                                  (py + (sy + 0.5) / SAMPLES) / size)
                    a = c[3]
                    acc[0] += c[0] * a
                    acc[1] += c[1] * a
                    acc[2] += c[2] * a
                    acc[3] += a
            alpha = acc[3] / n
            if acc[3]:
                pixel = [round(acc[k] / acc[3]) for k in range(3)] + [round(alpha)]
            else:
                pixel = [0, 0, 0, 0]
            row += bytes(pixel)
        rows.append(bytes(row))
    return rows


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int) -> bytes:
    """A whole PNG file of the drawing at size x size, 8-bit RGBA (colour type 6)."""
    raw = b"".join(b"\x00" + row for row in render(size))  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(image: bytes, size: int) -> bytes:
    """An ICO file holding one PNG image of size x size."""
    icondir = struct.pack("<HHH", 0, 1, 1)  # reserved, type 1 (icon), one image
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), 6 + 16)
    return icondir + entry + image


def write(rel: str, data: bytes) -> None:
    path = os.path.join(REPO, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                print(f"unchanged {rel}")
                return
    except FileNotFoundError:
        pass
    with open(path, "wb") as f:
        f.write(data)
    print(f"wrote {rel} ({len(data)} bytes)")


def main() -> None:
    logo = png(128)
    write("lessons/05-caching/public/logo.png", logo)
    icon = ico(png(32), 32)
    write("lessons/05-caching/public/favicon.ico", icon)
    for lesson in ("06-cookies", "07-methods"):
        write(f"lessons/{lesson}/public/logo.png", logo)
        write(f"lessons/{lesson}/public/favicon.ico", icon)
    write("lessons/04-headers/public/logo.png", logo)
    write("lessons/04-headers/public/notes.txt", logo)


if __name__ == "__main__":
    main()
