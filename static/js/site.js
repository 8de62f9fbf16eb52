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
