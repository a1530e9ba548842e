"""Illustrated placeholder product photos for the demo catalogue.

``render_card`` draws a flat illustration card with Pillow only (no network, no assets):
a category-coloured gradient background, a simple drawing of the product built from
ImageDraw primitives with a soft shadow, a title band at the bottom and a discreet
"Contoh / demo" tag, because demo images must say they are demo images. Shapes are drawn
at 2x and downscaled with LANCZOS; text is drawn at final size (FreeType antialiases it).
"""

import io
import math
import random
from colorsys import hls_to_rgb, rgb_to_hls
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

WIDTH, HEIGHT = 1200, 900
S = 2  # supersampling factor
BAND_TOP = 660
PAD = 60
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
RED, GREEN, WHITE = (214, 45, 32), (62, 140, 60), (255, 255, 255)


def _rgb(colour) -> tuple:
    return ImageColor.getrgb(colour)[:3] if isinstance(colour, str) else tuple(colour[:3])


def _mix(a, b, t: float) -> tuple:
    return tuple(round(x + (y - x) * t) for x, y in zip(_rgb(a), _rgb(b)))


def _shade(colour, t: float) -> tuple:
    """t > 0 lightens towards white, t < 0 darkens towards black."""
    return _mix(colour, WHITE if t > 0 else (0, 0, 0), abs(t))


def _hue(colour, dh: float) -> tuple:
    h, lum, sat = rgb_to_hls(*(v / 255 for v in _rgb(colour)))
    return tuple(round(v * 255) for v in hls_to_rgb((h + dh) % 1, lum, sat))


class _Pen:
    """ImageDraw wrapper: 1x coordinates relative to an origin, scaled by S."""

    def __init__(self, img: Image.Image, origin=(0, 0)):
        self.draw = ImageDraw.Draw(img)
        self.ox, self.oy = origin

    def pts(self, pts):
        return [((self.ox + x) * S, (self.oy + y) * S) for x, y in pts]

    def box(self, b):
        return [c for xy in self.pts([(b[0], b[1]), (b[2], b[3])]) for c in xy]

    def ellipse(self, b, fill, outline=None, width=0):
        self.draw.ellipse(self.box(b), fill=fill, outline=outline, width=width * S)

    def circle(self, x, y, r, fill):
        self.ellipse((x - r, y - r, x + r, y + r), fill)

    def rect(self, b, fill, r=0, outline=None, width=0):
        self.draw.rounded_rectangle(self.box(b), r * S, fill=fill, outline=outline, width=width * S)

    def poly(self, pts, fill, outline=None, width=0):
        self.draw.polygon(self.pts(pts), fill=fill, outline=outline, width=width * S)

    def line(self, pts, fill, width, caps=True):
        self.draw.line(self.pts(pts), fill=fill, width=round(width * S), joint="curve")
        if caps:
            for x, y in (pts[0], pts[-1]):
                self.circle(x, y, width / 2 - 0.5, fill)

    def arc(self, b, start, end, fill, width):
        self.draw.arc(self.box(b), start, end, fill=fill, width=width * S)


def _lens(p0, p1, w, n=14):
    """Leaf/petal outline from p0 to p1, w wide at the middle."""
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    ln = math.hypot(dx, dy) or 1
    nx, ny = -dy / ln, dx / ln
    side = [(i / n, w / 2 * math.sin(math.pi * i / n)) for i in range(n + 1)]
    left = [(x0 + dx * t + nx * o, y0 + dy * t + ny * o) for t, o in side]
    return left + [(x0 + dx * t - nx * o, y0 + dy * t - ny * o) for t, o in reversed(side)]


def _polar(cx, cy, r, deg):
    return cx + r * math.cos(math.radians(deg)), cy + r * math.sin(math.radians(deg))


