"""The page frame on a phone (390 px) and a laptop (1280 px): what fits, what collapses, what
stays in view. Screenshots of home, a form page and the case list at both widths."""

import pytest
from django.contrib.auth.models import Group

from iomuk import roles
from iomuk.models import User
from tests.browser.conftest import SCREENSHOTS
from tests.returns.factories import ReturnCaseFactory

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
PASSWORD = "a-long-test-password-for-staff"

# How many lines of text an element's box holds, from its height and its line height.
LINES = """(el) => {
  const style = getComputedStyle(el);
  let line = parseFloat(style.lineHeight);
  if (isNaN(line)) line = parseFloat(style.fontSize) * 1.2;
  const box = el.getBoundingClientRect();
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
    + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  return Math.round((box.height - padding) / line);
}"""

# The bottom of the sticky exit button and the focused element's box, in the viewport.
FOCUS_AND_BAR = """() => {
  const bar = document.querySelector(".quick-exit").getBoundingClientRect();
  const box = document.activeElement.getBoundingClientRect();
  return {barBottom: bar.bottom, top: box.top, id: document.activeElement.id};
}"""


# Resolves once the (smooth) scroll to the link's target has come to rest.
SCROLLED = """() => new Promise((resolve) => {
  let last = -1, still = 0;
  (function frame() {
    if (window.scrollY === last) { still += 1; } else { still = 0; last = window.scrollY; }
    if (still > 10) { resolve(); } else { requestAnimationFrame(frame); }
  })();
})"""


def phone_screenshot(page, name):
    """What a phone shows. (A full-page shot drops the touch emulation, and with it the
    media queries that hide the keyboard hint, so it would show what a phone never does.)"""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def phone(new_page, **extra):
    """A page in a phone's browser: narrow, touch, no mouse to hover with."""
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True, **extra)
    return page


@pytest.fixture
def caseworker(db):
    user = User.objects.create_user(
        "caseworker", email="caseworker@iom-uk.example", password=PASSWORD, first_name="Cas"
    )
    user.groups.add(Group.objects.get(name=roles.CASEWORKERS))
    return user


@pytest.mark.parametrize(
    ("viewport", "language"),
    [(PHONE, "en-gb"), (LAPTOP, "en-gb"), ({"width": 320, "height": 640}, "hu")],
    ids=["390", "1280", "320-hu"],
)
def test_following_an_error_link_leaves_the_field_in_view_below_the_sticky_bar(
    new_page, live_server, viewport, language
):
    page = new_page(viewport=viewport)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/iris/complaints/new/")
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    links = summary.get_by_role("link")
    assert links.count() > 0
    for index in range(links.count()):
        link = summary.get_by_role("link").nth(index)
        target = link.get_attribute("href").removeprefix("#")
        page.evaluate("window.scrollTo(0, 0)")
        link.click()
        page.evaluate(SCROLLED)
        seen = page.evaluate(FOCUS_AND_BAR)
        assert seen["id"] == target
        assert seen["top"] >= seen["barBottom"], f"#{target} is under the sticky bar: {seen}"


def test_on_a_phone_the_header_is_compact_and_the_menu_opens_on_demand(
    new_page, screenshot, assert_accessible
):
    page = phone(new_page)
    page.goto("/")
    main_top = page.locator("main h1").bounding_box()["y"]
    assert main_top < 300, f"the page's heading starts {main_top:.0f} px down"
    training = page.get_by_role("navigation", name="Main").get_by_role("link", name="Training")
    assert not training.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert training.is_visible()
    screenshot(page, "layout-home-390-menu-open")
    training.click()
    page.wait_for_url("**/training/")
    assert_accessible(page)


def test_on_a_phone_exit_this_page_is_one_line_and_the_shift_hint_is_not_shown(
    new_page, screenshot
):
    page = phone(new_page)
    page.goto("/")
    exit_button = page.get_by_role("link", name="Exit this page")
    assert exit_button.evaluate(LINES) == 1
    assert not page.get_by_text("or press Shift 3 times").is_visible()
    phone_screenshot(page, "layout-home-390")
    page.goto("/iris/complaints/new/")
    phone_screenshot(page, "layout-complaint-form-390")
    screenshot(page, "layout-complaint-form-390-full")


