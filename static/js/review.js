// The review queue's keys (documented on the page). Every key presses a button or sets a field
// of the plain form, so what the keyboard does is exactly what a click does; without this script
// the form works by clicks alone.
(() => {
  let current = 0;
  let deciding = false;

  const queue = () => document.querySelector("[data-review]");
  const items = () => Array.from(document.querySelectorAll("[data-suggestion]"));
  // Where the focus goes when no suggestion is left to hold it.
  const resting = () => document.querySelector("[data-review-empty]");

  function mark(index) {
    const all = items();
    if (!all.length) return null;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => {
      item.classList.toggle("is-current", i === current);
      if (i === current) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    });
    return all[current];
  }

  function focusItem(index) {
    const item = mark(index);
    if (item) {
      item.focus({ preventScroll: false });
      return;
    }
    const empty = resting();
    if (empty) empty.focus();
  }

  function click(button) {
    if (!button) return;
    // A decision still on its way: a key pressed again would send it again (and binding the
    // form anew, below, would make htmx forget the request it has in flight).
    if (deciding) return;
    const form = button.form;
    // A key pressed right after htmx swapped the queue in can reach the new form before htmx
    // has bound it, and the click would then submit the whole page: bind it first.
    if (window.htmx && form) window.htmx.process(form);
    button.click();
  }

  function press(selector) {
    const item = items()[current];
    click(item && item.querySelector(selector));
  }

  function setLevel(code) {
    const item = items()[current];
    const select = item && item.querySelector("[data-level]");
    if (select) select.value = code;
  }

  // A position's suggestion: what its requirement will be (the select is on that page only).
  function setImportance(value) {
    const item = items()[current];
    const select = item && item.querySelector("[data-importance]");
    if (select) select.value = value;
  }

  // While a decision's answer is swapped in: htmx then gives the focus back to the element
  // holding the focused one's id, and a skipped suggestion keeps its id at the queue's end.
  let swapping = false;

  // Tab or a click into a suggestion moves the cursor there: the keys act where the focus is.
  // (Not the focus htmx restores during a swap: after a skip the cursor stays in its place,
  // on the next suggestion, instead of following the skipped one to the end.)
  document.addEventListener("focusin", (event) => {
    if (swapping) return;
    const item = event.target.closest && event.target.closest("[data-suggestion]");
    if (item) mark(items().indexOf(item));
  });

  // Controls whose keys are their own: every <input> but the buttons, boxes and pickers among
  // them (its type as the browser reads it: no type, or one it does not know, is text), text
  // areas, selects, and anything editable (contenteditable, where the target may be an element
  // inside the region). Listing text and search inputs alone let an email, number or date field
  // lose its letters to the keys.
  const NOT_TYPED_INTO = new Set(["button", "submit", "reset", "image", "checkbox", "radio"]);
  function typedInto(element) {
    if (!(element instanceof Element)) return false;
    if (element.isContentEditable) return true;
    if (element instanceof HTMLInputElement) return !NOT_TYPED_INTO.has(element.type);
    return element.matches("textarea, select");
  }

  // The one-letter keys (and space) can be turned off (WCAG 2.1.4): speech input types a word
  // it does not know as its letters, each of which would decide a suggestion. The choice is
  // kept in this browser; the arrow keys and the buttons work either way.
  const LETTERS_OFF = "review-letter-keys-off";
  const lettersSwitch = () => document.querySelector("[data-review-letter-keys]");
  const lettersOn = () => !lettersSwitch() || lettersSwitch().checked;
  function storeLetters(on) {
    try {
      if (on) localStorage.removeItem(LETTERS_OFF);
      else localStorage.setItem(LETTERS_OFF, "1");
    } catch (error) {
      // Storage refused (a private window's quota, a policy): the switch holds for this page.
    }
  }
  if (lettersSwitch()) {
    try {
      lettersSwitch().checked = localStorage.getItem(LETTERS_OFF) !== "1";
    } catch (error) {
      // As above: the keys stay on.
    }
  }
  document.addEventListener("change", (event) => {
    if (event.target === lettersSwitch()) storeLetters(event.target.checked);
  });

  document.addEventListener("keydown", (event) => {
    if (!queue() || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (typedInto(target)) return;
    if (event.key.length === 1 && !lettersOn()) return;
    // The arrows scroll the page wherever the focus is outside the queue (its top, the keys'
    // help): they move through the suggestions only from within it. j and k reach it from
    // anywhere.
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !queue().contains(target)) {
      return;
    }
    // A letter in either case: with Caps Lock on, or Shift held, the browser reports "A".
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    // Space on a button, link, checkbox or summary does what it does without the script.
    if (key === " " && target.closest("button, a, summary, input")) return;
    const actions = {
      j: () => focusItem(current + 1),
      ArrowDown: () => focusItem(current + 1),
      k: () => focusItem(current - 1),
      ArrowUp: () => focusItem(current - 1),
      a: () => press('[data-action="accept"]'),
      x: () => press('[data-action="reject"]'),
      s: () => press('[data-action="skip"]'),
      e: () => setImportance("essential"),
      o: () => setImportance("optional"),
      " ": () => {
        const box = items()[current] && items()[current].querySelector("[data-select]");
        if (box) box.checked = !box.checked;
      },
      b: () => click(document.querySelector("[data-bulk-accept]")),
    };
    // Each level by its code's letter, as the page lists them (the site's scale, not I, R
    // and M): the server gives only codes whose key is free.
    const keys = document.querySelector("[data-level-keys]");
    for (const code of keys ? keys.dataset.levelKeys.split(" ").filter(Boolean) : []) {
      actions[code.toLowerCase()] = () => setLevel(code);
    }
    if (!(key in actions)) return;
    event.preventDefault();
    actions[key]();
  });

  // The suggestion a decision is about (its own accept, reject or skip), or null for a bulk
  // accept, which decides the selected ones.
  let subject = null;
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest && event.target.closest("[data-review] button");
      if (!button) return;
      const item = button.closest("[data-suggestion]");
      subject = item ? item.dataset.suggestion : null;
    },
    true,
  );

  // The queue as it was when a decision left: after its answer, the cursor goes to the
  // suggestion it was on, unless that one was decided, else to the first one after it still
  // waiting. Keeping its place by number instead skipped one suggestion for each decided above
  // it (a bulk accept of the current one and those before it).
  let before = null;
  function resumeAt() {
    if (!before) return current;
    const now = items().map((item) => item.dataset.suggestion);
    const from = before.order.indexOf(before.at);
    const candidates = before.order.slice(from + 1);
    if (before.at !== before.subject) candidates.unshift(before.at);
    before = null;
    for (const id of candidates) {
      const index = now.indexOf(id);
      if (index >= 0) return index;
    }
    return current;
  }

  // Besides the queue's decisions, htmx polls the generation job (its panel never swaps itself:
  // its answers swap out of band). Only a decision holds the keys back. (When its answer has
  // swapped the queue out, htmx fires afterRequest on an ancestor, not on the form.)
  const polling = (elt) => Boolean(elt && elt.closest && elt.closest("[data-review-job]"));
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (polling(event.detail.elt)) return;
    deciding = true;
    const order = items().map((item) => item.dataset.suggestion);
    before = { order, at: order[current], subject };
    subject = null;
  });
  ["htmx:afterRequest", "htmx:sendError", "htmx:sendAbort", "htmx:timeout"].forEach((name) => {
    document.addEventListener(name, (event) => {
      if (!polling(event.detail.elt)) deciding = swapping = false;
    });
  });

  // A finished job brings the queue as it now is. A decision on its way will bring it too, and
  // its answer is swapped into the queue it was sent from: leave that one in place.
  let focusWasInQueue = false;
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "review-queue") {
      if (deciding) event.detail.shouldSwap = false;
      focusWasInQueue = event.detail.target.contains(document.activeElement);
    }
  });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    if (!event.target.matches || !event.target.matches("[data-review]")) return;
    // The cursor stays where it was in the list; the focus, when the swap took it away.
    if (focusWasInQueue) focusItem(current);
    else mark(current);
  });

  // A refused decision (422) answers the queue as it now is, saying why: swap it in. Any other
  // failure leaves the queue as it was and says so in the status line.
  const region = () => document.querySelector("[data-review-status]");
  function say(text) {
    const status = region();
    if (status && text) status.textContent = text;
  }
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    if (!polling(event.detail.elt)) swapping = event.detail.shouldSwap;
  });
  document.addEventListener("htmx:responseError", (event) => {
    if (polling(event.detail.elt)) return;  // the next poll asks again
    const xhr = event.detail.xhr;
    if (xhr.status === 422) return;
    const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
    const failed = (region() && region().dataset.failed) || "";
    say(plain && xhr.responseText ? xhr.responseText : failed.replace("{status}", xhr.status));
  });
  document.addEventListener("htmx:sendError", (event) => {
    if (!polling(event.detail.elt)) say(region() && region().dataset.unreachable);
  });

  // After htmx swaps the queue in, keep the cursor at the same place in the list.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (polling(event.detail.elt)) return;
    swapping = false;
    focusItem(resumeAt());
  });
  // htmx then settles the new elements' classes back to the server's, wiping the mark (after a
  // decision, or a finished job's new queue).
  document.addEventListener("htmx:afterSettle", () => mark(current));
  // On load the first suggestion is only marked, the keys' cursor: the focus stays where the
  // browser puts it, so a screen reader starts at the heading and the keys' instructions. A key
  // (j, k, a decision) moves the focus into the list.
  document.addEventListener("DOMContentLoaded", () => mark(0));
})();