def _chilli(p, x, y, length, angle, colour, bend=0.22):
    a, w = math.radians(angle), length * 0.12

    def at(t, off):
        sx, sy = t * length, bend * length * t * t + off
        return x + sx * math.cos(a) - sy * math.sin(a), y + sx * math.sin(a) + sy * math.cos(a)

    ts = [i / 16 for i in range(17)]
    p.poly([at(t, -w * (1 - t**1.7)) for t in ts] + [at(t, w * (1 - t**1.7)) for t in ts[::-1]],
           colour)
    p.line([at(t, -w * 0.45 * (1 - t)) for t in (0.12, 0.3, 0.5)], _shade(colour, 0.35), w * 0.3)
    p.circle(*at(0, 0), w * 0.85, (46, 110, 45))
    p.line([at(0, 0), at(-0.16, -w * 0.4)], (46, 110, 45), w * 0.45)


def _chip(p, x, y, r, rng, colour=(236, 178, 62)):
    pts = [_polar(x, y, r * rng.uniform(0.78, 1.08), a) for a in range(0, 360, 40)]
    p.poly(pts, colour, outline=_shade(colour, -0.15), width=2)
    for _ in range(2):
        p.circle(x + rng.uniform(-r, r) * 0.4, y + rng.uniform(-r, r) * 0.4, r * 0.09,
                 _shade(colour, -0.25))


def _label(p, b, colour, ink):
    p.rect(b, colour, r=12)
    x0, y0, x1, y1 = b
    cx, h = (x0 + x1) / 2, y1 - y0
    p.line([(cx - (x1 - x0) * 0.3, y0 + h * 0.62), (cx + (x1 - x0) * 0.3, y0 + h * 0.62)], ink, 7)
    p.line([(cx - (x1 - x0) * 0.18, y0 + h * 0.8), (cx + (x1 - x0) * 0.18, y0 + h * 0.8)],
           _shade(ink, 0.45), 5)


def _sambal(p, rng):
    _chilli(p, 150, 190, 150, -12, RED)
    _chilli(p, 175, 160, 120, -40, (230, 70, 30), bend=-0.2)
    glass = (252, 238, 232)
    p.rect((-130, -120, 130, 215), glass, r=48)
    p.rect((-112, -70, 112, 198), (196, 38, 24), r=36)
    for _ in range(26):
        p.circle(rng.uniform(-95, 95), rng.uniform(-55, 185), rng.uniform(3, 6), (245, 170, 60))
    p.rect((-98, -55, -78, 170), (222, 84, 64), r=10)
    p.rect((-105, -150, 105, -112), glass, r=10)
    lid = rng.choice([(170, 30, 22), (212, 160, 40), (40, 40, 40)])
    p.rect((-122, -205, 122, -140), lid, r=16)
    for y in (-188, -172, -156):
        p.line([(-108, y), (108, y)], _shade(lid, 0.25), 4, caps=False)
    _label(p, (-88, 20, 88, 130), (255, 248, 230), (150, 30, 20))
    _chilli(p, -30, 48, 62, 8, RED)


def _keripik(p, rng):
    bag = rng.choice([(214, 60, 44), (46, 132, 98), (224, 112, 30)])
    n = 20
    left = [(-150 - 16 * math.sin(math.pi * i / n), -180 + 360 * i / n) for i in range(n + 1)]
    right = [(-x, y) for x, y in left[::-1]]
    p.poly(left + right, bag)
    for y0, sgn in ((-180, -1), (180, 1)):
        zig = [(-150 + 15 * i, y0 + sgn * (40 if i % 2 else 33)) for i in range(21)]
        p.poly([(-150, y0), (150, y0)] + zig[::-1], _shade(bag, -0.2))
    p.rect((-120, -140, 120, -80), (255, 250, 236), r=14)
    p.line([(-80, -110), (80, -110)], bag, 9)
    p.ellipse((-100, -50, 100, 130), (255, 246, 224))
    for x, y, r in ((-40, 20, 34), (30, 0, 30), (5, 75, 36), (52, 62, 26), (-55, 78, 24)):
        _chip(p, x, y, r, rng)
    p.line([(-138, -150), (-142, 160)], _shade(bag, 0.2), 8)
    for x, y, r in ((-190, 200, 30), (185, 196, 34), (225, 208, 22)):
        _chip(p, x, y, r, rng)


