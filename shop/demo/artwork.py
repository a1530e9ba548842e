"""Illustrated placeholder product photos for the demo catalogue.

``render_card`` draws a flat illustration card with Pillow only (no network, no assets):
a category-coloured gradient with a soft halo, a simple drawing of the product built from
ImageDraw primitives with a soft shadow, a title band and a discreet "Contoh / demo" tag
(demo images must say they are demo images). The product is drawn at 2x, cropped to its
footprint and downscaled with LANCZOS; the halo masks are drawn at 2x and box-reduced;
text is drawn at final size (FreeType antialiases it). Some categories pick a variant from
keywords in the title: kepiting (crab) and kambing (goat) in ternak, cabai and jagung in
hasil-tani, perahu/kapal (boat) in kerajinan-kayu, gazebo in mebel.
"""

import io
import math
import random
import unicodedata
from colorsys import hls_to_rgb, rgb_to_hls
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

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


def _sambal(p, rng, title):
    _chilli(p, 150, 190, 150, -12, RED)
    _chilli(p, 175, 160, 120, -40, (230, 70, 30), bend=-0.2)
    glass, lid = (252, 238, 232), rng.choice([(170, 30, 22), (212, 160, 40), (44, 40, 40)])
    p.rect((-130, -120, 130, 215), glass, r=48)
    p.rect((-112, -70, 112, 198), (196, 38, 24), r=36)
    for _ in range(26):
        p.circle(rng.uniform(-95, 95), rng.uniform(-55, 185), rng.uniform(3, 6), (245, 170, 60))
    p.rect((-98, -55, -78, 170), (222, 84, 64), r=10)
    p.rect((-105, -150, 105, -112), glass, r=10)
    p.rect((-122, -205, 122, -140), lid, r=16)
    for y in (-188, -172, -156):
        p.line([(-108, y), (108, y)], _shade(lid, 0.25), 4, caps=False)
    _label(p, (-88, 20, 88, 130), (255, 248, 230), (150, 30, 20))
    _chilli(p, -30, 48, 62, 8, RED)


def _keripik(p, rng, title):
    bag = rng.choice([(214, 60, 44), (46, 132, 98), (224, 112, 30)])
    left = [(-150 - 16 * math.sin(math.pi * i / 20), -180 + 18 * i) for i in range(21)]
    p.poly(left + [(-x, y) for x, y in left[::-1]], bag)
    for y0, sgn in ((-180, -1), (180, 1)):
        zig = [(-150 + 15 * i, y0 + sgn * (40 if i % 2 else 33)) for i in range(21)]
        p.poly([(-150, y0), (150, y0)] + zig[::-1], _shade(bag, -0.2))
    p.rect((-120, -140, 120, -80), (255, 250, 236), r=14)
    p.line([(-80, -110), (80, -110)], bag, 9)
    p.ellipse((-100, -50, 100, 130), (255, 246, 224))
    p.line([(-138, -150), (-142, 160)], _shade(bag, 0.2), 8)
    for x, y, r in ((-40, 20, 34), (30, 0, 30), (5, 75, 36), (52, 62, 26), (-55, 78, 24),
                    (-190, 200, 30), (185, 196, 34), (225, 208, 22)):
        _chip(p, x, y, r, rng)


def _rempah(p, rng, title):
    amber, brown = (158, 64, 24), (122, 72, 40)
    p.rect((-200, -70, -50, 210), amber, r=34)
    p.poly([(-200, -30), (-50, -30), (-100, -130), (-150, -130)], amber)
    p.rect((-148, -175, -102, -120), amber, r=6)
    p.rect((-155, -215, -95, -170), (196, 38, 24), r=10)
    p.rect((-186, -40, -168, 180), _shade(amber, 0.3), r=9)
    _label(p, (-185, 30, -65, 140), (255, 244, 220), (110, 50, 20))
    p.circle(90, 120, 80, brown)  # nutmeg wrapped in red mace
    for rx in (14, 44, 70):
        p.ellipse((90 - rx, 42, 90 + rx, 198), None, outline=RED, width=7)
    p.circle(62, 86, 12, _shade(brown, 0.25))
    p.circle(200, 172, 50, brown)  # a halved nutmeg
    p.circle(200, 172, 40, (236, 208, 160))
    for a in range(0, 360, 45):
        p.line([(200, 172), _polar(200, 172, 33, a + rng.uniform(-8, 8))], (160, 98, 52), 4)
    for x, y, a in ((-30, 200, -20), (10, 172, 200), (-125, 218, -10), (235, 228, 190)):
        tip = _polar(x, y, 60, a + rng.uniform(-15, 15))  # cloves
        p.line([(x, y), tip], (96, 50, 28), 9)
        for b in range(45, 360, 90):
            p.circle(*_polar(*tip, 9, a + b), 8, (120, 64, 34))
        p.circle(*tip, 8, (150, 86, 46))


