# ruff: noqa: F401 - one import list shared by the three artwork modules
"""Demo artwork: palettes, the supersampled pen and shape primitives (see artwork.py)."""

import io
import math
import random
import unicodedata
from colorsys import hls_to_rgb, rgb_to_hls
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "WIDTH",
    "HEIGHT",
    "S",
    "BAND_TOP",
    "PAD",
    "FONT_DIR",
    "TAG_TEXT",
    "PALETTES",
    "GENERIC",
    "RED",
    "GREEN",
    "WHITE",
    "INK",
    "_mix",
    "_shade",
    "_hue",
    "_Pen",
    "_lens",
    "_polar",
    "_taper",
    "_chilli",
    "_cassava",
    "_chip",
    "_label",
    "_keyword",
]

WIDTH, HEIGHT = 1200, 900
S = 2  # supersampling factor
BAND_TOP, PAD = 660, 60
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TAG_TEXT = "Contoh / demo"

# category -> (background top, background bottom, title band)
PALETTES = {
    "sambal": ("#ffe3d3", "#ff9e85", "#7a1f12"),
    "keripik": ("#fff3c9", "#ffc766", "#74430a"),
    "rempah": ("#f8e3c8", "#dba171", "#4e2a14"),
    "minyak": ("#f4f8e2", "#c9e0a6", "#2f4a1e"),
    "sayur": ("#e6f7dc", "#9fd68f", "#1d4a29"),
    "hasil-tani": ("#f3f2d2", "#e8c982", "#4d5a17"),
    "ternak": ("#e0eff9", "#a3c9e6", "#1d3b57"),
    "kerajinan-kayu": ("#f5e6d2", "#c99c70", "#4a2c16"),
    "mebel": ("#f1ebe2", "#d3bd9e", "#3b3128"),
    "rajutan": ("#f9e4ec", "#e5adc4", "#5b2540"),
    "anyaman": ("#f6efd6", "#d6c087", "#55461a"),
    "kerajinan-sisik": ("#e0f4f5", "#93d0d8", "#12464f"),
    "bahan-bangunan": ("#efedea", "#c8c1b8", "#5b2b1a"),
}
GENERIC = ("#ebe9f5", "#bfbbe0", "#2e2a52")
RED, GREEN, WHITE, INK = (214, 45, 32), (52, 128, 56), (255, 255, 255), (34, 30, 28)


def _mix(a, b, t: float) -> tuple:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour, t: float) -> tuple:
    """t > 0 lightens towards white, t < 0 darkens towards black."""
    return _mix(colour, WHITE if t > 0 else (0, 0, 0), abs(t))


def _hue(colour, dh: float) -> tuple:
    h, lum, sat = rgb_to_hls(*(v / 255 for v in colour))
    return tuple(round(v * 255) for v in hls_to_rgb((h + dh) % 1, lum, sat))


class _Pen:
    """ImageDraw wrapper: 1x coordinates around an origin, scaled by k, supersampled by S."""

    def __init__(self, img: Image.Image, origin, k: float = 1.0):
        self.draw, (self.ox, self.oy), self.k = ImageDraw.Draw(img), origin, k

    def pts(self, pts):
        return [((self.ox + x * self.k) * S, (self.oy + y * self.k) * S) for x, y in pts]

    def box(self, b):
        return [c for xy in self.pts([b[:2], b[2:]]) for c in xy]

    def w(self, width):
        return max(1, round(width * self.k * S))

    def ellipse(self, b, fill, outline=None, width=1):
        self.draw.ellipse(self.box(b), fill=fill, outline=outline, width=self.w(width))

    def circle(self, x, y, r, fill):
        self.ellipse((x - r, y - r, x + r, y + r), fill)

    def rect(self, b, fill, r=0, outline=None, width=1):
        self.draw.rounded_rectangle(self.box(b), r * self.k * S, fill=fill, outline=outline,
                                    width=self.w(width))

    def poly(self, pts, fill, outline=None, width=1):
        self.draw.polygon(self.pts(pts), fill=fill, outline=outline, width=self.w(width))

    def line(self, pts, fill, width, caps=True):
        self.draw.line(self.pts(pts), fill=fill, width=self.w(width), joint="curve")
        for x, y in (pts[0], pts[-1]) if caps else ():
            self.circle(x, y, width / 2 - 0.5, fill)

    def arc(self, b, start, end, fill, width):
        self.draw.arc(self.box(b), start, end, fill=fill, width=self.w(width))


