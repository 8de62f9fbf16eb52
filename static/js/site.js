// Small enhancements; every page works without them.
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("change", (event) => {
  // Language switcher: submit as soon as a language is chosen.
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});