def _minyak(p, rng, title):
    p.circle(145, 140, 88, (110, 66, 36))  # coconut and a halved coconut
    p.circle(130, 150, 70, (132, 82, 46))
    p.ellipse((40, 170, 240, 225), (110, 66, 36))
    p.ellipse((55, 168, 225, 214), (250, 248, 240))
    glass, oil, cap = (250, 250, 236), (246, 226, 140), rng.choice([GREEN, (30, 110, 120)])
    p.rect((-100, -60, 100, 215), glass, r=36)
    p.poly([(-100, -30), (100, -30), (42, -120), (-42, -120)], glass)
    p.rect((-40, -160, 40, -110), glass, r=8)
    p.rect((-86, 0, 86, 200), oil, r=28)
    p.rect((-46, -205, 46, -150), cap, r=12)
    p.rect((-80, -40, -62, 180), WHITE, r=9)
    _label(p, (-70, 40, 70, 150), WHITE, cap)
    p.poly(_lens((-6, 88), (-40, 60), 22), cap)
    p.poly(_lens((6, 88), (40, 60), 22), _shade(cap, 0.25))


def _sayur(p, rng, title):
    greens = [(46, 125, 50), (78, 160, 64), (60, 145, 56), (104, 180, 80)]
    angles = sorted(rng.uniform(-160, -20) for _ in range(5)) + [-120, -90, -60, -135, -45]
    for i, a in enumerate(angles):
        tip, start = _polar(0, 130, rng.uniform(250, 330), a), _polar(0, 130, 90, a)
        colour = greens[(i + (i >= 5)) % 4]
        p.line([(0, 140), start], (170, 210, 140), 9)
        p.poly(_lens(start, tip, rng.uniform(95, 130)), colour)
        p.line([start, _mix(start, tip, 0.85)], _shade(colour, 0.3), 4)
    for dx in (-22, -8, 8, 22):
        p.line([(dx * 0.4, 150), (dx, 215)], (180, 216, 150), 10)
    p.rect((-34, 128, 34, 158), (200, 60, 50), r=8)


def _hasil_tani(p, rng, title):
    if _keyword(title, "cabai", "cabe", "rica", "rawit"):  # a fanned bunch of chillies
        for i in range(5):
            colour = (60, 150, 60) if i == 1 else _shade(RED, rng.uniform(-0.1, 0.1))
            _chilli(p, -190 + rng.uniform(-30, 30), -105 + i * 60, rng.uniform(340, 400),
                    rng.uniform(-8, 8), colour, bend=0.12 * (-1) ** i, thick=0.075)
        return
    if _keyword(title, "jagung", "corn"):  # three cobs with peeled husks
        for x, tilt in ((0, 0), (-105, -20), (105, 20)):
            a, (bx, by) = -90 + tilt + rng.uniform(-4, 4), (x, 200)
            tip = _polar(bx, by, 380 - abs(tilt) * 2, a)
            p.poly(_lens((bx, by), tip, 108), (232, 176, 40))
            for t in [i / 12 for i in range(2, 11)]:
                for f in (-0.55, 0, 0.55):
                    c = _polar(*_mix((bx, by), tip, t), f * 50 * math.sin(math.pi * t), a + 90)
                    p.circle(*c, 9, (250, 212, 90))
            for da in (-24, 24):
                p.poly(_lens((bx, by), _polar(bx, by, 220, a + da), 64), (92, 158, 60))
        return
    sack = (222, 196, 150)  # a rice sack tied at the neck
    p.poly([(-60, -110), (60, -110), (160, -40), (178, 160), (150, 210), (-150, 210),
            (-178, 160), (-160, -40)], sack)
    p.poly([(-40, -112), (40, -112), (85, -178), (40, -160), (0, -190), (-40, -160),
            (-85, -178)], _shade(sack, 0.15))
    p.rect((-58, -128, 58, -102), (150, 100, 40), r=10)
    for y in range(-10, 200, 26):
        p.line([(-158, y), (158, y)], _shade(sack, -0.08), 3, caps=False)
    p.rect((-90, 10, 90, 120), (72, 120, 46), r=12)
    p.line([(-45, 100), (35, 30)], (244, 236, 200), 4)
    for i in range(6):
        cx, cy, side = -30 + 13 * i, 87 - 11 * i, 1 if i % 2 else -1
        p.poly(_lens((cx, cy), (cx + 10 * side, cy - 16), 12), (250, 244, 214))
    _cassava(p, -250, 175, 230, -6)
    _cassava(p, -215, 205, 200, 4)
    _chilli(p, 120, 195, 130, -8, RED)
    _chilli(p, 150, 165, 110, -30, (60, 150, 60), bend=-0.2)


