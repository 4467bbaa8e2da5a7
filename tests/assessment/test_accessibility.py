"""Accessibility in chromium: axe-core finds no serious or critical violation on the main pages
in Chinese and English, and the questionnaire and the review screen work from the keyboard.

axe-core comes from the npm registry (tools/axe/package.json, installed by bin/_bootstrap or, if
missing, by the fixture below) and is injected by Playwright; nothing is served to users.
With PMA_SCREENSHOTS=<folder> the same walk saves each page at 1366 and 390 px wide.
"""

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from assessment.services import reviews
from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_DIR = Path(__file__).resolve().parents[2] / "tools" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
LANGUAGES = ("zh-hans", "en")
WIDTHS = (1366, 390)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("axe-core is missing and npm is not installed: run bin/test once.")
        with open(AXE_DIR / ".install.lock", "w") as lock:  # pytest-xdist workers take turns
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_JS.exists():
                subprocess.run(  # noqa: S603 (npm from PATH, fixed arguments)
                    [npm, "ci", "--no-audit", "--no-fund", "--silent"],
                    cwd=AXE_DIR,
                    check=True,
                    timeout=300,
                )
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[str]:
    """The serious and critical violations on the page as it stands, one line each."""
    # Evaluated through the DevTools protocol: the page's strict CSP (no inline scripts) holds.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source + "\n;true")
    results = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
          }));
        }"""
    )
    return [
        f"{item['impact']} {item['id']}: {item['help']} at {item['nodes']}"
        for item in results
        if item["impact"] in BLOCKING
    ]


def set_language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator("[data-chart-source]").count():
        page.locator(".chart-drawn").first.wait_for(timeout=45_000)
        page.wait_for_timeout(300)


def screenshot(page, name: str) -> None:
    folder = os.environ.get("PMA_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(200)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def world(live_server):
    return make_world()


def make_world() -> dict:
    """One of everything the pages show: a draft, a submission in review, a certified platform,
    a reviewer and a national regulator."""
    from tests.assessment.test_dashboard_browser import action_plan_targets

    action_plan_targets()
    draft = factories.answered_submission(state="draft")
    in_review = factories.answered_submission(tier="basic")
    desk = factories.reviewer("440000", full_name="广东评审员")
    reviews.review_assign(actor=desk, submission=in_review, reviewer=desk)
    reviews.review_start(actor=desk, submission=in_review)
    certified = factories.scored_submission(
        region_code="440300", cycle=draft.cycle, state="certified", certified_tier="growth"
    )
    return {
        "draft": draft,
        "in_review": in_review,
        "desk": desk,
        "certified": certified,
        "national": factories.regulator(is_national=True),
    }


def pages_of(world) -> list[tuple[str, object, str]]:
    """(name, who signs in or None, path) for every page the check covers."""
    draft, in_review = world["draft"], world["in_review"]
    return [
        ("login", None, reverse("login")),
        ("register", None, reverse("public_register")),
        ("verify", None, reverse("verify_report")),
        ("operator-home", draft.created_by, reverse("operator_home")),
        (
            "questionnaire",
            draft.created_by,
            reverse("operator_questionnaire", args=[draft.pk, "D1"]),
        ),
        ("queue", world["desk"], reverse("review_queue")),
        ("review", world["desk"], reverse("review_detail", args=[in_review.pk])),
        ("dashboard-national", world["national"], reverse("dashboard_national")),
        ("dashboard-province", world["national"], reverse("dashboard_region", args=["440000"])),
        ("dashboard-city", world["national"], reverse("dashboard_region", args=["440300"])),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_or_critical_axe_violation_on_the_main_pages(
    page, live_server, world, axe_source, language
):
    set_language(page, live_server, language)
    found: dict[str, list[str]] = {}
    signed_in = None
    for name, user, path in pages_of(world):
        if user is not signed_in:
            page.context.clear_cookies()
            set_language(page, live_server, language)
            if user is not None:
                sign_in(page, live_server, user.email, factories.PASSWORD)
            signed_in = user
        page.goto(live_server.url + path)
        settle(page)
        violations = axe_violations(page, axe_source)
        if violations:
            found[name] = violations
        screenshot(page, f"{name}-{language}")
    assert found == {}, "\n".join(
        f"{name}: {line}" for name, lines in found.items() for line in lines
    )


def test_the_questionnaire_works_from_the_keyboard(page, live_server, world):
    draft = world["draft"]
    from assessment.models import Answer

    Answer.objects.filter(submission=draft, question_code__in=["D1.1", "D1.4"]).delete()
    sign_in(page, live_server, draft.created_by.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("operator_questionnaire", args=[draft.pk, "D1"]))
    page.locator("#input-q-D1-1").focus()
    page.keyboard.type("6")
    # Tab on to the next question; the first Tab leaves the field, so autosave runs.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q-D1.4":
            break
    assert page.evaluate("document.activeElement.name") == "q-D1.4"
    page.keyboard.press("ArrowRight")  # radios: arrows choose
    chosen = page.evaluate("document.activeElement.value")
    page.wait_for_selector("[data-save-state='saved']")
    page.wait_for_timeout(300)
    stored = dict(
        Answer.objects.filter(submission=draft, question_code__in=["D1.1", "D1.4"]).values_list(
            "question_code", "value"
        )
    )
    assert stored == {"D1.1": 6, "D1.4": int(chosen)}
    # Focus is visible where it is.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_review_screen_works_from_the_keyboard(page, live_server, world):
    submission, desk = world["in_review"], world["desk"]
    set_language(page, live_server, "en")
    sign_in(page, live_server, desk.email, factories.PASSWORD)
    page.goto(live_server.url + reverse("review_detail", args=[submission.pk]))
    code = "D8.1"
    article = page.locator(f"#ind-{code.replace('.', '\\.')}")
    article.get_by_role("radio", name="Verified").focus()
    page.keyboard.press("Space")
    assert article.get_by_role("radio", name="Verified").is_checked()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Save decision"
    page.keyboard.press("Enter")
    article.locator("[data-decision-state]:not([hidden])").wait_for()
    assert submission.review_decisions.get(question_code=code, is_current=True).decision == (
        "verified"
    )
    # The skip link is the first stop and leads to the content.
    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
