"""Residents' photos: checked to be a real JPEG, PNG or WebP image of a sane size, turned
upright, and re-encoded as a JPEG that carries no metadata (no GPS location)."""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ACCEPT = "image/jpeg,image/png,image/webp"
# A phone camera makes 12-50 megapixels; more than this is a decompression bomb.
MAX_PIXELS = 60_000_000
MIN_SIDE = 16
# Stored photos are scaled down to this longest side: plenty to read a notice or a crack.
STORED_SIDE = 2048
JPEG_QUALITY = 85


class CleanPhoto(ContentFile):
    """A photo that went through `photo_clean`: JPEG bytes, nothing else."""


def photo_clean(upload) -> CleanPhoto:
    """Check one upload and return it re-encoded; raises ValidationError saying what is
    wrong with it, by the name the resident chose it under."""
    name = getattr(upload, "name", "") or _("photo")
    if upload.size > settings.TOWNHALL_OPINION_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.TOWNHALL_OPINION_PHOTO_MAX_BYTES),
            }
        )
    not_an_image = ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name}
    )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise not_an_image
        width, height = image.size
        if width * height > MAX_PIXELS or min(width, height) < MIN_SIDE:
            raise ValidationError(
                _("“%(name)s” is %(width)s × %(height)s pixels: that is not a usable photo.")
                % {"name": name, "width": width, "height": height}
            )
        image.load()
        image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return CleanPhoto(_encode(image), name="photo.jpg")


def _encode(image: Image.Image) -> bytes:
    if image.mode in ("RGBA", "LA", "P"):
        # Transparent parts become white, as they look on the page.
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    # Whatever the upload carried (EXIF with GPS, XMP, ICC, comments) stays behind.
    image.info = {}
    out = BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
