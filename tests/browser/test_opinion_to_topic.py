"""The test of issue 4 in a phone's browser: a resident submits an opinion, a grid worker
records one for an elderly neighbour, the committee merges both into a topic, and both
residents see the path of what they said."""

import io
import re

import pytest
from PIL import Image

from deliberation.models import Opinion, Topic
from deliberation.opinions.models import Channel, Status
from townhall.accounts.models import Notification
from townhall.community.models import Role
from townhall.ledger.verification import ledger_verify

from ..conftest import give_totp
from ..factories import CommitteeFactory, GridFactory, HouseholdFactory
from .conftest import PHONE
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "lamp.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_opinions_become_a_topic_and_residents_see_the_path(
    open_page, screenshot, wagtail_site, photo
):
    committee = CommitteeFactory(name="幸福里居委会")
    grid = GridFactory(committee=committee, name="第一网格")
    HouseholdFactory.create_batch(12, grid=grid)
    resident = person("13900000011", Role.RESIDENT, committee, grid=grid, display_name="热心的小陈")
    elderly = person(
        "13900000012", Role.RESIDENT, committee, grid=grid, real_name="刘桂芳", display_name=""
    )
    person("13900000013", Role.GRID_WORKER, committee, grid=grid, real_name="马骏")
    staff = person("13900000014", Role.STAFF, committee, real_name="周敏")
    give_totp(staff)

    # A resident submits an opinion with a photo, on her phone (in Chinese, the default).
    phone = open_page(viewport=PHONE, language="zh-hans")
    sign_in(phone, "13900000011")
    phone.goto(f"/committees/{committee.slug}/opinions/")
    phone.locator(f"a[href='/committees/{committee.slug}/opinions/new/']").first.click()
    phone.locator("#id_title").fill("3栋楼道灯坏了")
    phone.locator("#id_body").fill("3栋2单元楼道灯坏了一个月，晚上老人上下楼很危险。")
    phone.locator("#id_category").select_option("facilities")
    phone.locator("#id_photos").set_input_files(str(photo))
    screenshot(phone, "opinion-submit-phone")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/opinions/\d+/$"))
    phone.get_by_role("heading", name="3栋楼道灯坏了").wait_for()
    screenshot(phone, "opinion-detail-phone")
    mine = Opinion.objects.get(author=resident)
    assert mine.photos.count() == 1

    # The grid worker, on a home visit, records what the elderly resident told him.
    worker = open_page(viewport=PHONE, language="zh-hans")
    sign_in(worker, "13900000013")
    worker.goto(f"/committees/{committee.slug}/opinions/record/")
    worker.locator("#id_phone").fill("13900000012")
    worker.locator("#id_channel").select_option(Channel.HOME_VISIT)
    worker.locator("#id_title").fill("单元楼道太黑，扶手也松了")
    worker.locator("#id_body").fill("刘阿姨说楼道晚上太黑，扶手松了，不敢下楼买菜。")
    worker.locator("#id_category").select_option("facilities")
    screenshot(worker, "opinion-record-on-behalf-phone")
    worker.locator("main form button[type=submit].button--block").click()
    worker.wait_for_url(re.compile(r"/opinions/\d+/$"))
    worker.get_by_text("刘桂芳").first.wait_for()  # "recorded by 马骏 on behalf of 刘桂芳"
    screenshot(worker, "opinion-recorded-phone")
    theirs = Opinion.objects.get(author=elderly)
    assert theirs.recorded_by.real_name == "马骏"

    # Staff (with two-step verification) open the first opinion and merge both into a topic.
    desk = open_page(viewport=PHONE, language="zh-hans")
    sign_in(desk, "13900000014", totp=True)
    desk.goto(f"/opinions/{mine.pk}/")
    desk.locator(f"a[href$='/topics/new/?opinions={mine.pk}']").click()
    desk.locator(f"#opinion-{mine.pk}").wait_for()
    assert desk.locator(f"#opinion-{mine.pk}").is_checked()
    desk.locator(f"#opinion-{theirs.pk}").check()
    desk.locator("#id_title").fill("老旧楼道照明和扶手改造")
    desk.locator("#id_description").fill(
        "合并居民反映的楼道照明和扶手问题，讨论改造方案和资金来源。"
    )
    screenshot(desk, "topic-create-phone")
    desk.locator("main form button[type=submit]").last.click()
    desk.wait_for_url(re.compile(r"/topics/\d+/$"))
    desk.get_by_role("heading", name="老旧楼道照明和扶手改造").wait_for()
    screenshot(desk, "topic-detail-phone")
    topic = Topic.objects.get()
    for opinion in (mine, theirs):
        opinion.refresh_from_db()
        assert (opinion.status, opinion.topic) == (Status.MERGED, topic)
        assert Notification.objects.filter(recipient=opinion.author, message__contains=topic.title)

    # Both residents see the path: opinion → topic. The elderly resident's, with the grid
    # worker beside her.
    phone.goto("/me/opinions/")
    phone.get_by_text("老旧楼道照明和扶手改造").first.wait_for()
    phone.get_by_text("3栋楼道灯坏了").first.wait_for()
    screenshot(phone, "my-opinions-phone")
    elder = open_page(viewport=PHONE, language="zh-hans")
    sign_in(elder, "13900000012")
    elder.goto("/me/opinions/")
    elder.get_by_text("单元楼道太黑，扶手也松了").first.wait_for()
    elder.get_by_text("老旧楼道照明和扶手改造").first.wait_for()
    elder.get_by_text("马骏").first.wait_for()
    screenshot(elder, "my-opinions-recorded-on-behalf-phone")
    assert ledger_verify().ok
