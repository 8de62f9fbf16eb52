// The review queue's keys (documented on the page). Every key presses a button or sets a field
// of the plain form, so what the keyboard does is exactly what a click does; without this script
// the form works by clicks alone.
(() => {
  let current = 0;

  const queue = () => document.querySelector("[data-review]");
  const items = () => Array.from(document.querySelectorAll("[data-suggestion]"));

  function focusItem(index) {
    const all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => item.classList.toggle("is-current", i === current));
    all[current].setAttribute("aria-current", "true");
    all.forEach((item, i) => { if (i !== current) item.removeAttribute("aria-current"); });
    all[current].focus({ preventScroll: false });
  }

  function press(selector) {
    const item = items()[current];
    const button = item && item.querySelector(selector);
    if (!button) return;
    // A key pressed right after htmx swapped the queue in can reach the new form before htmx
    // has bound it, and the click would then submit the whole page: bind it first (idempotent).
    if (window.htmx && button.form) window.htmx.process(button.form);
    button.click();
  }

  function setLevel(code) {
    const item = items()[current];
    const select = item && item.querySelector("[data-level]");
    if (select) select.value = code;
  }

  document.addEventListener("keydown", (event) => {
    if (!queue() || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.matches("input[type=text], input[type=search], textarea, select")) return;
    const key = event.key;
    const actions = {
      j: () => focusItem(current + 1),
      ArrowDown: () => focusItem(current + 1),
      k: () => focusItem(current - 1),
      ArrowUp: () => focusItem(current - 1),
      a: () => press('[data-action="accept"]'),
      x: () => press('[data-action="reject"]'),
      s: () => press('[data-action="skip"]'),
      i: () => setLevel("I"),
      r: () => setLevel("R"),
      m: () => setLevel("M"),
      " ": () => {
        const box = items()[current] && items()[current].querySelector("[data-select]");
        if (box) box.checked = !box.checked;
      },
      b: () => {
        const button = document.querySelector("[data-bulk-accept]");
        if (button) button.click();
      },
    };
    if (!(key in actions)) return;
    event.preventDefault();
    actions[key]();
  });

  // After htmx swaps the queue in, keep the cursor at the same place in the list.
  document.addEventListener("htmx:afterSwap", () => focusItem(current));
  document.addEventListener("DOMContentLoaded", () => focusItem(0));
})();