def _clove(p, x, y, angle):
    tip = _polar(x, y, 60, angle)
    p.line([(x, y), tip], (96, 50, 28), 9)
    for a in (0, 90, 180, 270):
        p.circle(*_polar(*tip, 9, angle + 45 + a), 8, (120, 64, 34))
    p.circle(*tip, 8, (150, 86, 46))


def _rempah(p, rng):
    amber = (158, 64, 24)
    p.rect((-200, -70, -50, 210), amber, r=34)
    p.poly([(-200, -30), (-50, -30), (-100, -130), (-150, -130)], amber)
    p.rect((-148, -175, -102, -120), amber, r=6)
    p.rect((-155, -215, -95, -170), (196, 38, 24), r=10)
    p.rect((-186, -40, -168, 180), _shade(amber, 0.3), r=9)
    _label(p, (-185, 30, -65, 140), (255, 244, 220), (110, 50, 20))
    p.circle(90, 120, 78, (122, 72, 40))
    for a in range(-60, 80, 28):
        p.line([_polar(90, 120, 74, 180 + a), _polar(90 + a / 3, 95, 30, 270 + a),
                _polar(90, 120, 74, -a)], (200, 40, 30), 7)
    p.circle(195, 170, 50, (122, 72, 40))
    p.circle(195, 170, 40, (236, 208, 160))
    for a in range(0, 360, 45):
        p.line([(195, 170), _polar(195, 170, 34, a + rng.uniform(-8, 8))], (160, 98, 52), 4)
    for x, y, a in ((-30, 200, -20), (10, 175, 200), (-120, 215, -10), (230, 225, 190)):
        _clove(p, x, y, a + rng.uniform(-15, 15))


def _minyak(p, rng):
    p.circle(145, 140, 88, (110, 66, 36))
    p.circle(130, 150, 70, (132, 82, 46))
    p.ellipse((40, 170, 240, 225), (110, 66, 36))
    p.ellipse((55, 168, 225, 214), (250, 248, 240))
    glass, oil = (250, 250, 236), (246, 226, 140)
    p.rect((-100, -60, 100, 215), glass, r=36)
    p.poly([(-100, -30), (100, -30), (42, -120), (-42, -120)], glass)
    p.rect((-40, -160, 40, -110), glass, r=8)
    p.rect((-86, 0, 86, 200), oil, r=28)
    p.rect((-46, -205, 46, -150), (46, 120, 60), r=12)
    p.rect((-80, -40, -62, 180), WHITE, r=9)
    _label(p, (-70, 40, 70, 150), WHITE, (46, 120, 60))
    p.poly(_lens((-6, 90), (-40, 60), 22), (46, 140, 60))
    p.poly(_lens((6, 90), (40, 60), 22), (70, 160, 70))


def _sayur(p, rng):
    base = (0, 140)
    greens = [(46, 125, 50), (78, 160, 64), (60, 145, 56), (104, 180, 80)]
    angles = sorted(rng.uniform(-160, -20) for _ in range(5)) + [-120, -90, -60, -135, -45]
    for i, a in enumerate(angles):
        tip = _polar(0, 130, rng.uniform(250, 330), a)
        start = _polar(0, 130, 90, a)
        p.line([base, start], (170, 210, 140), 9)
        colour = greens[i % 4] if i < 5 else greens[(i + 1) % 4]
        p.poly(_lens(start, tip, rng.uniform(95, 130)), colour)
        p.line([start, _mix(start, tip, 0.85)], _shade(colour, 0.3), 4)
    for dx in (-22, -8, 8, 22):
        p.line([(dx * 0.4, 150), (dx, 215)], (180, 216, 150), 10)
    p.rect((-34, 128, 34, 158), (200, 60, 50), r=8)


