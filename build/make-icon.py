#!/usr/bin/env python3
"""Writes nuget/icon.png, the package icon: a 128x128 violet rounded square with a white "F" and an upward arrow.

Pure standard library and no randomness, so running it again gives the same bytes. Run from anywhere:
    python3 build/make-icon.py
"""
import os
import struct
import zlib

SIZE = 128
RADIUS = 24
BACKGROUND = (124, 58, 237, 255)  # violet
FOREGROUND = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def inside_rounded_square(x, y):
    # Distance to the nearest corner centre decides the rounding; the edges are straight elsewhere.
    cx = min(max(x, RADIUS), SIZE - 1 - RADIUS)
    cy = min(max(y, RADIUS), SIZE - 1 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2


def in_glyph(x, y):
    # "F": a stem and two bars.
    stem = 30 <= x < 48 and 28 <= y < 100
    top = 30 <= x < 82 and 28 <= y < 44
    middle = 30 <= x < 72 and 56 <= y < 70
    # An arrow on the right: shaft and a triangular head pointing up (a deploy going out).
    shaft = 88 <= x < 100 and 60 <= y < 100
    head = 40 <= y < 62 and abs(x - 93.5) <= (y - 40) * 0.9
    return stem or top or middle or shaft or head


def pixel(x, y):
    if not inside_rounded_square(x, y):
        return CLEAR
    return FOREGROUND if in_glyph(x, y) else BACKGROUND


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png():
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nuget", "icon.png")
    with open(target, "wb") as f:
        f.write(png())
    print(os.path.normpath(target))