def _ternak(p, rng, title):
    if _keyword(title, "kepiting", "rajungan", "crab"):
        shell = (226, 86, 48)
        for side in (-1, 1):
            for i in range(3):
                p.line([(side * 100, 60 + i * 24), (side * 195, 30 + i * 40),
                        (side * 225, 120 + i * 32)], _shade(shell, -0.12), 16)
            p.line([(side * 90, 0), (side * 165, -80)], shell, 22)
            p.circle(side * 180, -120, 58, shell)
            p.poly([(side * 180, -120), (side * 182, -200), (side * 250, -160)], (0, 0, 0, 0))
            p.line([(side * 40, -20), (side * 48, -85)], shell, 10)
            p.circle(side * 48, -95, 16, WHITE)
            p.circle(side * 50, -95, 8, INK)
        p.ellipse((-150, -40, 150, 140), shell)
        p.ellipse((-90, -25, 90, 40), _shade(shell, 0.25))
        return
    if _keyword(title, "kambing", "domba", "goat"):
        coat = rng.choice([(238, 230, 214), (160, 110, 70), (96, 86, 80)])
        for x in (-120, -70, 70, 115):
            p.rect((x, 40, x + 22, 208), _shade(coat, -0.1 * (x in (-70, 115))), r=8)
            p.rect((x, 192, x + 22, 212), INK, r=4)
        p.poly(_lens((-150, -20), (-190, -80), 26), coat)
        p.ellipse((-165, -70, 160, 100), coat)
        p.poly([(70, -40), (120, -150), (185, -130), (155, 20)], coat)
        p.poly(_lens((140, -150), (95, -215), 24), (120, 110, 100))
        p.ellipse((120, -175, 215, -110), coat)
        p.ellipse((175, -150, 240, -100), _shade(coat, 0.1))
        p.poly(_lens((140, -140), (80, -115), 30), _shade(coat, -0.2))
        p.poly([(200, -106), (222, -104), (214, -55)], _shade(coat, -0.25))
        p.circle(178, -145, 7, INK)
        return
    hen = rng.choice([(196, 112, 58), (248, 244, 234), (170, 80, 40)])
    for tip in ((-200, -160), (-240, -95), (-230, -25)):
        p.poly(_lens((-80, 20), tip, 72), (64, 52, 46))
    for x in (-10, 50):
        p.line([(x, 140), (x, 205)], (236, 150, 40), 10)
        p.line([(x - 26, 212), (x, 205), (x + 28, 212)], (236, 150, 40), 8)
    p.ellipse((-160, -50, 140, 160), hen)
    p.ellipse((20, -120, 162, 70), hen)  # neck and breast
    p.circle(105, -115, 58, hen)
    p.ellipse((-90, 0, 70, 110), _shade(hen, -0.14))
    for y in (40, 70):
        p.arc((-60, y - 60, 40, y + 20), 30, 150, _shade(hen, -0.28), 5)
    for x, y, r in ((78, -170, 20), (104, -181, 23), (130, -168, 18)):
        p.circle(x, y, r, RED)
    p.poly([(155, -130), (198, -112), (155, -96)], (240, 170, 40))
    p.ellipse((138, -102, 166, -50), RED)
    p.circle(122, -128, 10, INK)
    p.circle(125, -131, 3, WHITE)