def _lens(p0, p1, w, n=14):
    """Leaf/petal outline from p0 to p1, w wide in the middle."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    nx, ny = -dy / (math.hypot(dx, dy) or 1), dx / (math.hypot(dx, dy) or 1)
    side = [(i / n, w / 2 * math.sin(math.pi * i / n)) for i in range(n + 1)]
    left = [(x0 + dx * t + nx * o, y0 + dy * t + ny * o) for t, o in side]
    return left + [(x0 + dx * t - nx * o, y0 + dy * t - ny * o) for t, o in reversed(side)]


def _polar(cx, cy, r, deg):
    return cx + r * math.cos(math.radians(deg)), cy + r * math.sin(math.radians(deg))


def _taper(p, x, y, length, angle, colour, bend, thick):
    """A curved, tapering body (chilli, cassava); returns at(t, offset) and the base width."""
    a, w = math.radians(angle), length * thick

    def at(t, off):
        sx, sy = t * length, bend * length * t * t + off
        return x + sx * math.cos(a) - sy * math.sin(a), y + sx * math.sin(a) + sy * math.cos(a)

    ts = [i / 16 for i in range(17)]
    edge = [at(t, -w * (1 - t**1.7)) for t in ts] + [at(t, w * (1 - t**1.7)) for t in ts[::-1]]
    p.poly(edge, colour)
    p.circle(*at(0, 0), w, colour)
    return at, w


def _chilli(p, x, y, length, angle, colour, bend=0.22, thick=0.12):
    at, w = _taper(p, x, y, length, angle, colour, bend, thick)
    p.line([at(t, -w * 0.45 * (1 - t)) for t in (0.12, 0.3, 0.5)], _shade(colour, 0.35), w * 0.3)
    p.circle(*at(0, 0), w * 0.85, GREEN)
    p.line([at(0, 0), at(-0.16, -w * 0.4)], GREEN, w * 0.45)


def _cassava(p, x, y, length, angle):
    at, w = _taper(p, x, y, length, angle, (150, 90, 50), 0.06, 0.15)
    for t in (0.3, 0.5, 0.7):
        p.line([at(t, -w * 0.8 * (1 - t**1.7)), at(t + 0.03, w * 0.8 * (1 - t**1.7))],
               (116, 66, 36), 4)
    p.circle(*at(0, 0), w * 0.8, (248, 240, 222))


def _chip(p, x, y, r, rng, colour=(236, 178, 62)):
    pts = [_polar(x, y, r * rng.uniform(0.78, 1.08), a) for a in range(0, 360, 40)]
    p.poly(pts, colour, outline=_shade(colour, -0.18), width=2)
    p.circle(x + rng.uniform(-r, r) * 0.4, y + rng.uniform(-r, r) * 0.4, r * 0.1,
             _shade(colour, -0.25))


def _label(p, b, colour, ink):
    x0, y0, x1, y1 = b
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    p.rect(b, colour, r=12)
    p.line([(cx - w * 0.3, y0 + h * 0.62), (cx + w * 0.3, y0 + h * 0.62)], ink, 7)
    p.line([(cx - w * 0.18, y0 + h * 0.8), (cx + w * 0.18, y0 + h * 0.8)], _shade(ink, 0.45), 5)


def _keyword(title, *words):
    return any(word in title for word in words)