def _hasil_tani(p, rng, title=""):
    if any(k in title for k in ("cabai", "cabe", "rica", "rawit")):
        p.ellipse((-230, 120, 230, 215), (250, 246, 236))
        for i in range(9):
            col = RED if i % 3 else (60, 150, 60)
            _chilli(p, rng.uniform(-170, 40), rng.uniform(60, 170), 170, rng.uniform(-40, 40), col)
        return
    if any(k in title for k in ("singkong", "ubi", "kasbi")):
        for x, y, a in ((-200, 120, -15), (-190, 175, 5), (-150, 60, -30)):
            tip = _polar(x, y, 380, a)
            p.poly(_lens((x, y), tip, 95)[:-8], (150, 92, 52))
            p.ellipse((x - 22, y - 40, x + 22, y + 40), (248, 240, 220))
        return
    sack = (222, 196, 150)
    p.poly([(-150, -90), (150, -90), (175, 150), (150, 210), (-150, 210), (-175, 150)], sack)
    p.poly([(-110, -170), (110, -170), (60, -95), (-60, -95)], _shade(sack, 0.15))
    p.rect((-70, -110, 70, -85), (150, 100, 40), r=10)
    for y in range(-50, 200, 26):
        p.line([(-150, y), (150, y)], _shade(sack, -0.08), 3, caps=False)
    p.rect((-90, 10, 90, 110), (72, 120, 46), r=10)
    p.line([(-50, 60), (50, 60)], (244, 236, 200), 10)
    for _ in range(40):
        p.circle(rng.uniform(140, 250), rng.uniform(175, 220), 6, (250, 248, 240))
    _chilli(p, -260, 175, 120, -10, RED)


def _ternak(p, rng, title=""):
    if any(k in title for k in ("kepiting", "rajungan", "crab")):
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
            p.circle(side * 50, -95, 8, (30, 30, 30))
        p.ellipse((-150, -40, 150, 140), shell)
        p.ellipse((-90, -25, 90, 40), _shade(shell, 0.25))
        return
    hen = rng.choice([(196, 112, 58), (248, 244, 234), (170, 80, 40)])
    for tip in ((-200, -160), (-240, -95), (-230, -25)):
        p.poly(_lens((-80, 20), tip, 72), (64, 52, 46))
    for x in (-10, 50):
        p.line([(x, 140), (x, 205)], (236, 150, 40), 10)
        p.line([(x - 26, 212), (x, 205), (x + 28, 212)], (236, 150, 40), 8)
    p.ellipse((-160, -50, 140, 160), hen)
    p.poly([(40, -100), (150, -110), (150, 40), (10, 20)], hen)
    p.circle(105, -115, 58, hen)
    p.ellipse((-90, 0, 70, 110), _shade(hen, -0.14))
    for y in (40, 70):
        p.arc((-60, y - 60, 40, y + 20), 30, 150, _shade(hen, -0.28), 5)
    for x, y, r in ((78, -170, 20), (104, -181, 23), (130, -168, 18)):
        p.circle(x, y, r, RED)
    p.poly([(155, -130), (198, -112), (155, -96)], (240, 170, 40))
    p.ellipse((138, -102, 166, -50), RED)
    p.circle(122, -128, 10, (30, 30, 30))
    p.circle(125, -131, 3, WHITE)


