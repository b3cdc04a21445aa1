"""The moderation blur: a Gaussian blur of the whole picture or of a box given as
fractions of the displayed width and height, so that it means the same area on the
public image and on the thumbnail."""
import math

from PIL import Image, ImageFilter


def _box_check(*, box) -> tuple[float, float, float, float]:
    try:
        left, top, right, bottom = (float(v) for v in box)
    except (TypeError, ValueError) as exc:
        raise ValueError("box must be (left, top, right, bottom) fractions") from exc
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise ValueError("box must satisfy 0 <= left < right <= 1 and 0 <= top < bottom <= 1")
    return left, top, right, bottom


def _blurred(*, img: Image.Image, box: tuple[float, float, float, float] | None) -> Image.Image:
    """Gaussian blur with a radius of 1/40 of the longest edge: faces and plates become unreadable."""
    radius = max(4, round(max(img.size) / 40))
    if box is None:
        return img.filter(ImageFilter.GaussianBlur(radius))
    w, h = img.size
    left, top = math.floor(box[0] * w), math.floor(box[1] * h)
    # At least one pixel wide and high, never past the edge.
    pixel_box = (left, top, min(w, max(left + 1, math.ceil(box[2] * w))), min(h, max(top + 1, math.ceil(box[3] * h))))
    result = img.copy()
    result.paste(img.crop(pixel_box).filter(ImageFilter.GaussianBlur(radius)), pixel_box[:2])
    return result
