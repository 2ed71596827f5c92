"""Scan and phone-photo degradations, each recorded by name in the truth ("skew:1.8", "rotate:180",
"noise", "blur", "jpeg:55", "phone_light", "low_contrast", "gray").

`plan` draws the degradations of one file from `rng` for a difficulty; `apply` performs them on one page.
Rotation is per page and recorded on the page (`rotation`: degrees the content was turned clockwise).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

DIFFICULTIES = ("clean", "normal", "hard")


@dataclass(frozen=True)
class Plan:
    skew: float = 0.0
    noise: float = 0.0
    blur: int = 0
    jpeg: int = 0
    phone: bool = False
    low_contrast: bool = False
    gray: bool = False
    rotations: tuple[int, ...] = ()  # rotation choices a page may get (drawn per page)
    rotate_share: float = 0.0
    seed: int = 0

    def names(self) -> list[str]:
        out = []
        if self.skew:
            out.append(f"skew:{self.skew:.1f}")
        if self.noise:
            out.append("noise")
        if self.blur:
            out.append("blur")
        if self.jpeg:
            out.append(f"jpeg:{self.jpeg}")
        if self.phone:
            out.append("phone_light")
        if self.low_contrast:
            out.append("low_contrast")
        if self.gray:
            out.append("gray")
        return out


def plan(rng: random.Random, difficulty: str) -> Plan:
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty {difficulty!r} unknown; use one of {', '.join(DIFFICULTIES)}")
    seed = rng.getrandbits(32)
    if difficulty == "clean":
        return Plan(seed=seed)
    hard = difficulty == "hard"
    phone = rng.random() < (0.35 if hard else 0.1)
    return Plan(
        skew=round(rng.uniform(-4, 4) if hard else rng.uniform(-1.5, 1.5), 1) if rng.random() < 0.8 else 0.0,
        noise=rng.uniform(8, 18) if rng.random() < (0.7 if hard else 0.35) else 0.0,
        blur=rng.choice((3, 5)) if rng.random() < (0.5 if hard else 0.2) else 0,
        jpeg=rng.randint(35, 65) if hard and rng.random() < 0.6 else rng.randint(70, 92) if rng.random() < 0.3 else 0,
        phone=phone,
        low_contrast=rng.random() < (0.3 if hard else 0.08),
        gray=not phone and rng.random() < 0.3,
        rotations=(90, 180, 270) if hard else (180,),
        rotate_share=0.25 if hard else 0.08,
        seed=seed,
    )


def page_rotation(rng: random.Random, p: Plan) -> int:
    return rng.choice(p.rotations) if p.rotations and rng.random() < p.rotate_share else 0


def _skew(img: np.ndarray, angle: float) -> np.ndarray:
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = tuple(int(v) for v in np.median(img[:20, :20].reshape(-1, 3), axis=0))
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def _phone(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """Photo of the page on a table: perspective, background, uneven light and vignetting.

    Worked at 2/3 of the scan resolution, as a phone photo of a page has fewer pixels than a 300 dpi scan.
    """
    img = cv2.resize(img, (img.shape[1] * 2 // 3, img.shape[0] * 2 // 3), interpolation=cv2.INTER_AREA)
    h, w = img.shape[:2]
    pad_x, pad_y = int(w * 0.08), int(h * 0.06)
    table = (rng.randint(60, 140), rng.randint(50, 120), rng.randint(40, 100))
    canvas = np.empty((h + 2 * pad_y, w + 2 * pad_x, 3), dtype=np.uint8)
    canvas[:] = table
    jitter = [(rng.uniform(-0.04, 0.04) * w, rng.uniform(-0.03, 0.03) * h) for _ in range(4)]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    dst = np.array(
        [[pad_x + jx + cx, pad_y + jy + cy] for (cx, cy), (jx, jy) in zip(corners, jitter, strict=True)],
        dtype=np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    size = (canvas.shape[1], canvas.shape[0])
    warped = cv2.warpPerspective(img, matrix, size, borderMode=cv2.BORDER_TRANSPARENT, dst=canvas)
    # the light falls off from a random point: computed coarse, then scaled up (it is smooth anyway)
    ch, cw = warped.shape[:2]
    yy, xx = np.mgrid[0:64, 0:64].astype(np.float32) / 63.0
    lx, ly = rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.6)
    light = 1.08 - 0.55 * np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) ** 1.4
    light = cv2.resize(light, (cw, ch), interpolation=cv2.INTER_LINEAR)
    tint = np.array([1.0, 0.98, 0.93], dtype=np.float32)
    out = warped.astype(np.float32) * light[..., None] * tint
    return np.clip(out, 0, 255).astype(np.uint8)


def apply(image: Image.Image, p: Plan, rotation: int, page_index: int) -> Image.Image:
    """One page with the plan's degradations (and the page's rotation) applied."""
    rng = random.Random(p.seed + page_index)
    nprng = np.random.default_rng(p.seed + page_index)
    img = np.asarray(image.convert("RGB")).copy()
    if p.phone:
        img = _phone(img, rng)
    if p.skew:
        img = _skew(img, p.skew + rng.uniform(-0.3, 0.3) * bool(page_index))
    if p.low_contrast:
        img = cv2.convertScaleAbs(img, alpha=0.55, beta=70)
    if p.blur:
        img = cv2.GaussianBlur(img, (p.blur, p.blur), 0)
    if p.noise:
        # sensor noise drawn at half resolution and scaled up: 4x fewer random numbers, same look at 300 dpi
        h, w = img.shape[:2]
        coarse = nprng.standard_normal((h // 2 + 1, w // 2 + 1), dtype=np.float32) * p.noise
        noise = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.int16)
        img = np.clip(img.astype(np.int16) + noise[..., None], 0, 255).astype(np.uint8)
    if rotation:
        code = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}[rotation]
        img = cv2.rotate(img, code)
    if p.jpeg:
        ok, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, p.jpeg])
        decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
        if decoded is not None:
            img = np.asarray(decoded)[..., ::-1]
    out = Image.fromarray(np.ascontiguousarray(img))
    return out.convert("L") if p.gray else out