def _kerajinan_kayu(p, rng, title=""):
    wood = rng.choice([(176, 112, 62), (150, 92, 50), (190, 130, 76)])
    if any(k in title for k in ("perahu", "kapal", "kora", "boat", "miniatur")):
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
        y = 25 + i * 38
        p.line([(x, y + 5 * math.sin(x / 30 + i)) for x in range(-140, 141, 20)],
               _shade(wood, -0.12), 3, caps=False)
    p.ellipse((-85, -80, 85, -52), _shade(wood, -0.5))
    p.poly([(-70, -66), (70, -66), (50, -140), (15, -185), (-15, -150), (-55, -170)], WHITE)
    p.line([(15, -180), (5, -72)], (226, 226, 226), 4)


def _mebel(p, rng, title=""):
    wood = rng.choice([(150, 94, 52), (120, 74, 44), (176, 120, 70)])
    dark, light = _shade(wood, -0.25), _shade(wood, 0.2)
    if any(k in title for k in ("gazebo", "pondok", "saung", "bale")):
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
    p.rect((10, -20, 250, 12), light, r=8)
    p.rect((30, 12, 230, 40), wood)
    for x in (38, 204):
        p.rect((x, 40, x + 18, 205), dark)
    p.ellipse((160, -70, 200, -20), (240, 240, 236))
    for x in (-225, -80):
        p.rect((x, -170, x + 18, 195), dark)
    p.rect((-232, -185, -55, -145), wood, r=12)
    for x in (-185, -150, -115):
        p.rect((x, -145, x + 16, 40), wood)
    for x in (-248, -72):
        p.rect((x, 58, x + 20, 210), wood)
    p.rect((-252, 35, -48, 65), light, r=8)


def _rajutan(p, rng):
    yarn = rng.choice([(44, 150, 150), (214, 160, 40), (200, 90, 120), (110, 100, 180)])
    p.arc((-110, -210, 110, 10), 180, 360, _shade(yarn, -0.25), 24)
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


def _anyaman(p, rng):
    straw = rng.choice([(214, 178, 110), (196, 150, 84), (222, 196, 130)])
    p.arc((-150, -230, 150, 60), 180, 360, _shade(straw, -0.25), 20)
    p.poly([(-185, -30), (185, -30), (140, 190), (-140, 190)], _shade(straw, -0.3))
    rows, cols = 7, 10
    for r in range(rows):
        y0, y1 = -30 + 220 * r / rows, -30 + 220 * (r + 1) / rows
        w0, w1 = 185 - 45 * r / rows, 185 - 45 * (r + 1) / rows
        for c in range(cols):
            f0, f1 = c / cols, (c + 1) / cols
            quad = [(-w0 + 2 * w0 * f0 + 2, y0 + 2), (-w0 + 2 * w0 * f1 - 2, y0 + 2),
                    (-w1 + 2 * w1 * f1 - 2, y1 - 2), (-w1 + 2 * w1 * f0 + 2, y1 - 2)]
            p.poly(quad, straw if (r + c) % 2 else _shade(straw, -0.12))
    p.rect((-200, -55, 200, -18), _shade(straw, -0.18), r=18)
    for x in range(-185, 190, 22):
        p.line([(x, -50), (x + 12, -23)], _shade(straw, -0.32), 4, caps=False)
    p.rect((-145, 186, 145, 202), _shade(straw, -0.35), r=6)


def _kerajinan_sisik(p, rng):
    p.line([(0, 130), (0, -60)], (70, 140, 80), 10)
    p.poly(_lens((0, 70), (-95, 20), 48), (80, 160, 90))
    p.poly(_lens((0, 50), (90, 0), 48), (60, 140, 80))
    p.poly([(-62, 120), (62, 120), (48, 212), (-48, 212)], (40, 120, 130))
    p.rect((-70, 108, 70, 128), (30, 96, 106), r=8)
    pearl = [(255, 247, 251), (238, 232, 250), (250, 236, 244)]
    spin = rng.uniform(0, 45)
    for i, a in enumerate(range(0, 360, 45)):
        pts = _lens((0, -95), _polar(0, -95, 150, a + spin), 90)
        p.poly(pts, pearl[i % 3], outline=(196, 176, 214), width=3)
        p.poly(_lens(_polar(0, -95, 50, a + spin), _polar(0, -95, 130, a + spin), 30), WHITE)
    for a in range(0, 360, 45):
        p.poly(_lens((0, -95), _polar(0, -95, 95, a + spin + 22.5), 56), (248, 196, 216),
               outline=(226, 160, 190), width=3)
    p.circle(0, -95, 30, (240, 190, 80))
    for a in range(0, 360, 60):
        p.circle(*_polar(0, -95, 16, a), 4, (200, 140, 50))