def _kerajinan_kayu(p, rng, title):
    wood = rng.choice([(176, 112, 62), (150, 92, 50), (190, 130, 76)])
    if _keyword(title, "perahu", "kapal", "kora", "boat", "miniatur"):
        p.rect((-120, 180, 120, 208), _shade(wood, -0.35), r=8)
        for x in (-60, 60):
            p.rect((x - 9, 120, x + 9, 182), _shade(wood, -0.3))
        p.line([(0, 40), (0, -225)], _shade(wood, -0.4), 10)
        p.rect((4, -238, 56, -222), RED)
        p.rect((4, -222, 56, -206), WHITE)
        p.poly([(10, -200), (10, 10), (175, 10)], (250, 244, 226))
        p.poly([(-10, -180), (-10, 10), (-150, 10)], (238, 226, 200))
        top = [(x, 40 - 50 * (x / 250) ** 4) for x in range(-250, 251, 25)]
        bottom = [(235 * math.cos(i * math.pi / 20), 30 + 100 * math.sin(i * math.pi / 20))
                  for i in range(21)]
        p.poly(top + bottom, wood)
        p.line([(x, y + 28) for x, y in top[2:-2]], (250, 240, 220), 9, caps=False)
        p.line([(x, y + 48) for x, y in top[3:-3]], (190, 50, 40), 7, caps=False)
        return
    p.poly([(-185, -30), (185, -30), (145, -105), (-145, -105)], _shade(wood, 0.2))
    p.rect((-185, -30, 185, 195), wood, r=6)
    p.rect((-160, -5, 160, 170), None, r=12, outline=_shade(wood, -0.22), width=5)
    for i in range(4):
        p.line([(x, 25 + i * 38 + 5 * math.sin(x / 30 + i)) for x in range(-140, 141, 20)],
               _shade(wood, -0.12), 3, caps=False)
    p.ellipse((-85, -80, 85, -52), _shade(wood, -0.5))
    p.poly([(-70, -66), (70, -66), (50, -140), (15, -185), (-15, -150), (-55, -170)], WHITE)
    p.line([(15, -180), (5, -72)], (226, 226, 226), 4)


def _mebel(p, rng, title):
    wood = rng.choice([(150, 94, 52), (120, 74, 44), (176, 120, 70)])
    dark, light = _shade(wood, -0.25), _shade(wood, 0.2)
    if _keyword(title, "gazebo", "pondok", "saung", "bale"):
        for x in (-190, -10, 170):
            p.rect((x, 140, x + 20, 210), dark)
        for x in (-180, 160):
            p.rect((x, -40, x + 18, 130), wood)
        p.rect((-180, 60, 178, 72), wood)
        for x in range(-150, 160, 30):
            p.line([(x, 72), (x, 125)], light, 6, caps=False)
        p.rect((-215, 120, 215, 148), light, r=4)
        thatch = (196, 150, 80)
        p.poly([(-250, -20), (250, -20), (70, -200), (-70, -200)], thatch)
        for x in range(-240, 250, 32):
            p.line([(x * 0.28, -195), (x, -24)], _shade(thatch, -0.18), 4, caps=False)
        p.rect((-80, -215, 80, -195), _shade(thatch, -0.3), r=8)
        return
    p.rect((10, -20, 250, 12), light, r=8)  # table with a cup
    p.rect((30, 12, 230, 40), wood)
    for x in (38, 204):
        p.rect((x, 40, x + 18, 205), dark)
    p.rect((160, -62, 196, -20), (64, 128, 140), r=8)
    p.arc((184, -54, 212, -30), 270, 90, (64, 128, 140), 6)
    for x in (-225, -80):  # chair
        p.rect((x, -170, x + 18, 195), dark)
    p.rect((-232, -185, -55, -145), wood, r=12)
    for x in (-185, -150, -115):
        p.rect((x, -145, x + 16, 40), wood)
    for x in (-248, -72):
        p.rect((x, 58, x + 20, 210), wood)
    p.rect((-252, 35, -48, 65), light, r=8)


