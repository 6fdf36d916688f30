"""Logo uploads: checked by content, refused when they declare too many pixels (bombs),
stored only as a small re-encoded copy, and only such a copy reaches the PDF renderer."""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from impact.reports.pdf import _logo_file
from organisations.logos import limits
from tests.factories import WorksheetFactory
from tests.images import png_bomb, png_header_only


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, organisation, content: bytes, name: str = "logo.png"):
    data = {"name": organisation.name, "city": organisation.city, "website": "", "mission": ""}
    data["logo"] = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(reverse("organisations:edit", args=[organisation.pk]), data)


def image_bytes(size, image_format: str, mode: str = "RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "navy").save(buffer, image_format, **options)
    return buffer.getvalue()


def refused(response, organisation, text: str) -> None:
    assert response.status_code == 200
    assert "field-error" in response.text
    assert text in response.text, response.text
    organisation.refresh_from_db()
    assert not organisation.logo


@pytest.mark.parametrize(
    ("width", "height", "mode"),
    [
        (12_000, 12_000, "gray"),
        (8_000, 8_000, "rgba"),
        (100_000, 40, "gray"),
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header(
    client_for, participant, organisation, width, height, mode
):
    bomb = png_bomb(width, height, mode=mode)
    assert len(bomb) < 1_000_000  # small files that decode to hundreds of megabytes
    tracemalloc.start()
    started = time.monotonic()
    response = upload(client_for(participant), organisation, bomb)
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    refused(response, organisation, f"Het logo is {width} × {height} pixels;")
    assert time.monotonic() - started < 5  # traced allocations make it slower than it is
    assert peak < 30 * 1024 * 1024  # nothing decoded


def test_a_header_that_declares_a_huge_image_is_refused(client_for, participant, organisation):
    # Beyond Pillow's own limit (twice 89 million pixels), which refuses to open it at all.
    for width, height in ((65_000, 65_000), (30_000, 30_000)):
        response = upload(client_for(participant), organisation, png_header_only(width, height))
        refused(response, organisation, "Het logo heeft veel te veel pixels")
    refused(
        upload(client_for(participant), organisation, png_bomb(30_000, 30_000)),
        organisation,
        "Het logo heeft veel te veel pixels",
    )


def test_the_limit_is_far_below_pillows_own():
    assert limits().max_pixels * 5 <= Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png"),
        (b"GIF89a" + b"\x00" * 20, "logo.gif"),
        (b"%PDF-1.7\n", "logo.jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "logo.png"),
    ],
)
def test_anything_but_png_jpeg_or_webp_is_refused_by_its_content(
    client_for, participant, organisation, content, name
):
    refused(upload(client_for(participant), organisation, content, name), organisation, "PNG")


def test_a_gif_is_refused_even_named_png(client_for, participant, organisation):
    response = upload(client_for(participant), organisation, image_bytes((40, 20), "GIF"))
    refused(response, organisation, "Upload het logo als PNG-, JPEG- of WebP-afbeelding.")


def test_a_file_over_the_byte_limit_is_refused(settings, client_for, participant, organisation):
    settings.IMPACTLAB_LOGO_MAX_BYTES = 10_000
    noise = Image.effect_noise((300, 300), 100).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    response = upload(client_for(participant), organisation, buffer.getvalue())
    refused(response, organisation, "het mag hoogstens 9,8")


@pytest.mark.parametrize(
    ("image_format", "mode", "suffix", "stored_format"),
    [
        ("PNG", "RGBA", ".png", "PNG"),
        ("JPEG", "RGB", ".jpg", "JPEG"),
        ("WEBP", "RGB", ".png", "PNG"),
    ],
)
def test_what_is_stored_is_a_downscaled_copy_without_metadata(
    client_for, participant, organisation, image_format, mode, suffix, stored_format
):
    exif = Image.Exif()
    exif[0x010E] = "Kringloop Zwolle, Dorpsstraat 1"  # ImageDescription
    content = image_bytes((3000, 1500), image_format, mode, exif=exif.tobytes())
    response = upload(client_for(participant), organisation, content, "Kringloop Zwolle.jpeg")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(suffix)
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == stored_format
        assert max(stored.size) == limits().stored_side
        assert stored.size == (800, 400)
        assert not stored.getexif()


def test_a_logo_named_jpg_that_is_a_png_is_read_by_its_content(
    client_for, participant, organisation
):
    response = upload(
        client_for(participant), organisation, image_bytes((40, 20), "PNG"), "logo.jpg"
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")


def test_the_admin_checks_logos_too(admin_client, organisation):
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "logo": SimpleUploadedFile("logo.png", png_bomb(12_000, 12_000)),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Het logo is 12000 × 12000 pixels" in response.text
    organisation.refresh_from_db()
    assert not organisation.logo


def test_an_older_oversized_logo_is_left_out_of_the_report(
    settings, tmp_path, organisation, participant, client_for
):
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "bomb.png").write_bytes(png_bomb(12_000, 12_000))
    (tmp_path / "logos" / "small.png").write_bytes(image_bytes((400, 200), "PNG"))
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    organisation.logo = "logos/bomb.png"
    organisation.save()
    assert _logo_file(worksheet) is None
    response = client_for(participant).get(
        reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    )
    assert response.status_code == 200
    organisation.logo = "logos/small.png"
    organisation.save()
    assert _logo_file(worksheet) == (tmp_path / "logos" / "small.png").resolve()
