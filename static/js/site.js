// Small enhancements; every page works without them.
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("change", (event) => {
  // Language switcher: submit as soon as a language is chosen.
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
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
