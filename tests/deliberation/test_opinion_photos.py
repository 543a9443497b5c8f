"""Photos on an opinion: only real JPEG, PNG or WebP images, not too big, not too many;
stored re-encoded as JPEG, upright, without EXIF (no GPS location)."""

import uuid
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from deliberation.opinions.models import Category, Kind, Opinion, OpinionPhoto


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def image_file(name="photo.jpg", fmt="JPEG", size=(64, 48), mode="RGB", exif=None):
    buffer = BytesIO()
    params = {"exif": exif} if exif is not None else {}
    Image.new(mode, size, "red").save(buffer, fmt, **params)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(
        fmt, "application/octet-stream"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def gps_exif(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Resident's phone"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (36.0, 37.0, 0.0), 3: "E", 4: (101.0, 46.0, 0.0)}
    return exif


def post(client, committee, grid, photos, **fields):
    data = {
        "submission_key": str(uuid.uuid4()),
        "kind": Kind.OPINION,
        "title": "垃圾站溢出",
        "body": "5号楼旁的垃圾站每天溢出。",
        "category": Category.ENVIRONMENT,
        "grid": grid.pk,
        "photos": photos,
        **fields,
    }
    return client.post(reverse("deliberation:opinion_submit", args=[committee.slug]), data)


def test_photo_with_gps_location_is_stored_without_any_exif(en, committee, grid, resident):
    upload = image_file(exif=gps_exif())
    assert Image.open(BytesIO(upload.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    upload.seek(0)
    en.force_login(resident)

    response = post(en, committee, grid, [upload])

    assert response.status_code == 302
    photo = OpinionPhoto.objects.get()
    with photo.image.open("rb") as stored:
        image = Image.open(stored)
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
    assert photo.image.name.startswith("opinions/")
    assert "photo" not in photo.image.name.rsplit("/", 1)[1]


def test_photo_is_turned_upright_from_its_orientation_tag(en, committee, grid, resident):
    en.force_login(resident)

    post(en, committee, grid, [image_file(size=(64, 48), exif=gps_exif(orientation=6))])

    photo = OpinionPhoto.objects.get()
    assert (photo.width, photo.height) == (48, 64)


def test_png_and_webp_are_accepted_and_stored_as_jpeg(en, committee, grid, resident):
    en.force_login(resident)
    photos = [
        image_file("a.png", "PNG", mode="RGBA"),
        image_file("b.webp", "WEBP"),
    ]

    response = post(en, committee, grid, photos)

    assert response.status_code == 302
    assert OpinionPhoto.objects.count() == 2
    for photo in OpinionPhoto.objects.all():
        with photo.image.open("rb") as stored:
            assert Image.open(stored).format == "JPEG"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(en, committee, grid, resident):
    en.force_login(resident)
    fake = SimpleUploadedFile("holiday.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")

    response = post(en, committee, grid, [fake])

    assert response.status_code == 200
    html = response.content.decode()
    assert "“holiday.jpg” is not a JPEG, PNG or WebP photo." in html
    assert "please choose the photos again" in html
    assert "5号楼旁的垃圾站每天溢出。" in html
    assert Opinion.objects.count() == 0
    assert OpinionPhoto.objects.count() == 0


def test_an_image_of_another_format_is_refused(en, committee, grid, resident):
    en.force_login(resident)

    response = post(en, committee, grid, [image_file("anim.gif", "GIF", mode="P")])

    assert "“anim.gif” is not a JPEG, PNG or WebP photo." in response.content.decode()
    assert Opinion.objects.count() == 0


def test_a_photo_over_the_size_limit_is_refused(settings, en, committee, grid, resident):
    settings.TOWNHALL_OPINION_PHOTO_MAX_BYTES = 100
    en.force_login(resident)

    response = post(en, committee, grid, [image_file("big.jpg", size=(200, 200))])

    assert response.status_code == 200
    assert "a photo may be at most 100\xa0bytes" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_an_image_too_small_to_be_a_photo_is_refused(en, committee, grid, resident):
    en.force_login(resident)

    response = post(en, committee, grid, [image_file("dot.png", "PNG", size=(1, 1))])

    assert "that is not a usable photo" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_four_photos_are_refused_with_a_clear_message(en, committee, grid, resident):
    en.force_login(resident)
    photos = [image_file(f"{n}.jpg") for n in range(4)]

    response = post(en, committee, grid, photos)

    assert response.status_code == 200
    assert "You chose 4 photos; attach at most 3." in response.content.decode()
    assert Opinion.objects.count() == 0
    assert OpinionPhoto.objects.count() == 0


def test_detail_page_shows_the_photos(en, committee, grid, resident):
    en.force_login(resident)
    response = post(en, committee, grid, [image_file()])

    page = en.get(response.url)

    photo = OpinionPhoto.objects.get()
    assert photo.image.url in page.content.decode()
