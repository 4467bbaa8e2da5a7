"""The Django admin speaks the reader's language, through and through: every app, model, column,
filter, section, field label and help text in Chinese under zh-hans and in English under en, and
every state or choice shown by its label, never its code (issue 12, defect 10)."""

import pytest
from django.contrib import admin
from django.utils import timezone

from assessment.models import Role
from assessment.models.people import AdminDuty
from tests.admin_rows import admin_rows
from tests.factories import UserFactory
from tests.html_text import CJK, choice_codes, visible_texts

pytestmark = pytest.mark.django_db

# What Chinese writes as it is.
_WRITTEN_AS_IS = {"ID", "ID:"}


def _captions_and_values(html: str, *, change: bool) -> tuple[list[str], list[str]]:
    """What names things on an admin page (captions) and what shows stored values (values)."""
    captions, values = [], []
    texts = visible_texts(html)
    crumbs = [text for text in texts if text.inside(cls="breadcrumbs")]
    for text in texts:
        if text.inside(id="nav-sidebar") or text.inside("h1"):
            captions.append(text.text)
        elif text.inside(cls="breadcrumbs"):
            # The last crumb of a change form is the object itself.
            (values if change and text is crumbs[-1] else captions).append(text.text)
        elif text.inside(id="changelist-filter"):
            (values if text.inside("li") else captions).append(text.text)
        elif text.inside(id="result_list"):
            (captions if text.inside("thead") else values).append(text.text)
        elif text.inside("select", id="id_permissions"):
            captions.append(text.text)
        elif text.inside("label") or text.inside(cls="help") or text.inside("legend"):
            captions.append(text.text)
        elif text.inside("fieldset") and (text.inside("h2") or text.inside("th")):
            captions.append(text.text)
        elif text.inside(cls="inline-group") and (text.inside("h2") or text.inside("th")):
            captions.append(text.text)
        elif text.inside(cls="readonly") or text.inside("option") or text.inside("td"):
            values.append(text.text)
    return captions, values


def _pages(client):
    for model in admin.site._registry:
        opts = model._meta
        changelist = f"/admin/{opts.app_label}/{opts.model_name}/"
        yield changelist
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"no {opts.label} row to open"
        yield f"{changelist}{first.pk}/change/"


def _walk(client, language):
    client.cookies["django_language"] = language
    for url in _pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        yield url, html, *_captions_and_values(html, change=url.endswith("/change/"))


@pytest.fixture
def superuser_client(client):
    client.force_login(admin_rows()["superuser"])
    return client


def test_every_admin_page_is_in_chinese_under_zh_hans(superuser_client):
    codes = choice_codes()
    english, coded, walked = [], [], 0
    for url, html, captions, values in _walk(superuser_client, "zh-hans"):
        walked += 1
        english += [
            (url, caption)
            for caption in captions
            if not CJK.search(caption)
            and caption not in _WRITTEN_AS_IS
            and any(char.isalpha() for char in caption)
        ]
        coded += [(url, value) for value in values if value in codes]
        assert "- Select an option -" not in html, url
        assert "Django" not in html.split("<title>")[1].split("</title>")[0], url
    assert walked == 2 * len(admin.site._registry)
    assert not english, f"{len(english)} English captions, e.g. {english[:15]}"
    assert not coded, f"{len(coded)} raw codes, e.g. {coded[:15]}"


def test_every_admin_page_is_in_english_under_en(superuser_client):
    codes = choice_codes()
    chinese, coded = [], []
    for url, _html, captions, values in _walk(superuser_client, "en"):
        chinese += [(url, caption) for caption in captions if CJK.search(caption)]
        coded += [(url, value) for value in values if value in codes]
    assert not chinese, f"{len(chinese)} Chinese captions, e.g. {chinese[:15]}"
    assert not coded, f"{len(coded)} raw codes, e.g. {coded[:15]}"


@pytest.mark.parametrize("duty", [AdminDuty.SYSTEM, AdminDuty.SECURITY, AdminDuty.AUDIT])
def test_each_administrators_index_names_every_app_and_model_in_chinese(client, duty):
    client.force_login(UserFactory(role=Role.ADMIN, admin_duty=duty, is_staff=True))
    html = client.get("/admin/").content.decode()
    names = [text.text for text in visible_texts(html) if text.inside(id="content-main")]
    assert names, "the index lists nothing"
    assert [name for name in names if not CJK.search(name)] == []


def test_the_raw_codes_checked_include_the_submission_states():
    # The walk above would pass vacuously if no codes were collected.
    assert {"draft", "in_review", "certified", "sign_in_failed", "basic"} <= choice_codes()


def test_events_are_named_by_their_kind_not_its_code_in_local_time():
    from django.utils import translation

    from assessment.models import AuditEvent, AuditKind

    event = AuditEvent.objects.create(kind=AuditKind.SIGN_IN_FAILED, subject="x@example.cn")
    with translation.override("en"):
        assert str(event).endswith(" Sign-in failed")
    with translation.override("zh-hans"):
        assert "sign_in_failed" not in str(event)
        assert CJK.search(str(event))
    local = timezone.localtime(event.created_at)
    assert str(event).startswith(f"{local:%Y-%m-%d %H:%M}")


def test_third_party_records_are_named_in_the_readers_language(superuser_client):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    superuser_client.cookies["django_language"] = "zh-hans"
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        url = f"/admin/axes/{model._meta.model_name}/{model.objects.first().pk}/change/"
        html = superuser_client.get(url).content.decode()
        titles = [t.text for t in visible_texts(html) if t.inside("h2") or t.inside("li")]
        assert [t for t in titles if "x@example.cn" in t and CJK.search(t)], url
        assert "Attempted Access" not in html and "Access Log for" not in html, url
        assert "Failed access" not in html, url
    task = DBTaskResult.objects.get()
    html = superuser_client.get(
        f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/"
    ).content.decode()
    assert "DBTaskResult object" not in html
    assert "report_batch_build_task · " in html
