# ruff: noqa: F401, F403, F405 - the primitives come through a star import
"""Demo artwork: one drawing per product category (see artwork.py)."""

import io
import math
import random
import unicodedata
from colorsys import hls_to_rgb, rgb_to_hls
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

from shop.demo.artwork_pen import *
from shop.demo.artwork_pen import __all__ as _PEN

__all__ = _PEN + [
    "_sambal",
    "_keripik",
    "_rempah",
    "_minyak",
    "_sayur",
    "_hasil_tani",
    "_ternak",
    "_kerajinan_kayu",
    "_mebel",
    "_rajutan",
    "_anyaman",
    "_kerajinan_sisik",
    "_bahan_bangunan",
    "_generic",
    "DRAWERS",
]


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
