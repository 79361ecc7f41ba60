"""Draw the app icon (two speech bubbles on a rounded tile) at the usual sizes.

Run by packaging/build.sh; the PNGs are build output, the design lives here and in
packaging/linux/fi.counsel.Counsel.svg.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
TEAL, WHITE, SAND = (0, 105, 120, 255), (255, 255, 255, 255), (246, 196, 83, 255)


def draw(size: int) -> Image.Image:
    s = 4 * size  # supersample, then shrink for smooth edges
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=s // 5, fill=TEAL)
    d.rounded_rectangle((s * 0.14, s * 0.18, s * 0.66, s * 0.52), radius=s // 12, fill=WHITE)
    d.polygon([(s * 0.24, s * 0.50), (s * 0.24, s * 0.64), (s * 0.38, s * 0.50)], fill=WHITE)
    d.rounded_rectangle((s * 0.36, s * 0.44, s * 0.86, s * 0.78), radius=s // 12, fill=SAND)
    d.polygon([(s * 0.74, s * 0.76), (s * 0.76, s * 0.90), (s * 0.62, s * 0.76)], fill=SAND)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main(out: Path) -> None:
    for size in SIZES:
        folder = out / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        draw(size).save(folder / "fi.counsel.Counsel.png")
    draw(256).save(out / "counsel.png")
    draw(256).save(out / "counsel.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