def _rajutan(p, rng, title):
    yarn = rng.choice([(44, 150, 150), (214, 160, 40), (200, 90, 120), (110, 100, 180)])
    p.arc((-110, -200, 110, 100), 180, 360, _shade(yarn, -0.25), 24)
    p.rect((-165, -60, 165, 205), yarn, r=52)
    for y in range(-10, 190, 22):
        span = 120 if -10 < y < 160 else 95
        for x in range(-span, span + 1, 24):
            p.line([(x - 9, y - 6), (x, y + 6), (x + 9, y - 6)], _shade(yarn, -0.16), 4)
    p.rect((-165, -60, 165, -22), _shade(yarn, -0.2), r=18)
    for x in range(-140, 150, 16):
        p.line([(x, -54), (x, -28)], _shade(yarn, -0.32), 3, caps=False)
    p.circle(120, 10, 26, (250, 240, 230))
    p.circle(120, 10, 10, _shade(yarn, 0.3))


def _anyaman(p, rng, title):
    straw = rng.choice([(214, 178, 110), (196, 150, 84), (222, 196, 130)])
    p.arc((-150, -230, 150, 130), 180, 360, _shade(straw, -0.25), 20)
    p.poly([(-185, -30), (185, -30), (140, 190), (-140, 190)], _shade(straw, -0.3))
    for r in range(7):  # woven checker: cells inset over a darker body
        y0, y1 = -30 + r * 220 / 7, -30 + (r + 1) * 220 / 7
        w0, w1 = 185 - r * 45 / 7, 185 - (r + 1) * 45 / 7
        for c in range(10):
            f0, f1 = c / 10, (c + 1) / 10
            quad = [(-w0 + 2 * w0 * f0 + 2, y0 + 2), (-w0 + 2 * w0 * f1 - 2, y0 + 2),
                    (-w1 + 2 * w1 * f1 - 2, y1 - 2), (-w1 + 2 * w1 * f0 + 2, y1 - 2)]
            p.poly(quad, straw if (r + c) % 2 else _shade(straw, -0.12))
    p.rect((-200, -55, 200, -18), _shade(straw, -0.18), r=18)
    for x in range(-185, 190, 22):
        p.line([(x, -50), (x + 12, -23)], _shade(straw, -0.32), 4, caps=False)
    p.rect((-145, 186, 145, 202), _shade(straw, -0.35), r=6)


def _kerajinan_sisik(p, rng, title):
    p.line([(0, 130), (0, -60)], (70, 140, 80), 10)
    p.poly(_lens((0, 70), (-95, 20), 48), (80, 160, 90))
    p.poly(_lens((0, 50), (90, 0), 48), (60, 140, 80))
    p.poly([(-62, 120), (62, 120), (48, 212), (-48, 212)], (40, 120, 130))
    p.rect((-70, 108, 70, 128), (30, 96, 106), r=8)
    pearl, spin = [(255, 247, 251), (238, 232, 250), (250, 236, 244)], rng.uniform(0, 45)
    for i, a in enumerate(range(0, 360, 45)):  # petals of fish scales, pearly and outlined
        p.poly(_lens((0, -95), _polar(0, -95, 150, a + spin), 90), pearl[i % 3],
               outline=(196, 176, 214), width=3)
        p.poly(_lens(_polar(0, -95, 50, a + spin), _polar(0, -95, 130, a + spin), 30), WHITE)
    for a in range(0, 360, 45):
        p.poly(_lens((0, -95), _polar(0, -95, 95, a + spin + 22.5), 56), (248, 196, 216),
               outline=(226, 160, 190), width=3)
    p.circle(0, -95, 30, (240, 190, 80))
    for a in range(0, 360, 60):
        p.circle(*_polar(0, -95, 16, a), 4, (200, 140, 50))


