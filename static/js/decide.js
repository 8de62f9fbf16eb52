// The decide page's what-if form: more cell-change rows without a round trip, and the preview
// brought into view and focused when it is asked for (the Preview button), not on every tick.
// Without JavaScript the add button asks the server for one more row, and the form's address
// ends at the preview.
(() => {
  const form = document.querySelector("[data-what-if-form]");
  if (!form) return;
  const cells = form.querySelector("[data-what-if-cells]");
  let rows = cells.querySelectorAll("[data-what-if-cell]").length;

  form.querySelector("[data-add-cell]")?.addEventListener("click", (event) => {
    event.preventDefault();
    const all = cells.querySelectorAll("[data-what-if-cell]");
    const row = all[all.length - 1].cloneNode(true);
    rows += 1;
    row.querySelectorAll("select").forEach((select) => {
      const label = row.querySelector(`label[for="${select.id}"]`);
      select.id = `${select.id.replace(/-\d+$/, "")}-${rows}`;
      if (label) label.htmlFor = select.id;
      select.selectedIndex = 0;
    });
    markRow(row, null);  // a copy of a refused row is a new, empty one
    cells.appendChild(row);
    row.querySelector("select").focus();
  });

  // A refused cell row's selects are marked invalid and described by its messages, said beside
  // it (the server writes them so on a page it answers whole).
  function markRow(row, errors) {
    row.querySelector("[data-cell-errors]")?.remove();
    const selects = row.querySelectorAll("select");
    if (!errors) {
      selects.forEach((select) => {
        select.removeAttribute("aria-invalid");
        select.removeAttribute("aria-describedby");
      });
      return;
    }
    const list = document.importNode(errors, true);
    list.id = `cell-errors-${selects[0].id.replace(/^.*-/, "")}`;
    row.appendChild(list);
    selects.forEach((select) => {
      select.setAttribute("aria-invalid", "true");
      select.setAttribute("aria-describedby", list.id);
    });
  }

  // A preview answers the whole page but swaps in only its result, so what it says about a cell
  // row would stay in the preview's list alone: each row takes its messages from the answer
  // (whose rows are those with a level chosen, in order, then empty ones), or loses its old ones.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target?.id !== "what-if-result" || !event.detail.shouldSwap) return;
    const answer = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
    const answered = answer.querySelectorAll("[data-what-if-cells] [data-what-if-cell]");
    let shown = 0;
    cells.querySelectorAll("[data-what-if-cell]").forEach((row) => {
      const level = row.querySelector('select[name="cell_level"]');
      const from = level && level.value ? answered[shown++] : null;
      markRow(row, (from && from.querySelector("[data-cell-errors]")) || null);
    });
  });

  // Enter in the course search only searches: the list follows the typing already, and a
  // preview asked for would take the focus away from the search.
  form.querySelector("#what-if-course-q")?.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  // A tick far from the preview (a phone, where it follows the whole form) shows a small link
  // to it at the bottom of the screen instead of moving the page away from the form.
  const jump = document.querySelector("[data-what-if-jump]");
  const inView = (element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.top <= window.innerHeight * 0.6;
  };
  const hideJump = () => { if (jump) jump.hidden = true; };
  jump?.addEventListener("click", hideJump);
  window.addEventListener("scroll", () => {
    const result = document.getElementById("what-if-result");
    if (jump && !jump.hidden && result && result.getBoundingClientRect().top < window.innerHeight) {
      hideJump();
    }
  }, { passive: true });

  let asked = false;
  form.addEventListener("submit", () => { asked = true; });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    // Only a new preview: a search of the catalogue changes none.
    const result = document.getElementById("what-if-result");
    if (!result || !result.contains(event.target)) return;
    if (!asked) {
      if (jump) jump.hidden = result.getBoundingClientRect().top < window.innerHeight;
      return;
    }
    asked = false;
    hideJump();
    if (!inView(result)) result.scrollIntoView({ block: "start" });
    result.focus({ preventScroll: true });
  });
})();
