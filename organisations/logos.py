"""Organisation logos: checked by their content on upload, stored only as a small re-encoded
copy, and checked again before a report uses one.

A PNG of a few hundred kilobytes can declare 30,000 × 30,000 pixels; decoding it takes
gigabytes. The upload is refused from its header (before any pixel is decoded) when it is
larger than :func:`limits` allow, far below Pillow's own bomb limit (89 million pixels).
What is stored is a copy of at most ``IMPACTLAB_LOGO_STORED_SIDE`` pixels a side without
metadata, so a report never decodes more than that. SVG is refused: an SVG logo is a
program for WeasyPrint's SVG renderer (external references, entities, scripts, unbounded
shapes); sanitising it safely is a project of its own, and every organisation has its logo
as PNG or JPEG too.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

FORMATS = ("PNG", "JPEG", "WEBP")


@dataclass(frozen=True)
class LogoLimits:
    max_bytes: int
    max_pixels: int
    max_side: int
    stored_side: int


def limits() -> LogoLimits:
    """The upload limits from the settings (IMPACTLAB_LOGO_*)."""
    return LogoLimits(
        max_bytes=getattr(settings, "IMPACTLAB_LOGO_MAX_BYTES", 2 * 1024 * 1024),
        max_pixels=getattr(settings, "IMPACTLAB_LOGO_MAX_PIXELS", 12_000_000),
        max_side=getattr(settings, "IMPACTLAB_LOGO_MAX_SIDE", 6000),
        stored_side=getattr(settings, "IMPACTLAB_LOGO_STORED_SIDE", 800),
    )


def _open(source):
    """The image's header, read by Pillow, limited to the accepted formats; no pixels yet.

    Pillow warns above 89 million pixels (and refuses above twice that); the callers check
    far smaller limits themselves, so its warning would only repeat theirs."""
    from PIL import Image

    warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
    return Image.open(source, formats=FORMATS)


def reencoded_logo(upload: UploadedFile) -> SimpleUploadedFile:
    """A re-encoded copy of the upload, at most ``stored_side`` pixels a side, without its
    metadata: JPEG stays JPEG, PNG and WebP become PNG. Raises ValidationError (in the
    reader's language) for anything else, or anything too large."""
    from PIL import Image, UnidentifiedImageError

    bounds = limits()
    if upload.size is not None and upload.size > bounds.max_bytes:
        raise ValidationError(
            _("The logo is %(size)s; it may be at most %(limit)s."),
            code="logo_bytes",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(bounds.max_bytes)},
        )
    upload.seek(0)
    try:
        image = _open(upload)
    except Image.DecompressionBombError as error:  # beyond even Pillow's limit
        raise ValidationError(
            _(
                "The logo has far too many pixels; it may be at most %(pixels)s million pixels "
                "and %(side)s pixels a side. Make it smaller first."
            ),
            code="logo_pixels",
            params={"pixels": bounds.max_pixels // 1_000_000, "side": bounds.max_side},
        ) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError(
            _("Upload the logo as a PNG, JPEG or WebP image."), code="logo_format"
        ) from error
    width, height = image.size
    if width * height > bounds.max_pixels or max(width, height) > bounds.max_side:
        raise ValidationError(
            _(
                "The logo is %(width)s × %(height)s pixels; it may be at most %(pixels)s "
                "million pixels and %(side)s pixels a side. Make it smaller first."
            ),
            code="logo_pixels",
            params={
                "width": width,
                "height": height,
                "pixels": bounds.max_pixels // 1_000_000,
                "side": bounds.max_side,
            },
        )
    source_format = image.format
    try:
        if source_format == "JPEG":
            # Decode at a fraction of the size where the stored copy is smaller anyway.
            image.draft("RGB", (bounds.stored_side, bounds.stored_side))
        image.seek(0)  # the first frame of an animation
        image.load()
        image.thumbnail((bounds.stored_side, bounds.stored_side))
        buffer = io.BytesIO()
        if source_format == "JPEG":
            image.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True)
            suffix, content_type = ".jpg", "image/jpeg"
        else:
            mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
            image.convert(mode).save(buffer, "PNG", optimize=True)
            suffix, content_type = ".png", "image/png"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The logo could not be read. Save it again as PNG or JPEG and upload that."),
            code="logo_broken",
        ) from error
    stem = get_valid_filename(Path(upload.name or "logo").stem)[:60] or "logo"
    return SimpleUploadedFile(stem + suffix, buffer.getvalue(), content_type=content_type)


class LogoField(forms.ImageField):
    """An image upload that keeps only :func:`reencoded_logo`'s copy."""

    default_error_messages = {
        "invalid_image": _("Upload the logo as a PNG, JPEG or WebP image."),
    }

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return reencoded_logo(upload)


def safe_logo_path(path: Path) -> bool:
    """Whether a stored logo may go to WeasyPrint: one of the accepted formats, within the
    size of a stored copy (an older upload may not be). Reads the header only."""
    bounds = limits()
    try:
        if path.stat().st_size > bounds.max_bytes:
            return False
        with _open(path) as image:
            width, height = image.size
    except Exception:  # an unreadable file is simply left out of the report
        logger.warning("Logo %s left out of a report: unreadable", path.name)
        return False
    if max(width, height) > bounds.stored_side:
        logger.warning("Logo %s left out of a report: %s × %s pixels", path.name, width, height)
        return False
    return True
