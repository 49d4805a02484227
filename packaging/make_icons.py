"""Draw the app icon (a loyalty card with a QR corner and a star) in every size each OS wants.

Run once when the design changes: ``python packaging/make_icons.py``; the outputs are committed
so builds need nothing but PyInstaller.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
RESOURCES_ICONS = HERE.parent / "resources" / "icons"
TEAL = (0, 122, 112, 255)
DARK = (0, 77, 70, 255)
CREAM = (255, 248, 230, 255)
GOLD = (245, 176, 38, 255)


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 1024
    d.rounded_rectangle((40 * s, 40 * s, 984 * s, 984 * s), radius=200 * s, fill=TEAL)
    # the card
    d.rounded_rectangle((150 * s, 270 * s, 874 * s, 754 * s), radius=56 * s, fill=CREAM)
    d.rectangle((150 * s, 350 * s, 874 * s, 420 * s), fill=DARK)
    # a small QR: three finder squares and a few data modules
    cell = 30 * s
    x0, y0 = 560 * s, 460 * s

    def module(col: int, row: int) -> None:
        d.rectangle(
            (x0 + col * cell, y0 + row * cell, x0 + (col + 1) * cell, y0 + (row + 1) * cell),
            fill=DARK,
        )

    for fx, fy in ((0, 0), (6, 0), (0, 6)):
        d.rectangle(
            (x0 + fx * cell, y0 + fy * cell, x0 + (fx + 3) * cell, y0 + (fy + 3) * cell),
            fill=DARK,
        )
        d.rectangle(
            (
                x0 + (fx + 0.5) * cell,
                y0 + (fy + 0.5) * cell,
                x0 + (fx + 2.5) * cell,
                y0 + (fy + 2.5) * cell,
            ),
            fill=CREAM,
        )
        module(fx + 1, fy + 1)
    for col, row in (
        (4, 0),
        (4, 2),
        (3, 4),
        (5, 4),
        (7, 4),
        (4, 6),
        (6, 6),
        (8, 6),
        (5, 7),
        (7, 8),
        (4, 8),
        (8, 8),
        (6, 5),
        (0, 4),
        (2, 4),
    ):
        module(col, row)
    # a star for points
    import math

    cx, cy, r_out, r_in = 330 * s, 590 * s, 120 * s, 50 * s
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        r = r_out if i % 2 == 0 else r_in
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    d.polygon(points, fill=GOLD)
    return img


def main() -> None:
    RESOURCES_ICONS.mkdir(parents=True, exist_ok=True)
    (HERE / "icons").mkdir(exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(RESOURCES_ICONS / "app.png")
    big.resize((512, 512), Image.LANCZOS).save(HERE / "icons" / "loyalty-terminal.png")
    big.save(
        HERE / "icons" / "loyalty-terminal.ico",
        sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    big.save(HERE / "icons" / "loyalty-terminal.icns")


if __name__ == "__main__":
    main()
