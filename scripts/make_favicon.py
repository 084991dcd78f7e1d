"""Writes the favicon (jiuye/web/static/web/favicon.svg, favicon.png, favicon.ico) from one drawing.

The mark is the brand's: a red square with the character 业 (of 就业) drawn as plain strokes, so no font
is needed and the PNG/ICO are rasterised here without Pillow. Run after changing the drawing:
    python scripts/make_favicon.py
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "jiuye" / "web" / "static" / "web"
RED = (0xB3, 0x26, 0x1E)
WHITE = (0xFF, 0xFF, 0xFF)
SIZE = 32  # the drawing's grid

# 业 as polygons on the 32 x 32 grid: two verticals, two outer dots, the bottom stroke.
STROKES = [
    [(11, 5), (14, 5), (14, 24), (11, 24)],
    [(18, 5), (21, 5), (21, 24), (18, 24)],
    [(5, 10), (7.5, 9), (10, 18), (7.5, 19)],
    [(27, 10), (24.5, 9), (22, 18), (24.5, 19)],
    [(4, 24), (28, 24), (28, 27), (4, 27)],
]
RADIUS = 5  # the square's rounded corners


def svg() -> str:
    paths = "".join(f'<path d="M{" L".join(f"{x:g} {y:g}" for x, y in poly)} Z"/>' for poly in STROKES)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            f'<rect width="{SIZE}" height="{SIZE}" rx="{RADIUS}" fill="#b3261e"/>'
            f'<g fill="#fff">{paths}</g></svg>\n')


def _box(poly):
    xs, ys = [x for x, _ in poly], [y for _, y in poly]
    return min(xs), min(ys), max(xs), max(ys)


BOXES = [_box(p) for p in STROKES]


def _inside(poly, x: float, y: float) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _in_square(x: float, y: float) -> bool:
    cx = min(max(x, RADIUS), SIZE - RADIUS)
    cy = min(max(y, RADIUS), SIZE - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2


def raster(px: int) -> list[list[tuple[int, int, int, int]]]:
    """RGBA pixels at px x px, 4 x 4 supersampled."""
    n = 4
    rows = []
    for j in range(px):
        row = []
        for i in range(px):
            cover = white = 0
            for sj in range(n):
                for si in range(n):
                    x = (i + (si + 0.5) / n) * SIZE / px
                    y = (j + (sj + 0.5) / n) * SIZE / px
                    if _in_square(x, y):
                        cover += 1
                        white += any(x0 <= x <= x1 and y0 <= y <= y1 and _inside(p, x, y)
                                     for p, (x0, y0, x1, y1) in zip(STROKES, BOXES))
            if not cover:
                row.append((0, 0, 0, 0))
                continue
            t = white / cover
            r, g, b = (round(c1 + (c2 - c1) * t) for c1, c2 in zip(RED, WHITE))
            row.append((r, g, b, round(255 * cover / n / n)))
        rows.append(row)
    return rows


def png(px: int) -> bytes:
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in raster(px))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", px, px, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(sizes=(16, 32, 48)) -> bytes:
    """An .ico holding PNG images (supported by every current browser)."""
    images = [png(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for s, data in zip(sizes, images):
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


def main() -> None:
    (OUT / "favicon.svg").write_text(svg(), encoding="utf-8")
    (OUT / "favicon.png").write_bytes(png(180))  # also the apple-touch-icon
    (OUT / "favicon.ico").write_bytes(ico())


if __name__ == "__main__":
    main()