@pytest.mark.parametrize("language", ["Română", "Magyar", "Български"])
def test_on_a_phone_nothing_runs_off_the_side_of_the_screen(new_page, language):
    page = phone(new_page)
    page.goto("/training/")
    page.get_by_role("link", name=language).click()
    page.wait_for_url("**/training/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("navigation").locator("summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for path in ("/privacy/", "/cookies/", "/accessibility/", "/iris/complaints/new/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    assert page.locator("[data-quick-exit]").evaluate(LINES) == 1


def test_on_a_laptop_the_menu_is_open_and_the_shift_hint_is_shown(new_page, screenshot):
    page = new_page(viewport=LAPTOP)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Training").is_visible()
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.get_by_text("or press Shift 3 times").is_visible()
    assert page.get_by_role("link", name="Exit this page").evaluate(LINES) == 1
    screenshot(page, "layout-home-1280")
    page.goto("/iris/complaints/new/")
    screenshot(page, "layout-complaint-form-1280")


def test_the_romanian_menu_fits_one_line_on_a_laptop(new_page, screenshot):
    page = new_page(viewport=LAPTOP)
    page.goto("/")
    page.get_by_role("link", name="Română").click()
    page.wait_for_url("**/")
    links = page.get_by_role("navigation", name="Meniu principal").get_by_role("link")
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1, f"the Romanian menu takes {len(tops)} lines"
    for index in range(links.count()):
        assert links.nth(index).evaluate(LINES) == 1
    screenshot(page, "layout-home-ro-1280")


def test_the_romanian_menu_of_a_signed_in_caseworker_fits_one_line_on_a_laptop(
    new_page, caseworker, sign_in, screenshot
):
    page = new_page(viewport=LAPTOP)
    sign_in(page, "caseworker", PASSWORD, next_path="/")
    page.get_by_role("link", name="Română").click()
    page.wait_for_url("**/")
    links = page.get_by_role("navigation", name="Meniu principal").get_by_role("link")
    buttons = page.get_by_role("navigation", name="Meniu principal").get_by_role("button")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    boxes += [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    assert len(boxes) == 5  # three services, the workspace, signing out
    assert max(box["y"] for box in boxes) - min(box["y"] for box in boxes) < 10
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    screenshot(page, "layout-home-ro-signed-in-1280")


def test_the_case_list_on_a_laptop_keeps_references_and_filters_on_one_line(
    new_page, caseworker, sign_in, screenshot
):
    caseworker.first_name, caseworker.last_name = "Anna-Maria", "Constantinescu-Popovici"
    caseworker.save()
    ReturnCaseFactory.create_batch(
        6,
        assigned_caseworker=caseworker,
        full_name="Alexandra-Ioana Dumitrescu-Georgescu",
        preferred_name="Alexandra Ioana",
    )
    page = new_page(viewport=LAPTOP)
    sign_in(page, "caseworker", PASSWORD, next_path="/returns/cases/")
    page.get_by_role("heading", name="Return cases").wait_for()
    references = page.locator("main table tbody tr td:first-child a")
    assert references.count() == 6
    for index in range(references.count()):
        assert references.nth(index).evaluate(LINES) == 1
    search = page.locator("main form[role=search]")
    controls = search.locator("input:not([type=hidden]), select, button")
    tops = {round(controls.nth(i).bounding_box()["y"]) for i in range(controls.count())}
    assert len(tops) == 1, f"the case-list filters take {len(tops)} lines: {sorted(tops)}"
    screenshot(page, "layout-case-list-1280")
    page.set_viewport_size(PHONE)
    # On a phone the table scrolls inside its own box; the page itself does not run off.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "layout-case-list-390")


# What stays on screen as the page scrolls: every sticky or fixed box in view with what it holds,
# and how much of the viewport's height they cover together.
STICKY_SHARE = """() => {
  let covered = 0;
  const names = [];
  for (const el of document.querySelectorAll("body *")) {
    const position = getComputedStyle(el).position;
    if (position !== "sticky" && position !== "fixed") continue;
    let top = Infinity, bottom = -Infinity;
    for (const part of [el, ...el.querySelectorAll("*")]) {
      const box = part.getBoundingClientRect();
      if (box.height === 0) continue;
      top = Math.min(top, box.top);
      bottom = Math.max(bottom, box.bottom);
    }
    top = Math.max(top, 0);
    bottom = Math.min(bottom, innerHeight);
    if (bottom <= top) continue;
    covered += bottom - top;
    names.push(el.className);
  }
  return {share: covered / innerHeight, names};
}"""

LANGUAGES = ["en-gb", "bg", "cs", "hu", "ro"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_400_percent_zoom_only_the_exit_button_stays_in_view(new_page, live_server, language):
    # 400 % zoom of a 1280 x 1024 screen: 320 x 256 CSS pixels (WCAG 1.4.10).
    page = new_page(viewport={"width": 320, "height": 256})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/iris/complaints/new/")
    page.mouse.wheel(0, 800)
    page.wait_for_function("window.scrollY >= 800")
    seen = page.evaluate(STICKY_SHARE)
    assert seen["share"] < 0.25, f"{seen['share']:.0%} of the screen stays put: {seen['names']}"
    assert page.locator("[data-quick-exit]").is_visible()
    assert page.locator("[data-quick-exit]").bounding_box()["y"] >= 0
    switcher = page.locator(".language-switcher").bounding_box()
    assert switcher["y"] + switcher["height"] <= 0, "the languages stay on screen"


def test_on_a_laptop_the_exit_button_stays_in_view_after_scrolling(new_page):
    page = new_page(viewport=LAPTOP)
    page.goto("/iris/complaints/new/")
    page.mouse.wheel(0, 1500)
    page.wait_for_function("window.scrollY >= 1500")
    button = page.locator("[data-quick-exit]")
    box = button.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]
    # Nothing covers it: the point at its middle is the button itself.
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-quick-exit]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top
    button.click()  # and it still works from down the page
    page.wait_for_url(lambda url: "/iris/" not in url)


# The colours and widths of the focus ring the focused element shows, drawn from its style.
RING = """async () => {
  const el = document.activeElement;
  // Bootstrap eases the ring in: read it once the transition is over.
  await Promise.all(el.getAnimations().map((animation) => animation.finished));
  const style = getComputedStyle(el);
  const rings = [];
  if (style.outlineStyle !== "none") {
    rings.push({colour: style.outlineColor, width: parseFloat(style.outlineWidth)});
  }
  for (const shadow of style.boxShadow.split(/,(?![^(]*\\))/)) {
    const colour = (shadow.match(/rgba?\\([^)]*\\)/) || [null])[0];
    const lengths = shadow.replace(/rgba?\\([^)]*\\)/, "").match(/-?[\\d.]+px/g) || [];
    if (colour && lengths.length >= 4) rings.push({colour, width: parseFloat(lengths[3])});
  }
  return {tag: el.tagName, name: el.name || el.textContent.trim(), rings};
}"""


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of a CSS rgb()/rgba() colour, laid on white, against white."""
    parts = [float(p) for p in colour[colour.index("(") + 1 : -1].split(",")]
    red, green, blue = parts[:3]
    alpha = parts[3] if len(parts) == 4 else 1.0
    channels = [alpha * c + (1 - alpha) * 255 for c in (red, green, blue)]

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * linear(channels[0]) + 0.7152 * linear(channels[1]) + 0.0722 * linear(channels[2])
    )
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize(
    ("path", "control"),
    [
        ("/iris/complaints/new/", "main input[type=text]:visible"),
        ("/iris/complaints/new/", "main textarea:visible"),
        ("/iris/complaints/new/", "main select:visible"),
        ("/iris/complaints/new/", "main input[type=checkbox]:visible"),
        ("/iris/complaints/new/", "main input[type=radio]:visible"),
        ("/", ".site-menu-list .nav-link"),
        ("/", "main a"),
        ("/iris/complaints/new/", "main button[type=submit]"),
    ],
)
def test_every_kind_of_control_shows_a_strong_focus_ring(new_page, path, control):
    page = new_page(viewport=LAPTOP)
    page.goto(path)
    target = page.locator(control).first
    # Reached with the keyboard, as a person who cannot use a mouse does.
    target.evaluate("(el) => { el.setAttribute('data-target', ''); }")
    page.keyboard.press("Tab")
    for _ in range(200):
        if page.evaluate("document.activeElement.hasAttribute('data-target')"):
            break
        page.keyboard.press("Tab")
    seen = page.evaluate(RING)
    strong = [
        ring
        for ring in seen["rings"]
        if ring["width"] >= 2 and contrast_with_white(ring["colour"]) >= 3
    ]
    assert strong, f"{seen['tag']} {seen['name']!r}: no ring of 3:1 against white: {seen['rings']}"
