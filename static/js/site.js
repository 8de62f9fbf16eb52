// Small enhancements; every page works without them.
document.documentElement.classList.replace("no-js", "js");

// Language switcher: a language chosen with the mouse, or in the opened list, switches at once.
// Keys on the closed list (arrows, Home, End, a letter) change its value too, each with a change
// event dispatched within the key's own task: those only move through the languages, and show
// the Switch button; Enter (or the button) switches.
let keyedField = null;
document.addEventListener("keydown", (event) => {
  const field = event.target.closest && event.target.closest("[data-autosubmit]");
  if (!field || !field.form || event.key === "Tab") return;
  if (event.key === "Enter") {
    event.preventDefault();
    const changed = Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
    if (changed) field.form.requestSubmit();
    return;
  }
  keyedField = field;
  setTimeout(() => { if (keyedField === field) keyedField = null; });
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (!field || !field.form) return;
  if (field === keyedField) {
    field.form.querySelectorAll(".js-hide").forEach((shown) => shown.classList.remove("js-hide"));
    return;
  }
  field.form.requestSubmit();
});

// The language switcher comes back to the page as it is now: a preview or filter that htmx
// put in the address (hx-push-url) since the page was loaded is kept, not the loaded address.
document.addEventListener("submit", (event) => {
  const next = event.target.matches(".lang-form") && event.target.elements.namedItem("next");
  if (next) next.value = window.location.pathname + window.location.search;
});

// Printing shows what folded-away details hold, then folds them back.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = Array.from(document.querySelectorAll("details:not([open])"));
  openedForPrint.forEach((details) => details.setAttribute("open", ""));
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((details) => details.removeAttribute("open"));
  openedForPrint = [];
});

// Filter forms leave their empty fields out of the address, so a shared link reads clean.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-clean-query]") || form.method.toLowerCase() !== "get") return;
  form.querySelectorAll("input, select").forEach((field) => {
    if (field.name && !field.value && !field.disabled) {
      field.disabled = true;
      setTimeout(() => { field.disabled = false; });
    }
  });
});

// A region htmx replaces while the reader may be in it ([data-keep-place]: the gap report, which
// refreshes itself while a worker recomputes it) keeps their place: the control they were on has
// the focus again after the swap, and what they had unfolded stays open. An element is found
// again by its id; else, within its nearest ancestor with an id, by what it is (tag, address,
// text) and which of the alike ones it was; else as the same nth element of its kind there.
let keptPlace = null;

function placeKey(element, region) {
  let anchor = element.id ? element : element.parentElement.closest("[id]");
  if (!anchor || !region.contains(anchor)) anchor = region;
  const kinds = Array.from(anchor.querySelectorAll(element.localName));
  const signature = placeSignature(element);
  return {
    anchor: anchor.id,
    self: anchor === element,
    tag: element.localName,
    signature,
    alike: kinds.filter((kind) => placeSignature(kind) === signature).indexOf(element),
    nth: kinds.indexOf(element),
  };
}

function placeSignature(element) {
  const text = element.textContent.replace(/\s+/g, " ").trim();
  return [element.getAttribute("href") || "", element.getAttribute("name") || "", text].join("\n");
}

function placeFind(key, region) {
  const anchor = key.anchor === region.id ? region : region.querySelector(`#${CSS.escape(key.anchor)}`);
  if (key.self) return anchor;
  const kinds = Array.from((anchor || region).querySelectorAll(key.tag));
  const alike = kinds.filter((kind) => placeSignature(kind) === key.signature);
  return alike[key.alike] || (anchor ? kinds[key.nth] : null) || null;
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const region = event.detail.target;
  keptPlace = null;
  if (!event.detail.shouldSwap || !region || !region.id || !region.matches("[data-keep-place]")) return;
  const active = document.activeElement;
  keptPlace = {
    region: region.id,
    focus: active && active !== region && region.contains(active) ? placeKey(active, region) : null,
    open: Array.from(region.querySelectorAll("details[open]"), (details) => placeKey(details, region)),
  };
});

document.addEventListener("htmx:afterSwap", () => {
  const place = keptPlace;
  keptPlace = null;
  const region = place && document.getElementById(place.region);
  if (!region) return;
  place.open.forEach((key) => {
    const details = placeFind(key, region);
    if (details && details.localName === "details") details.open = true;
  });
  if (!place.focus || region.contains(document.activeElement)) return;
  let target = placeFind(place.focus, region);
  if (!target || target.closest("details:not([open]) > :not(summary)")) {
    // Gone from the new report: the report itself, rather than the page, holds the focus.
    region.setAttribute("tabindex", "-1");
    target = region;
  }
  target.focus({ preventScroll: true });
});

// The gap report polls while its stored report is out of date (data-hx-trigger="every Ns"), as
// often as the server says: each "nothing new" answer (204) names the interval in its HX-Trigger
// header (gap-report-poll), longer the longer the report has waited, so that a page left open
// while no worker runs does not ask every second (curricula.views.programmes.
// programme_gaps_fragment). htmx reads a trigger once: it is changed, and the report processed
// again, after the answer's handling is over.
document.addEventListener("gap-report-poll", (event) => {
  const region = event.target instanceof Element ? event.target.closest("#gap-report") : null;
  const seconds = Math.round(Number(event.detail && event.detail.seconds));
  if (!region || !(seconds >= 1 && seconds <= 300)) return;
  const trigger = `every ${seconds}s`;
  if (region.getAttribute("data-hx-trigger") === trigger) return;
  setTimeout(() => {
    if (!region.isConnected || !region.hasAttribute("data-hx-get") || !window.htmx) return;
    region.setAttribute("data-hx-trigger", trigger);
    window.htmx.process(region);
  });
});

// A suggestion job's panel ([data-review-job]) asks how its job is getting on. While the task
// queue's result store is out of reach the answer is a 503 saying so (the job is not over, so
// the polling goes on): htmx swaps no error answer by itself, and the status line kept its last
// text as if all were well. That one answer, for the panel only, is swapped like any other.
document.addEventListener("htmx:beforeSwap", (event) => {
  const elt = event.detail.elt;
  if (event.detail.xhr.status !== 503 || !elt || !elt.closest) return;
  if (!elt.closest("[data-review-job]")) return;
  event.detail.shouldSwap = true;
  event.detail.isError = false;
});

// Pages show times in the reader's time zone (core.times): the browser's, said once in a cookie
// the next page is rendered with, and again only when it changes (a laptop taken abroad). A
// zone chosen on the time zone page comes first; without this script, the site's zone.
(() => {
  const name = "browser_time_zone";
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return;
  const sent = document.cookie.split("; ").find((cookie) => cookie.startsWith(`${name}=`));
  if (sent === `${name}=${zone}`) return;
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${name}=${zone}; path=/; max-age=31536000; samesite=lax${secure}`;
})();