def _bahan_bangunan(p, rng, title):
    w, h, g, dx, dy = 124, 58, 6, 26, -18
    for r in range(4):  # a pyramid of bricks, painted back to front
        n, y = 4 - r, 155 - r * (h + g)
        for i in range(n):
            x = -(n * w + (n - 1) * g) / 2 - dx / 2 + i * (w + g)
            brick = _shade((184, 82, 52), rng.uniform(-0.08, 0.08))
            p.poly([(x, y), (x + w, y), (x + w + dx, y + dy), (x + dx, y + dy)],
                   _shade(brick, 0.18))
            p.poly([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)],
                   _shade(brick, -0.22))
            p.rect((x, y, x + w, y + h), brick, r=3)
            for _ in range(3):
                p.circle(x + rng.uniform(12, w - 12), y + rng.uniform(10, h - 10), 3,
                         _shade(brick, -0.15))


def _generic(p, rng, title):
    bag = rng.choice([(92, 84, 170), (50, 130, 150), (200, 110, 60)])
    p.arc((-90, -200, 90, -20), 180, 360, _shade(bag, -0.3), 16)
    p.poly([(-150, -100), (150, -100), (170, 205), (-170, 205)], bag)
    p.poly([(-150, -100), (150, -100), (152, -70), (-152, -70)], _shade(bag, 0.18))
    p.circle(0, 65, 70, (255, 250, 240))
    p.poly([_polar(0, 68, 20 + 28 * (i % 2 == 0), -90 + 36 * i) for i in range(10)],
           (240, 180, 50))


DRAWERS = {
    "sambal": _sambal, "keripik": _keripik, "rempah": _rempah, "minyak": _minyak,
    "sayur": _sayur, "hasil-tani": _hasil_tani, "ternak": _ternak,
    "kerajinan-kayu": _kerajinan_kayu, "mebel": _mebel, "rajutan": _rajutan,
    "anyaman": _anyaman, "kerajinan-sisik": _kerajinan_sisik,
    "bahan-bangunan": _bahan_bangunan,
}


@lru_cache(maxsize=16)
def _font(size: int, bold: bool):
    """(font, fake_bold): DejaVu if installed, else Pillow's bundled font (no bold face)."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size), False
    return ImageFont.load_default(size=size), bold


def _charset(text: str) -> str:
    """Pillow's bundled font has no accented letters: without DejaVu, 'Café' becomes 'Cafe'."""
    if (FONT_DIR / "DejaVuSans.ttf").exists():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _text(draw, xy, text, size, bold, fill, anchor="la"):
    font, fake_bold = _font(size, bold)
    draw.text(xy, text, font=font, fill=fill, anchor=anchor, stroke_width=int(fake_bold),
              stroke_fill=fill)


def _wrap(text: str, size: int, bold: bool, max_w: float, max_lines: int) -> list[str]:
    """Greedy word wrap; over-long words are split; overflow ends with an ellipsis."""
    length = _font(size, bold)[0].getlength
    lines, cur = [], ""
    for word in text.split():
        if length(f"{cur} {word}".strip()) <= max_w:
            cur = f"{cur} {word}".strip()
            continue
        if cur:
            lines.append(cur)
        cur = word
        while length(cur) > max_w and len(cur) > 1:
            cut = next(n for n in range(len(cur) - 1, 0, -1) if n == 1 or length(cur[:n]) <= max_w)
            lines, cur = lines + [cur[:cut]], cur[cut:]
    lines += [cur] if cur else []
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and length(last + "…") > max_w:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip(" ,.;:-&") + "…"]
    return lines


def _halo(img: Image.Image, band, rng) -> None:
    """Soft disc, ring and dots behind the object: 2x masks, box-reduced (antialiased)."""
    halo, dots = (Image.new("L", (WIDTH * S, BAND_TOP * S)) for _ in range(2))
    cx, cy, r = (600 + rng.randint(-30, 30)) * S, 330 * S, 300 * S
    ImageDraw.Draw(halo).ellipse((cx - r, cy - r, cx + r, cy + r), fill=70)
    r += 40 * S
    ImageDraw.Draw(halo).ellipse((cx - r, cy - r, cx + r, cy + r), outline=90, width=3 * S)
    for _ in range(7):
        x = rng.choice([rng.uniform(50, 230), rng.uniform(970, 1150)]) * S
        y, dr = rng.uniform(110, 600) * S, rng.uniform(5, 16) * S
        ImageDraw.Draw(dots).ellipse((x - dr, y - dr, x + dr, y + dr), fill=rng.randint(25, 60))
    img.paste(WHITE, (0, 0, WIDTH, BAND_TOP), halo.reduce(S))
    img.paste(band, (0, 0, WIDTH, BAND_TOP), dots.reduce(S))


