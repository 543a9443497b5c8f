"""The printed notice of a disclosure for the physical notice board: its QR code and fingerprint."""

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

FINGERPRINT_SHOWN = 16  # hex characters printed large; the full hash is printed small


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline SVG element (one path, no Pillow needed).

    Deterministic: the same address gives the same SVG, so a reprinted notice carries
    the same code. Error correction level M survives a crease or a pin hole; the
    four-module quiet zone is part of the image, as scanners need.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=SvgPathImage,
    )
    code.add_data(url)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")


def fingerprint_groups(entry_hash: str, length: int = FINGERPRINT_SHOWN) -> str:
    """`3f9a0c…` → `3f9a 0c71 …`: the first characters in fours, easy to read out and compare."""
    head = entry_hash[:length]
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))
