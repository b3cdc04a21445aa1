"""Report photos: check an upload in the request, make public derivatives in the background.

`photo_validate` runs in the request and is cheap: size cap, format sniffing (never the
client's file name or Content-Type), pixel cap read from the header before any decoding,
an integrity check, and the EXIF GPS position. Its errors carry the HTTP status code the
API answers with. `photo_process` runs in Celery: it turns the private original (with all
its metadata) into two metadata-free, orientation-applied sRGB JPEGs: the public image and
the thumbnail. `photo_blur` replaces those derivatives by blurred ones for moderation.

Coordinates are WGS 84 (EPSG:4326), `Point(lon, lat)`. The EXIF GPS map datum is ignored:
practically every camera and phone writes WGS 84.

Modules, one concept each:
- `errors`: the upload errors (with their HTTP status) and `PhotoProcessingError`;
- `opening`: allowed formats, size and pixel caps, opening untrusted images header-only;
- `exif`: reading EXIF orientation and GPS position without decoding pixels;
- `validation`: `photo_validate` and what it learns (`PhotoInfo`);
- `rendering`: metadata-free sRGB JPEG derivatives and the check that they carry no metadata;
- `blurring`: the moderation blur of the whole picture or a box;
- `processing`: `photo_process` and `photo_blur`, reading the original and storing derivatives.
"""
from .errors import (
    PhotoCorrupt,
    PhotoError,
    PhotoNotAnImage,
    PhotoProcessingError,
    PhotoTooLarge,
    PhotoTooManyPixels,
)
from .processing import photo_blur, photo_process
from .rendering import _jpeg_metadata_check  # noqa: F401 - used by the metadata tests
from .validation import PhotoInfo, photo_validate

__all__ = [
    "PhotoInfo", "PhotoError", "PhotoTooLarge", "PhotoNotAnImage", "PhotoCorrupt", "PhotoTooManyPixels",
    "PhotoProcessingError", "photo_validate", "photo_process", "photo_blur",
]
