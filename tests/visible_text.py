"""What a person on a phone sees on a Playwright page: English words left in it, controls
pushed outside the screen's width, controls too small to tap. Shared by the browser tests
of the admin and the shop; each returns a list to compare with [] (it names what it found).

An English word is an ASCII word in pyspellchecker's English dictionary (or two of its
words run together, "autosave") that could not be a Vietnamese syllable written without
diacritics ("cho", "tin", "hang" stay Vietnamese)."""

import re
from functools import cache

from spellchecker import SpellChecker

# Names and codes a Vietnamese screen writes as they are.
ALLOWLIST = frozenset(
    [
        "sku",
        "qr",
        "ocop",
        "zalo",
        "vietgap",
        "globalgap",
        "vnd",
        "email",
        "shopee",
        "lazada",
        "tiktok",
        "wagtail",
        "ok",
        "id",
        "url",
        "api",
        "csv",
        "xlsx",
        "json",
        "pdf",
        "jpeg",
        "jpg",
        "png",
        "webp",
        "gif",
        "heic",
        "kg",
        "web",  # "trang web"
        "menu",  # as Vietnamese says it
        "javascript",
    ]
)
# Valid Vietnamese spellings that, alone and without diacritics, are English on a screen.
ENGLISH_ONLY = frozenset(["the", "at", "it", "by", "on", "go", "of"])
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx]|"
_NUCLEUS = (
    "oai|oay|oao|oeo|uai|uay|uoi|uou|uya|uye|uyu|ieu|yeu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|"
    "oi|oo|ua|ue|ui|uo|uu|uy|ye|[aeiouy]"
)
SYLLABLE = re.compile(rf"(?:{_ONSET})(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?")
WORD = re.compile(r"[^\W\d_]+")
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, [role=button]"

# Text nodes a person can see: rendered, not transparent, not inside 1 px screen-reader text.
_VISIBLE_TEXT_JS = """() => {
  const clipped = (el) => {
    for (let up = el; up; up = up.parentElement) {
      const box = up.getBoundingClientRect();
      if ((box.width <= 1 || box.height <= 1) && getComputedStyle(up).overflow !== "visible") {
        return true;
      }
    }
    return false;
  };
  const seen = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && [...el.getClientRects()].some((r) => r.width > 1 && r.height > 1) && !clipped(el);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (el && !el.closest("script, style, noscript, template") && seen(el)) {
      texts.push(walker.currentNode.textContent);
    }
  }
  for (const el of document.querySelectorAll("[placeholder], input[type=submit][value]")) {
    if (seen(el)) texts.push(el.getAttribute("placeholder") || el.value);
  }
  return texts.join(" ");
}"""

# Visible controls and their boxes; a checkbox or radio counts with its label (the tap area).
_CONTROLS_JS = """(selector) => [...document.querySelectorAll(selector)].flatMap((el) => {
  if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return [];
  const box = (el.type === "checkbox" || el.type === "radio") && el.labels?.length
    ? el.labels[0].getBoundingClientRect() : el.getBoundingClientRect();
  if (box.width <= 1 || box.height <= 1) return [];
  const inline = el.tagName === "A" && getComputedStyle(el).display === "inline";
  const name = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "")
    .trim().replace(/\\s+/g, " ").slice(0, 40);
  return [{tag: el.tagName.toLowerCase(), name, inline, x: box.left, width: box.width,
           height: box.height}];
})"""


@cache
def _dictionary() -> SpellChecker:
    return SpellChecker(language="en")


def is_english(word: str) -> bool:
    word = word.lower()
    if word in ENGLISH_ONLY:
        return True
    if len(word) < 2 or word in ALLOWLIST or SYLLABLE.fullmatch(word):
        return False
    known = _dictionary().word_frequency.dictionary
    if word in known:
        return True
    return any(word[:cut] in known and word[cut:] in known for cut in range(3, len(word) - 2))


def english_words(page, allowlist: frozenset[str] = frozenset()) -> list[str]:
    """The English words visible on the page, each once, in the order they first appear."""
    text = page.evaluate(_VISIBLE_TEXT_JS)
    allowed = {word.lower() for word in allowlist}
    found = [w for w in WORD.findall(text) if w.isascii() and w.lower() not in allowed]
    return list(dict.fromkeys(w for w in found if is_english(w)))


def _describe(control: dict) -> str:
    box = f"x={control['x']:.0f} {control['width']:.0f}×{control['height']:.0f}"
    return f"{control['tag']} '{control['name']}' {box}"


def outside_viewport(page) -> list[str]:
    """Visible controls not wholly within the screen's width (a sideways scroll away)."""
    width = page.viewport_size["width"]
    return [
        _describe(c)
        for c in page.evaluate(_CONTROLS_JS, CONTROLS)
        if c["x"] < 0 or c["x"] + c["width"] > width + 0.5
    ]


def small_tap_targets(page, minimum: int = 44, selector: str = CONTROLS) -> list[str]:
    """Visible controls under `minimum` CSS px high or wide. Links inside running text are
    left out (they are read, then tapped with the sentence around them)."""
    return [
        _describe(c)
        for c in page.evaluate(_CONTROLS_JS, selector)
        if not c["inline"] and min(c["height"], c["width"]) < minimum - 0.5  # sub-pixel layout
    ]