def _product(category: str, title: str, rng):
    """The product drawn at 2x, cropped to its footprint, LANCZOS-downscaled; (image, x, y)."""
    layer = Image.new("RGBA", (WIDTH * S, BAND_TOP * S), (0, 0, 0, 0))
    origin = (600 + rng.randint(-35, 35), 345 + rng.randint(-8, 8))
    DRAWERS.get(category, _generic)(_Pen(layer, origin, rng.uniform(1.02, 1.1)), rng,
                                    title.lower())
    x0, y0, x1, y1 = layer.getbbox() or (0, 0, S, S)
    x0, y0, x1, y1 = x0 // S * S, y0 // S * S, -(-x1 // S) * S, -(-y1 // S) * S
    obj = layer.crop((x0, y0, x1, y1)).resize(((x1 - x0) // S, (y1 - y0) // S),
                                              Image.Resampling.LANCZOS)
    if rng.random() < 0.5:
        return obj.transpose(Image.Transpose.FLIP_LEFT_RIGHT), WIDTH - x1 // S, y0 // S
    return obj, x0 // S, y0 // S


def render_card(category: str, title: str, subtitle: str = "", seed: int = 0) -> bytes:
    """PNG bytes, 1200x900 (4:3), an illustration card for a product of this category."""
    rng = random.Random(f"{category}:{seed}")
    top, bottom, band = (ImageColor.getrgb(c) for c in PALETTES.get(category, GENERIC))
    dh = rng.uniform(-0.025, 0.025)  # small per-product hue shift of the background
    top, bottom = _hue(top, dh), _hue(bottom, dh)
    size = (WIDTH, HEIGHT)
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top),
                          Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR))
    _halo(img, band, rng)

    obj, x, y = _product(category, title, rng)
    shadow = Image.new("L", (WIDTH // 4, BAND_TOP // 4))  # quarter size, blurred, scaled up
    w, foot = obj.width / 4, (y + obj.height) / 4
    ImageDraw.Draw(shadow).ellipse((x / 4 + w * 0.06, foot - 6, x / 4 + w * 0.94, foot + 3),
                                   fill=120)
    shadow = shadow.filter(ImageFilter.GaussianBlur(4)).resize((WIDTH, BAND_TOP))
    img.paste(_shade(band, -0.2), (0, 0, WIDTH, BAND_TOP), shadow)
    img.paste(obj, (x, y), obj)

    draw = ImageDraw.Draw(img)
    draw.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=band)
    lines = _wrap(_charset(title), 48, True, WIDTH - 2 * PAD, 2)
    sub = _wrap(_charset(subtitle), 28, False, WIDTH - 2 * PAD, 1)
    ty = (BAND_TOP + HEIGHT - len(lines) * 60 - (44 if sub else 0)) / 2 + 12  # +12: accent bar
    draw.rounded_rectangle((PAD, ty - 24, PAD + 70, ty - 16), 4, fill=bottom)
    for i, line in enumerate(lines):
        _text(draw, (PAD, ty + i * 60), line, 48, True, WHITE)
    if sub:
        _text(draw, (PAD, ty + len(lines) * 60 + 6), sub[0], 28, False, _mix(band, WHITE, 0.78))

    tag_w = round(_font(19, True)[0].getlength(TAG_TEXT)) + 40  # pill drawn at 2x, reduced
    pill = Image.new("L", (tag_w * S, 38 * S))
    ImageDraw.Draw(pill).rounded_rectangle((0, 0, tag_w * S - 1, 38 * S - 1), 19 * S, fill=200)
    img.paste(WHITE, (WIDTH - 24 - tag_w, 24, WIDTH - 24, 62), pill.reduce(S))
    _text(draw, (WIDTH - 24 - tag_w / 2, 43), TAG_TEXT, 19, True, band, anchor="mm")

    out = io.BytesIO()
    img.save(out, "PNG", compress_level=3)
    return out.getvalue()