def _bahan_bangunan(p, rng):
    w, h, g, dx, dy = 124, 58, 6, 26, -18
    for r in range(4):
        n = 4 - r
        x0 = -(n * w + (n - 1) * g) / 2 - dx / 2
        y = 155 - r * (h + g)
        for i in range(n):
            x = x0 + i * (w + g)
            brick = _shade((184, 82, 52), rng.uniform(-0.08, 0.08))
            p.poly([(x, y), (x + w, y), (x + w + dx, y + dy), (x + dx, y + dy)],
                   _shade(brick, 0.18))
            p.poly([(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)],
                   _shade(brick, -0.22))
            p.rect((x, y, x + w, y + h), brick, r=3)
            for _ in range(3):
                p.circle(x + rng.uniform(12, w - 12), y + rng.uniform(10, h - 10), 3,
                         _shade(brick, -0.15))


def _generic(p, rng):
    bag = rng.choice([(92, 84, 170), (50, 130, 150), (200, 110, 60)])
    p.arc((-90, -200, 90, -20), 180, 360, _shade(bag, -0.3), 16)
    p.poly([(-150, -100), (150, -100), (170, 205), (-170, 205)], bag)
    p.poly([(-150, -100), (150, -100), (152, -70), (-152, -70)], _shade(bag, 0.18))
    p.circle(0, 65, 70, (255, 250, 240))
    star = [_polar(0, 68, 48 if i % 2 == 0 else 20, -90 + 36 * i) for i in range(10)]
    p.poly(star, (240, 180, 50))


DRAWERS = {
    "sambal": _sambal, "keripik": _keripik, "rempah": _rempah, "minyak": _minyak,
    "sayur": _sayur, "hasil-tani": _hasil_tani, "ternak": _ternak,
    "kerajinan-kayu": _kerajinan_kayu, "mebel": _mebel, "rajutan": _rajutan,
    "anyaman": _anyaman, "kerajinan-sisik": _kerajinan_sisik,
    "bahan-bangunan": _bahan_bangunan,
}
TITLE_AWARE = {_hasil_tani, _ternak, _kerajinan_kayu, _mebel}


