# ruff: noqa: F405 - the drawing parts come from artwork_drawers (a star import)
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
import random
import unicodedata
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFilter, ImageFont

from shop.demo.artwork_drawers import *  # noqa: F403 - palettes, pen, drawers


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