@lru_cache(maxsize=16)
def _font(size: int, bold: bool):
    """(font, fake_bold): DejaVu if installed, else Pillow's bundled font (no bold face)."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size), False
    return ImageFont.load_default(size=size), bold


def _wrap(text: str, font, max_w: float, max_lines: int) -> list[str]:
    """Greedy word wrap; over-long words are split; overflow ends with an ellipsis."""
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if font.getlength(trial) <= max_w:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        cur = word
        while font.getlength(cur) > max_w and len(cur) > 1:
            cut = max(1, max(n for n in range(1, len(cur)) if font.getlength(cur[:n]) <= max_w)
                      if font.getlength(cur[0]) <= max_w else 1)
            lines.append(cur[:cut])
            cur = cur[cut:]
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > max_w:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip(" ,.;:-&") + "…"]
    return lines


def _text(draw, xy, text, size, bold, fill):
    font, fake_bold = _font(size, bold)
    draw.text(xy, text, font=font, fill=fill, stroke_width=1 if fake_bold else 0,
              stroke_fill=fill)


def _background(top, bottom, band, rng) -> Image.Image:
    size = (WIDTH * S, HEIGHT * S)
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)
    d = ImageDraw.Draw(img, "RGBA")
    cx, r = (600 + rng.randint(-30, 30)) * S, 300 * S
    d.ellipse((cx - r, 330 * S - r, cx + r, 330 * S + r), fill=(255, 255, 255, 70))
    d.ellipse((cx - r - 40 * S, 330 * S - r - 40 * S, cx + r + 40 * S, 330 * S + r + 40 * S),
              outline=(255, 255, 255, 90), width=3 * S)
    for _ in range(7):
        x = rng.choice([rng.uniform(50, 230), rng.uniform(970, 1150)]) * S
        y, dr = rng.uniform(90, 600) * S, rng.uniform(5, 16) * S
        d.ellipse((x - dr, y - dr, x + dr, y + dr), fill=(*_rgb(band), rng.randint(25, 60)))
    return img


def render_card(category: str, title: str, subtitle: str = "", seed: int = 0) -> bytes:
    """PNG bytes, 1200x900 (4:3), an illustration card for a product of this category."""
    rng = random.Random(f"{category}:{seed}")
    top, bottom, band = PALETTES.get(category, GENERIC)
    dh = rng.uniform(-0.025, 0.025)
    img = _background(_hue(top, dh), _hue(bottom, dh), band, rng)

    # The object is drawn on its own layer so its footprint can place the shadow.
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    drawer = DRAWERS.get(category, _generic)
    pen = _Pen(layer, (600 + rng.randint(-35, 35), 345 + rng.randint(-8, 8)))
    if drawer in TITLE_AWARE:
        drawer(pen, rng, title=title.lower())
    else:
        drawer(pen, rng)
    if rng.random() < 0.5:
        layer = layer.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    bbox = layer.getbbox()
    if bbox:
        q = 4 * S  # shadow is drawn at quarter size, blurred, then scaled up
        x0, _, x1, y1 = (v / q for v in bbox)
        shadow = Image.new("L", (WIDTH // 4, HEIGHT // 4), 0)
        inset = (x1 - x0) * 0.06
        ImageDraw.Draw(shadow).ellipse((x0 + inset, y1 - 6, x1 - inset, y1 + 4), fill=120)
        shadow = shadow.filter(ImageFilter.GaussianBlur(4)).resize(img.size)
        img.paste(_shade(band, -0.2), (0, 0), shadow)
    img.paste(layer, (0, 0), layer)
    ImageDraw.Draw(img).rectangle((0, BAND_TOP * S, WIDTH * S, HEIGHT * S), fill=band)

    tag_font, _ = _font(19, True)
    tag_w = tag_font.getlength(TAG_TEXT)
    ImageDraw.Draw(img, "RGBA").rounded_rectangle(
        (WIDTH * S - (tag_w + 64) * S, 24 * S, WIDTH * S - 24 * S, 62 * S), 19 * S,
        fill=(255, 255, 255, 190))
    img = img.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)

    draw = ImageDraw.Draw(img)
    _text(draw, (WIDTH - tag_w - 44, 32), TAG_TEXT, 19, True, band)
    title_font, _ = _font(50, True)
    lines = _wrap(title, title_font, WIDTH - 2 * PAD, 2)
    sub_font, _ = _font(28, False)
    sub = _wrap(subtitle, sub_font, WIDTH - 2 * PAD, 1)
    block = len(lines) * 62 + (46 if sub else 0)
    y = BAND_TOP + (HEIGHT - BAND_TOP - block) / 2 + 4
    draw.rounded_rectangle((PAD, y - 26, PAD + 70, y - 18), 4, fill=_hue(bottom, dh))
    for line in lines:
        _text(draw, (PAD, y), line, 50, True, WHITE)
        y += 62
    if sub:
        _text(draw, (PAD, y + 6), sub[0], 28, False, _mix(band, WHITE, 0.78))

    out = io.BytesIO()
    img.save(out, "PNG", compress_level=3)
    return out.getvalue()
