// The curriculum map's keyboard grid, cell panel and editor, and the position page's cell
// details. Everything here is an enhancement: without it, each row of the map links to its own
// page (details and a plain edit form) and each level on the position page links to its details.
//
// Nothing is written until an explicit save: arrow keys only move, Enter (or Save) in the cell
// editor writes, a pasted block is previewed first. Each save answers with the changed rows, the
// gap report and a "Saved · Undo" status, swapped in place.
(function () {
  "use strict";

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });

  const grid = document.querySelector("table[data-grid]");
  const panel = document.getElementById("map-panel");
  if (!grid || !panel) return;
  const panelBody = panel.querySelector(".map-panel__body");
  const editable = grid.hasAttribute("data-editable");
  const canAdd = grid.hasAttribute("data-can-add"); // editors who may add links
  const canClear = grid.hasAttribute("data-can-clear"); // editors who may delete links
  const isMap = grid.id === "curriculum-map";
  const status = document.getElementById("map-status");
  const selectionText = document.getElementById("map-selection");
  const levelCodes = Array.from(document.querySelectorAll("[data-map-level]"))
    .map((button) => button.dataset.mapLevel)
    .filter(Boolean);

  let active = { r: 0, c: 0 };
  let anchor = null; // where a block selection started
  let selection = null; // {r0, r1, c0, c1}, inclusive
  let lastFocus = null;

  // --- The grid ----------------------------------------------------------------------------

  const rows = () => Array.from(grid.querySelectorAll("tbody tr.map-row"));
  const cellsOf = (row) => Array.from(row.querySelectorAll("td.level-cell"));
  const columnIds = () =>
    Array.from(grid.querySelectorAll("thead th[data-course]")).map((th) => th.dataset.course);

  function cellAt(r, c) {
    const row = rows()[r];
    return row ? cellsOf(row)[c] || null : null;
  }

  function positionOf(td) {
    const row = td.closest("tr.map-row");
    return { r: rows().indexOf(row), c: cellsOf(row).indexOf(td) };
  }

  function size() {
    const all = rows();
    return { rows: all.length, cols: all.length ? cellsOf(all[0]).length : 0 };
  }

  function init() {
    // One tab stop: links inside the grid leave the tab order, the active cell holds it.
    grid.querySelectorAll("a").forEach((link) => link.setAttribute("tabindex", "-1"));
    grid.setAttribute("role", "grid");
    if (editable) grid.setAttribute("aria-multiselectable", "true");
    // A reader who may not edit meets a grid with nothing to edit, not one announced as editable.
    else grid.setAttribute("aria-readonly", "true");
    nameCells();
    indexGrid();
    const first = cellAt(0, 0);
    if (first) first.tabIndex = 0;
    fitStickyColumns();
    window.addEventListener("resize", fitStickyColumns);
    const scroller = grid.closest(".map-scroll");
    if (scroller) scroller.addEventListener("scroll", hideSliversSoon, { passive: true });
    hideSliversSoon();
  }

  // The fixed columns stand where the stylesheet's widths put them: Reached at the ability's and
  // Required's. A Required column wider than its width (its heading in capitals) was partly
  // covered by Reached as the map scrolled sideways: it is measured as drawn, at each size.
  function fitStickyColumns() {
    const required = grid.querySelector("thead .col-required");
    if (!required) return;
    grid.style.removeProperty("--required-w");
    grid.style.setProperty("--required-w", `${required.getBoundingClientRect().width}px`);
    hideSliversSoon();
  }

  // Scrolled sideways, a column stands partly under the fixed columns: a sliver of its text
  // beside Reached ("te", "专员" of Required by) read as part of the fixed columns. While a
  // column is partly under them its text is not drawn (map-under); its cells' colours still
  // show. The body's columns are found by their place in the first row, the header's by their
  // own boxes (course heads, Required by).
  let slivers = new Set();
  let sliverFrame = 0;
  function hideSliversSoon() {
    if (!sliverFrame) sliverFrame = requestAnimationFrame(hideSlivers);
  }

  function hideSlivers() {
    sliverFrame = 0;
    const first = grid.querySelector("tbody tr.map-row");
    if (!first) return;
    const cells = Array.from(first.children);
    const fixed = cells.filter((cell) => getComputedStyle(cell).position === "sticky");
    const edge = Math.max(...fixed.map((cell) => cell.getBoundingClientRect().right));
    const straddles = (cell) => {
      const box = cell.getBoundingClientRect();
      return box.width > 0 && box.left < edge - 0.5 && box.right > edge + 0.5;
    };
    const under = new Set();
    cells.forEach((cell, i) => {
      if (!fixed.includes(cell) && straddles(cell)) under.add(i);
    });
    const changed = [...new Set([...slivers, ...under])];
    if (changed.length) {
      rows().forEach((row) => {
        changed.forEach((i) => row.children[i]?.classList.toggle("map-under", under.has(i)));
      });
    }
    slivers = under;
    grid.querySelectorAll("thead .course-head, thead .col-required-by").forEach((th) => {
      th.classList.toggle("map-under", straddles(th));
    });
  }

  // The map's cells named for a screen reader: its level's name, course and ability ("Mastered,
  // course DAT1, ability D1.2"). A cell's text is only a code ("M"), or nothing, which the
  // stylesheet shows as a dot; the name says what it is as the cell is reached.
  const cellName = isMap ? grid.dataset.cellName || "" : "";
  const levelNames = (() => {
    const node = document.getElementById("map-level-names");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  })();

  function nameCells() {
    if (!cellName) return;
    const courses = Array.from(grid.querySelectorAll("thead th[data-course]"), (th) =>
      (th.querySelector(".code") || th).textContent.trim());
    rows().forEach((row) => {
      const head = row.querySelector("th");
      const own = head && (head.querySelector(".code") || head.querySelector(".ability-text"));
      const ability = own ? own.textContent.trim() : "";
      cellsOf(row).forEach((td, c) => {
        const level = levelOf(td);
        const name = Object.hasOwn(levelNames, level) ? levelNames[level] : level;
        // Replaced by functions: a "$&" in a name is text, not a replacement pattern.
        td.setAttribute("aria-label", cellName
          .replace("%(level)s", () => name)
          .replace("%(course)s", () => courses[c] || "")
          .replace("%(ability)s", () => ability));
      });
    });
  }

  // A map shown a slice at a time (40 courses, 50 abilities) tells a screen reader each cell's
  // place in the whole view's grid, not the slice's: the first course of the second slice is
  // "column 44 of 53", not "4 of 13"; the first ability of the next, past every row before it.
  function indexGrid() {
    const data = grid.dataset;
    if (data.columnCount) {
      // Where each cell stands, spans from the rows above counted (the header's two rows).
      const slots = new Map();
      const taken = [];
      Array.from(grid.rows).forEach((tr, r) => {
        let slot = 0;
        Array.from(tr.cells).forEach((cell) => {
          while (taken[r] && taken[r][slot]) slot += 1;
          slots.set(cell, slot);
          for (let down = 1; down < cell.rowSpan; down += 1) {
            taken[r + down] = taken[r + down] || [];
            for (let across = 0; across < cell.colSpan; across += 1) {
              taken[r + down][slot + across] = true;
            }
          }
          slot += cell.colSpan;
        });
      });
      const firstCourse = slots.get(grid.querySelector("thead th[data-course]"));
      const before = Number(data.columnStart) || 0; // the earlier slices' courses
      grid.setAttribute("aria-colcount", data.columnCount);
      slots.forEach((slot, cell) => cell.setAttribute(
        "aria-colindex", String(slot < firstCourse ? slot + 1 : slot + before + 1)));
    }
    if (data.areaSizes !== undefined && data.rowStart !== undefined) {
      // The whole grid: the header's rows, then each area's heading and its abilities.
      const sizes = data.areaSizes.split(/\s+/).filter(Boolean).map(Number);
      const head = grid.tHead ? grid.tHead.rows.length : 0;
      const total = sizes.reduce((sum, size) => sum + size, 0);
      grid.setAttribute("aria-rowcount", String(head + sizes.length + total));
      const headings = [];
      let at = head;
      sizes.forEach((size) => {
        headings.push(at + 1);
        at += 1 + size;
      });
      const areaOf = (index) => {
        let area = 0;
        let seen = 0;
        while (area < sizes.length - 1 && index >= seen + sizes[area]) {
          seen += sizes[area];
          area += 1;
        }
        return area;
      };
      if (grid.tHead) {
        Array.from(grid.tHead.rows).forEach((tr, i) => tr.setAttribute("aria-rowindex", i + 1));
      }
      let index = Number(data.rowStart) || 0; // the view's row, counted from its first
      Array.from(grid.tBodies).forEach((tbody) => {
        // An area's heading atop a slice it goes on into stands where the area's one heading does.
        const area = areaOf(index);
        Array.from(tbody.rows).forEach((tr) => {
          if (tr.classList.contains("map-row")) {
            tr.setAttribute("aria-rowindex", String(head + areaOf(index) + index + 2));
            index += 1;
          } else {
            tr.setAttribute("aria-rowindex", String(headings[area]));
          }
        });
      });
    }
  }

  // The map's header rows and first three columns (ability, Required, Reached; the ability's
  // alone on a narrow screen) stay in view as its box scrolls. Focusing a cell scrolls it just
  // into the box, which going back left (or up) left it under them, the focus out of sight: the
  // box scrolls on until it is clear of them. So for whatever takes the focus in the map: the
  // grid's cell reached again with Tab, a course's head link a screen reader's cursor focuses.
  function fixedColumnsEdge() {
    const first = grid.querySelector("tbody tr.map-row");
    if (!first) return null;
    const fixed = Array.from(first.children).filter(isFixedColumn);
    return fixed.length ? Math.max(...fixed.map((cell) => cell.getBoundingClientRect().right)) : null;
  }

  function isFixedColumn(cell) {
    const style = getComputedStyle(cell);
    return style.position === "sticky" && style.left !== "auto";
  }

  function clearOfStickyParts(element) {
    const scroller = grid.closest(".map-scroll");
    const edge = fixedColumnsEdge();
    if (!scroller || edge === null) return;
    const box = element.getBoundingClientRect();
    // The whole column is brought clear, not only the link in its head: a column partly under
    // the fixed ones does not draw its text (hideSlivers).
    const cell = element.closest("th, td");
    if (cell && !isFixedColumn(cell)) {
      const column = cell.getBoundingClientRect();
      const left = edge - column.left;
      // The browser leaves a cell mostly in view where it is, its right part (and the focus
      // ring's) cut off by the box's edge: it scrolls on, as far as the fixed columns allow.
      const end = scroller.getBoundingClientRect().left + scroller.clientLeft + scroller.clientWidth;
      const right = Math.min(column.right - end, -left);
      if (left > 0) scroller.scrollLeft -= left;
      else if (right > 0) scroller.scrollLeft += right;
    }
    if (element.closest("thead")) return;
    const top = grid.tHead ? grid.tHead.getBoundingClientRect().bottom - box.top : 0;
    if (top > 0) scroller.scrollTop -= top;
  }

  // The browser scrolls what takes the focus into view after the focus event: the box is
  // brought clear of the fixed parts once it has.
  grid.addEventListener("focusin", (event) => {
    const element = event.target;
    requestAnimationFrame(() => {
      if (document.activeElement === element) clearOfStickyParts(element);
    });
  });

  function focusCell(r, c, { extend = false } = {}) {
    const { rows: height, cols: width } = size();
    if (!height || !width) return;
    r = Math.max(0, Math.min(height - 1, r));
    c = Math.max(0, Math.min(width - 1, c));
    // Moving on (an arrow key, a click elsewhere) drops the panel still on its way for the cell
    // left, as Escape does: it would open over the cell now in focus.
    if (r !== active.r || c !== active.c) abandonPanelRequest();
    const previous = cellAt(active.r, active.c);
    if (previous) previous.tabIndex = -1;
    if (extend && !anchor) anchor = { ...active };
    active = { r, c };
    const cell = cellAt(r, c);
    cell.tabIndex = 0;
    cell.focus();
    clearOfStickyParts(cell);
    if (extend) {
      setSelection(anchor, active);
    } else {
      anchor = null;
      setSelection(active, active);
    }
  }

  function setSelection(from, to) {
    selection = {
      r0: Math.min(from.r, to.r),
      r1: Math.max(from.r, to.r),
      c0: Math.min(from.c, to.c),
      c1: Math.max(from.c, to.c),
    };
    paintSelection();
  }

  function selectedCells() {
    if (!selection) return [cellAt(active.r, active.c)].filter(Boolean);
    const found = [];
    const all = rows();
    for (let r = selection.r0; r <= selection.r1; r++) {
      const cells = cellsOf(all[r]);
      for (let c = selection.c0; c <= selection.c1; c++) if (cells[c]) found.push(cells[c]);
    }
    return found;
  }

  function paintSelection() {
    grid.querySelectorAll("td.is-selected").forEach((td) => {
      td.classList.remove("is-selected");
      td.removeAttribute("aria-selected");
    });
    const chosen = selectedCells();
    if (chosen.length > 1) {
      chosen.forEach((td) => {
        td.classList.add("is-selected");
        td.setAttribute("aria-selected", "true");
      });
    }
    if (selectionText) {
      const data = selectionText.dataset;
      selectionText.textContent = chosen.length > 1
        ? data.template.replace("%(count)s", chosen.length)
        : chosen.length ? data.one : data.none;
    }
  }

  function idsOf(td) {
    const row = td.closest("tr.map-row");
    const c = cellsOf(row).indexOf(td);
    return { course: columnIds()[c], ability: row.dataset.ability };
  }

  function levelOf(td) {
    return td.textContent.trim();
  }

  function detailUrl(td) {
    if (td.dataset.detailUrl) return td.dataset.detailUrl;
    const own = td.querySelector("a[href]");
    if (own) return own.href;
    const rowLink = td.closest("tr").querySelector("th a[href]");
    if (!rowLink) return null;
    const url = new URL(rowLink.href);
    url.searchParams.set("course", idsOf(td).course);
    return url.toString();
  }

  grid.addEventListener("keydown", (event) => {
    const td = event.target.closest("td.level-cell");
    if (!td) return;
    const { r, c } = active;
    const shift = event.shiftKey;
    const ctrl = event.ctrlKey || event.metaKey;
    const moves = {
      ArrowUp: [r - 1, c],
      ArrowDown: [r + 1, c],
      ArrowLeft: [r, c - 1],
      ArrowRight: [r, c + 1],
      PageUp: [r - 10, c],
      PageDown: [r + 10, c],
      Home: ctrl ? [0, 0] : [r, 0],
      End: ctrl ? [size().rows - 1, size().cols - 1] : [r, size().cols - 1],
    };
    if (event.key in moves) {
      event.preventDefault();
      const [nr, nc] = moves[event.key];
      focusCell(nr, nc, { extend: shift && editable });
      return;
    }
    if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      if (editable && selectedCells().length > 1) openBulkEditor(null);
      else openCell(td, null);
      return;
    }
    if (event.key === "Escape") {
      abandonPanelRequest();
      anchor = null;
      setSelection(active, active);
      return;
    }
    if (!editable) return;
    if (event.key === " " && shift) {
      event.preventDefault();
      selectRow();
      return;
    }
    if (event.key === " " && ctrl) {
      event.preventDefault();
      selectColumn();
      return;
    }
    if ((event.key === "a" || event.key === "A") && ctrl) {
      event.preventDefault();
      anchor = { r: 0, c: 0 };
      setSelection(anchor, { r: size().rows - 1, c: size().cols - 1 });
      return;
    }
    // Ctrl+Z undoes the last save, Ctrl+Y or Ctrl+Shift+Z redoes it, as in the spreadsheet a
    // block was pasted from: the status's own Undo or Redo, when it offers that one.
    const letter = event.key.toLowerCase();
    if (ctrl && !event.altKey && (letter === "z" || letter === "y")) {
      event.preventDefault();
      // A preview or an editor open (or a preview on its way) holds levels read before the
      // save it would undo: undone behind it, its save was refused as changed by someone
      // else. The key cancels it, as its Cancel does; the next one undoes.
      if (cancelPending()) return;
      const wanted = letter === "y" || shift ? "redo" : "undo";
      const button = status && status.querySelector(`[data-map-undo="${wanted}"]`);
      if (button && button.form) button.form.requestSubmit();
      else {
        // An undo refused (its cells changed since) is offered no more: the key says why again.
        const refused = status && status.querySelector(".map-status__refused");
        if (refused) announce(refused, refused.textContent);
      }
      return;
    }
    if (ctrl || event.altKey) return;
    const typed = levelCodes.find((code) => code.toLowerCase() === event.key.toLowerCase());
    if (typed || event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      if (!typed && !canClear) {
        // Nothing that looks like clearing: the cell stays as it is, and the status says why.
        say(status && status.dataset.noClear);
        return;
      }
      if (typed && !canAdd && selectedCells().length <= 1 && !levelOf(td)) {
        // A level for an empty cell would add a link: the cell stays empty, and the status
        // says why.
        say(status && status.dataset.noAdd);
        return;
      }
      const level = typed || "";
      if (selectedCells().length > 1) openBulkEditor(level);
      else openCell(td, level);
    }
  });

  // Whether the cell pressed was already in focus before the press: pressing a cell focuses it
  // (the active cell holds the tab stop, every other cell tabindex -1), so by the click it always
  // is, and the first click on the first cell counted as one on the focused cell.
  let pressed = null; // {td, focused}
  let drag = null; // {from, moved}: the cell the mouse was pressed on, while it is held
  grid.addEventListener("mousedown", (event) => {
    const td = event.target.closest("td.level-cell");
    pressed = td ? { td, focused: document.activeElement === td } : null;
    const starts = td && editable && event.button === 0 && !event.shiftKey;
    drag = starts ? { from: td, moved: false } : null;
  });

  // Pressed on one cell and dragged over others, the mouse selects the block, as in a
  // spreadsheet (the browser selected the cells' text, and a level typed then set one cell).
  // The block starts at the cell pressed, whatever was selected before. Let go on another
  // cell, the click goes to the row or the table, not a cell: the block stays selected.
  grid.addEventListener("mouseover", (event) => {
    if (!drag) return;
    if (!(event.buttons & 1)) {
      drag = null;
      return;
    }
    const td = event.target.closest("td.level-cell");
    if (!td || (td === drag.from && !drag.moved)) return;
    window.getSelection().removeAllRanges();
    if (!drag.moved) {
      drag.moved = true;
      const from = positionOf(drag.from);
      focusCell(from.r, from.c);
    }
    const { r, c } = positionOf(td);
    focusCell(r, c, { extend: true });
  });
  document.addEventListener("mouseup", () => {
    drag = null;
  });

  grid.addEventListener("click", (event) => {
    const td = event.target.closest("td.level-cell");
    if (!td) return;
    const link = event.target.closest("a");
    if (link) event.preventDefault();
    const { r, c } = positionOf(td);
    // A click without a press (a script's, an assistive technology's) has only the focus now.
    const focused = pressed && pressed.td === td ? pressed.focused : document.activeElement === td;
    pressed = null;
    const wasActive = r === active.r && c === active.c && focused;
    focusCell(r, c, { extend: event.shiftKey && editable });
    // Readers open a cell with one click; editors select with the first, open with the second.
    if (!editable || wasActive || link) openCell(td, null);
  });

  grid.addEventListener("dblclick", (event) => {
    const td = event.target.closest("td.level-cell");
    if (td) openCell(td, null);
  });

  function selectRow() {
    anchor = { r: active.r, c: 0 };
    setSelection(anchor, { r: active.r, c: size().cols - 1 });
  }

  function selectColumn() {
    anchor = { r: 0, c: active.c };
    setSelection(anchor, { r: size().rows - 1, c: active.c });
  }

  // After the Select row or Select column button, the focus goes back to the active cell: a
  // level typed then sets the selection, as after Shift+Space (left on the button, the keys,
  // which act in the grid, did nothing).
  function backToTheGrid() {
    const cell = cellAt(active.r, active.c);
    if (cell) cell.focus({ preventScroll: true });
  }

  document.addEventListener("click", (event) => {
    const action = event.target.closest("[data-map-action]");
    if (action) {
      const name = action.dataset.mapAction;
      if (name === "close") closePanel();
      if (name === "select-row") selectRow();
      if (name === "select-column") selectColumn();
      if (name === "select-row" || name === "select-column") backToTheGrid();
      return;
    }
    const level = event.target.closest("[data-map-level]");
    if (level) openBulkEditor(level.dataset.mapLevel);
  });

  // --- The panel ---------------------------------------------------------------------------

  // A preview's summary (what it would write, what it leaves out, or that there is nothing to
  // save) describes the panel: a screen reader says it with the panel's name as the focus
  // enters, where it heard only "Preview of the pasted block, dialog".
  const PANEL_DESCRIPTIONS = ["map-panel-summary", "map-panel-nothing"];

  function showPanel(html) {
    panelBody.innerHTML = html;
    const described = PANEL_DESCRIPTIONS.filter((id) => panelBody.querySelector(`#${id}`));
    if (described.length) panel.setAttribute("aria-describedby", described.join(" "));
    else panel.removeAttribute("aria-describedby");
    panel.hidden = false;
    document.body.classList.add("has-map-panel");
    // The page has narrowed beside the panel (or, on a phone, it covers the page's lower part):
    // the cell it is about is brought back into sight.
    const cell = cellAt(active.r, active.c);
    if (cell) {
      cell.scrollIntoView({ block: "nearest", inline: "nearest" });
      clearOfStickyParts(cell);
      clearOfPanel(cell);
    }
  }

  // What has the focus outside the open panel is not left under it (WCAG 2.4.11): Shift+Tab
  // out of the panel goes back to the map's cell, Tab past its end to the page. Beside the page
  // the panel covers nothing (the stylesheet narrows the page); at the bottom of a phone's
  // screen the page scrolls the element above it.
  function clearOfPanel(element) {
    if (panel.hidden || !(element instanceof Element) || panel.contains(element)) return;
    const box = element.getBoundingClientRect();
    const cover = panel.getBoundingClientRect();
    const under = box.right > cover.left && box.left < cover.right &&
      box.bottom > cover.top && box.top < cover.bottom;
    if (!under) return;
    if (cover.top > 0) window.scrollBy(0, box.bottom - cover.top);
    else {
      const scroller = element.closest(".map-scroll");
      if (scroller) scroller.scrollLeft += box.right - cover.left;
    }
  }
  document.addEventListener("focusin", (event) => clearOfPanel(event.target));

  // The focus goes back to the cell the panel is about, unless the reader has moved on to the
  // page beside it (restoreFocus false): it stays there.
  function closePanel({ restoreFocus = true } = {}) {
    if (panel.hidden) return;
    unmuteStatus();
    panel.hidden = true;
    panelBody.innerHTML = "";
    document.body.classList.remove("has-map-panel");
    // The map widens back without a resize of the window, and its box may scroll back
    // without a scroll event: the columns partly under the fixed ones are checked again.
    hideSliversSoon();
    grid.querySelectorAll(".cell--pending").forEach((td) => td.classList.remove("cell--pending"));
    if (!restoreFocus) return;
    const cell = cellAt(active.r, active.c);
    if (cell) cell.focus();
    else if (lastFocus) lastFocus.focus();
  }

  // An unsaved change open in the panel (a preview, a cell's or the selection's editor), or a
  // preview or cell's panel on its way, cancelled as by its Cancel or Escape: true if there
  // was one (Ctrl+Z then undoes nothing).
  function cancelPending() {
    if (previewRequest || panelRequest) {
      previewRequest = null;
      abandonPanelRequest();
      return true;
    }
    if (panel.hidden || !panelBody.querySelector("form.map-preview, form.cell-editor")) {
      return false;
    }
    closePanel();
    return true;
  }

  function focusPanel(level) {
    const editor = panelBody.querySelector("form.cell-editor");
    if (editor) {
      const radios = Array.from(editor.querySelectorAll("input[type=radio]"));
      let choice = radios.find((radio) => radio.checked);
      if (level !== null && level !== undefined) {
        choice = radios.find((radio) => radio.value === level) || choice;
        if (choice) choice.checked = true;
      }
      (choice || radios[0] || editor.querySelector("button")).focus();
      return;
    }
    const save = panelBody.querySelector("[data-map-save]");
    (save || panel).focus();
  }

  // The cell panel on its way, if any: {url, td, level, controller}. One at a time, and the
  // last intent wins: a click on the focused cell fetches its panel, and a level typed before
  // the answer came back is the one that panel opens with (a second request, answered first,
  // was overwritten by the first one's "not taught"). Another cell, the bulk editor, a paste
  // or Escape abandons it.
  let panelRequest = null;

  function abandonPanelRequest() {
    if (!panelRequest) return;
    panelRequest.controller.abort();
    panelRequest = null;
  }

  async function openCell(td, level) {
    const url = detailUrl(td);
    if (!url) return;
    lastFocus = td;
    if (panelRequest && panelRequest.url === url) {
      if (level !== null) panelRequest.level = level;
      return;
    }
    abandonPanelRequest();
    const request = { url, td, level, controller: new AbortController() };
    panelRequest = request;
    let response, html;
    try {
      response = await fetch(url, {
        headers: { "X-Map-Editor": "1" },
        signal: request.controller.signal,
      });
      html = await response.text();
    } catch (error) {
      if (panelRequest !== request) return; // abandoned: a later intent took over
      panelRequest = null;
      panelFailed(td, status && status.dataset.unreachableNow);
      return;
    }
    if (panelRequest !== request) return;
    panelRequest = null;
    if (!response.ok) {
      panelFailed(td, reasonIn(response, html));
      return;
    }
    showPanel(html);
    if (editable && request.level !== null) td.classList.add("cell--pending");
    focusPanel(request.level);
  }

  // A cell's panel that did not come (refused, a server error, no connection): nothing opens,
  // and the status says so, with the server's reason when it gave one. A panel still open for
  // another cell closes, having written nothing, as Escape would: it spoke of one cell while the
  // status spoke of another. The focus stays on the cell moved to (`td`).
  function panelFailed(td, reason) {
    if (!panel.hidden) {
      closePanel({ restoreFocus: false });
      if (!grid.contains(document.activeElement)) td.focus();
    }
    if (!status) return;
    const failed = status.dataset.panelFailed || "";
    const pattern = status.dataset.sentences;
    if (!reason || !pattern) {
      say(failed);
      return;
    }
    // Replaced by functions: a "$&" in the server's reason is text, not a replacement pattern.
    say(pattern.replace("%(sentence)s", () => failed).replace("%(next)s", () => reason));
  }

  // What a refusal says, if anything: a page's lede or error list (the 403 page says why), or a
  // short plain text; not a whole page's text.
  function reasonIn(response, body) {
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/plain")) {
      const text = body.trim();
      return text.length <= 300 ? text : "";
    }
    if (!type.startsWith("text/html")) return "";
    const doc = new DOMParser().parseFromString(body, "text/html");
    const found = doc.querySelector(".errorlist, main .lede, .page-head .lede");
    const text = found ? found.textContent.replace(/\s+/g, " ").trim() : "";
    return text.length <= 300 ? text : "";
  }

  function openBulkEditor(level) {
    if (!editable) return;
    abandonPanelRequest();
    const cells = selectedCells();
    if (!cells.length) return;
    const template = document.getElementById("map-bulk-template");
    showPanel("");
    panelBody.appendChild(template.content.cloneNode(true));
    const form = panelBody.querySelector("form");
    const title = form.querySelector("#map-panel-title");
    // One cell is "Set one cell", as the selection line says "One cell selected.", not "Set 1 cells".
    title.textContent = cells.length === 1
      ? title.dataset.one
      : title.dataset.template.replace("%(count)s", cells.length);
    form.dataset.bulk = "1";
    cells.forEach((td) => {
      td.classList.add("cell--pending");
      const { course, ability } = idsOf(td);
      addHidden(form, `base:${course}:${ability}`, levelOf(td));
    });
    focusPanel(level === null ? undefined : level);
  }

  function addHidden(form, name, value) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closePanel();
      return;
    }
    const form = event.target.closest("form");
    // Ctrl+Z (or Ctrl+Y) in an open preview or editor cancels it, as in the grid; in a field
    // that takes text, it is the field's own.
    const letter = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (letter === "z" || letter === "y") &&
        !event.target.matches("textarea, input:not([type=radio]):not([type=checkbox])")) {
      event.preventDefault();
      cancelPending();
      return;
    }
    // A level's letter chooses it in the editor too, as typed in the grid it opens the editor
    // with it (a letter the radios ignored left Enter to save the level shown).
    if (form && event.target.type === "radio" && !event.ctrlKey && !event.metaKey &&
        !event.altKey) {
      const code = levelCodes.find((c) => c.toLowerCase() === event.key.toLowerCase());
      const radio = code && Array.from(form.querySelectorAll("input[type=radio]"))
        .find((r) => r.value === code && !r.disabled);
      if (radio) {
        event.preventDefault();
        radio.checked = true;
        radio.focus();
        return;
      }
    }
    if (event.key === "Enter" && form && event.target.tagName !== "BUTTON" &&
        event.target.tagName !== "A") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // The panel is not modal: Tab goes on past its last control to the page (kept clear of it,
  // clearOfPanel). Escape closes it there too, as in the grid.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || panel.hidden || event.defaultPrevented) return;
    if (panel.contains(event.target)) return;
    closePanel({ restoreFocus: grid.contains(event.target) });
  });

  panel.addEventListener("submit", (event) => {
    const form = event.target;
    event.preventDefault();
    const data = new FormData(form);
    if (form.dataset.bulk) {
      const choice = data.get("bulk-level") ?? null;
      if (choice === null) return;
      data.delete("bulk-level");
      let empty = false;
      for (const [name, base] of Array.from(data.entries())) {
        if (!name.startsWith("base:")) continue;
        data.set("cell:" + name.slice(5), choice);
        if (!base) empty = true;
      }
      if (choice && empty && !canAdd) {
        // A level over an empty cell would add a link, which the save would refuse: the
        // preview leaves those cells empty, says how many and why, and saves the rest.
        data.set("preview", "1");
        data.set("bulk", "1");
        preview(data);
        return;
      }
    }
    send(form.action, data);
  });

  // --- Saving, undoing, pasting ------------------------------------------------------------

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function post(url, data) {
    data.set("view", grid.dataset.view || "");
    if (!data.get("csrfmiddlewaretoken")) data.set("csrfmiddlewaretoken", csrfToken());
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "X-Map-Editor": "1", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
  }

  // A change on its way: a second Enter, or a double click on Undo, would send it again (the
  // second undo is refused, and its answer could come last and say the undo failed).
  let sending = false;

  // The connection is gone (fetch itself failed): say so where changes are announced, and
  // leave the editor or preview open to try again.
  function unreachable() {
    if (status) announce(status, status.dataset.unreachable || "");
  }

  // A live region announces a change of its text: the same words set again change nothing, and
  // a screen reader says nothing (Delete pressed twice where it may not clear). Said again, the
  // words are taken away and put back on the next frame; a later word in between wins.
  const announcing = new WeakMap();
  function reannounce(node, same, put) {
    if (status && status.contains(node)) unmuteStatus();
    announcing.delete(node);
    if (!same) {
      put();
      return;
    }
    node.textContent = "";
    const mark = {};
    announcing.set(node, mark);
    requestAnimationFrame(() => {
      if (announcing.get(node) !== mark) return;
      announcing.delete(node);
      put();
    });
  }

  function announce(node, text) {
    reannounce(node, node.textContent === text, () => {
      node.textContent = text;
    });
  }

  // The status after a save or an undo, swapped in whole (its Undo form with it). Two saves of
  // as many cells read the same ("Saved · 1 cell · Undo"): set as they are, a screen reader
  // said nothing the second time; they are said again as announce() says its words.
  function announceHtml(node, from) {
    reannounce(node, node.textContent === from.textContent, () => {
      node.innerHTML = from.innerHTML;
    });
  }

  // The status's words set while muted are not said (a live region "off"); unmuted, it says
  // what it is next given, not what it holds.
  function muteStatus() {
    if (status) status.setAttribute("aria-live", "off");
  }

  function unmuteStatus() {
    if (status) status.removeAttribute("aria-live");
  }

  // A word in the status region beside what it holds (a "Saved · Undo" stays usable); the
  // next change's status replaces it.
  function say(message) {
    if (!status || !message) return;
    let note = status.querySelector(".map-status__note");
    if (!note) {
      note = document.createElement("span");
      note.className = "map-status__note";
      status.appendChild(note);
    }
    announce(note, message);
  }

  // `undoForm`: the status's Undo (or Redo) form the change was sent from, if it was.
  async function send(url, data, undoForm = null) {
    if (sending) return;
    sending = true;
    try {
      let response;
      try {
        response = await post(url, data);
      } catch (error) {
        unreachable();
        return;
      }
      const html = await response.text();
      if (!response.ok) {
        if (response.status === 409 && undoForm) undoRefused(undoForm, response, html);
        showPanel(html || response.statusText);
        focusPanel();
        return;
      }
      closePanel();
      applyChange(html);
    } finally {
      sending = false;
    }
  }

  function applyChange(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const focusWasInGrid = grid.contains(document.activeElement);
    doc.querySelectorAll("#map-rows tr[id]").forEach((row) => {
      const current = document.getElementById(row.id);
      if (current) current.replaceWith(document.importNode(row, true));
    });
    grid.querySelectorAll("a").forEach((link) => link.setAttribute("tabindex", "-1"));
    nameCells();
    indexGrid();
    // The rows swapped in have no marks; those kept keep theirs, so the columns marked before
    // (`slivers`) are still checked: the panel that has just closed widened the map, and a
    // column partly under the fixed ones beside it is no longer, in every row.
    hideSlivers();
    const gaps = doc.getElementById("gap-report");
    const currentGaps = document.getElementById("gap-report");
    if (gaps && currentGaps) {
      const fresh = document.importNode(gaps, true);
      currentGaps.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    }
    const newStatus = doc.getElementById("map-status");
    if (newStatus && status) announceHtml(status, newStatus);
    const cell = cellAt(active.r, active.c);
    if (cell) {
      cell.tabIndex = 0;
      if (focusWasInGrid || document.activeElement === document.body) cell.focus();
    }
    paintSelection();
    flash(newStatus);
  }

  function cellFor(course, ability) {
    const row = document.getElementById("row-" + ability);
    const index = columnIds().indexOf(String(course));
    return row && index >= 0 ? cellsOf(row)[index] : null;
  }

  function flash(from) {
    const marker = from && from.querySelector("[data-changed]");
    if (!marker) return;
    marker.dataset.changed.split(/\s+/).filter(Boolean).forEach((pair) => {
      const [course, ability] = pair.split(":");
      const td = cellFor(course, ability);
      if (!td) return;
      td.classList.remove("cell--flash");
      void td.offsetWidth; // restart the animation
      td.classList.add("cell--flash");
      setTimeout(() => td.classList.remove("cell--flash"), 2600);
    });
  }

  if (status) {
    status.addEventListener("submit", (event) => {
      event.preventDefault();
      send(event.target.action, new FormData(event.target), event.target);
    });
  }

  // An undo (or redo) refused as things stand (409: a cell of the set changed since, or it was
  // undone already) would be refused again: the status offers it no more, and says why in its
  // place, as the panel does (naming the cells), after the panel has closed.
  // The panel that opens with the refusal (an alert) says it: the status shows the same words
  // unsaid (a screen reader heard them twice), until the panel closes or the status speaks again
  // (Ctrl+Z says them again there).
  function undoRefused(form, response, html) {
    if (!form.isConnected) return;
    muteStatus();
    const why = document.createElement("span");
    why.className = "map-status__refused";
    const doc = new DOMParser().parseFromString(html, "text/html");
    const items = Array.from(doc.querySelectorAll(".errorlist li"), (li) =>
      li.textContent.replace(/\s+/g, " ").trim());
    why.textContent = items.join(" ") || reasonIn(response, html) || response.statusText;
    form.replaceWith(why);
  }

  // A block as spreadsheets put it on the clipboard (Excel, LibreOffice, Google Sheets): rows
  // ended by CR LF, LF or CR, cells separated by tabs, and a cell holding a line break, a tab or
  // a quote written in quotes, its quotes doubled ("M<line break>(week 3)"). Split on every line
  // break, such a cell shifted the rest of the block down a row. A quote that does not close a
  // cell so (a lone "M typed in a cell) is read as written. Trailing line ends end the block.
  function parseBlock(text) {
    text = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    const rows = [[]];
    let at = 0;
    for (;;) {
      let value = null;
      if (text[at] === '"') {
        let end = at + 1;
        let quoted = "";
        for (;;) {
          const close = text.indexOf('"', end);
          if (close < 0) break;
          quoted += text.slice(end, close);
          if (text[close + 1] === '"') {
            quoted += '"';
            end = close + 2;
            continue;
          }
          if (close + 1 === text.length || "\t\n".includes(text[close + 1])) {
            value = quoted;
            at = close + 1;
          }
          break;
        }
      }
      if (value === null) {
        const tab = text.indexOf("\t", at);
        const line = text.indexOf("\n", at);
        const end = Math.min(tab < 0 ? text.length : tab, line < 0 ? text.length : line);
        value = text.slice(at, end);
        at = end;
      }
      rows[rows.length - 1].push(value);
      if (at >= text.length) return rows;
      if (text[at] === "\n") rows.push([]);
      at += 1;
    }
  }

  document.addEventListener("paste", (event) => {
    if (!editable || !grid.contains(document.activeElement)) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text) return;
    event.preventDefault();
    const block = parseBlock(text);
    const selected = selectedCells();
    const data = new FormData();
    const put = (td, value) => {
      const { course, ability } = idsOf(td);
      data.set(`cell:${course}:${ability}`, value.trim());
      data.set(`base:${course}:${ability}`, levelOf(td));
    };
    if (block.length === 1 && block[0].length === 1 && selected.length > 1) {
      // One value (one spreadsheet cell copied) over a selection fills all of it, as
      // spreadsheets do; previewed as the selection set to a level.
      selected.forEach((td) => put(td, block[0][0]));
      data.set("preview", "1");
      data.set("bulk", "1");
      preview(data);
      return;
    }
    const start = selection && selected.length > 1
      ? { r: selection.r0, c: selection.c0 }
      : active;
    // A block smaller than the selection, which is a multiple of its size both ways, is
    // repeated over the whole selection, as spreadsheets do (Excel, LibreOffice, Google
    // Sheets); over any other selection it is pasted once, from its top-left cell. The block
    // is read as wide as its widest row.
    const blockWidth = Math.max(...block.map((values) => values.length));
    if (selection && selected.length > 1 && block.every((v) => v.length === blockWidth)) {
      const height = selection.r1 - selection.r0 + 1;
      const width = selection.c1 - selection.c0 + 1;
      if (height % block.length === 0 && width % blockWidth === 0 &&
          (height > block.length || width > blockWidth)) {
        for (let r = 0; r < height; r++) {
          for (let c = 0; c < width; c++) {
            put(cellAt(start.r + r, start.c + c), block[r % block.length][c % blockWidth]);
          }
        }
        data.set("preview", "1");
        preview(data);
        return;
      }
    }
    const { rows: height, cols: width } = size();
    // A block goes on beyond this page's last row or column where the view does (its next
    // pages of abilities and courses, by id): those cells are sent without a level shown, as
    // none was; the preview lists them with their level now, and says how many it counts.
    // Beyond the view's last row or column, a value is outside the map and left out.
    const shownRows = rows();
    const columns = columnIds();
    const nextRows = (grid.dataset.nextRows || "").split(/\s+/).filter(Boolean);
    const nextColumns = (grid.dataset.nextColumns || "").split(/\s+/).filter(Boolean);
    let outside = 0;
    let offPage = 0;
    block.forEach((values, i) => {
      values.forEach((value, j) => {
        const r = start.r + i;
        const c = start.c + j;
        if (r < height && c < width) {
          put(cellAt(r, c), value);
          return;
        }
        const ability = r < height ? shownRows[r].dataset.ability : nextRows[r - height];
        const course = c < width ? columns[c] : nextColumns[c - width];
        if (!ability || !course) {
          outside += 1;
          return;
        }
        data.set(`cell:${course}:${ability}`, value.trim());
        offPage += 1;
      });
    });
    data.set("preview", "1");
    data.set("outside", String(outside));
    data.set("off_page", String(offPage));
    preview(data);
  });

  // The preview on its way, if any: cancelled (Ctrl+Z), its answer is not shown.
  let previewRequest = null;

  async function preview(data) {
    abandonPanelRequest();
    lastFocus = cellAt(active.r, active.c);
    const request = {};
    previewRequest = request;
    let response, html;
    try {
      response = await post(grid.dataset.changesUrl, data);
      html = await response.text();
    } catch (error) {
      if (previewRequest === request) {
        previewRequest = null;
        unreachable();
      }
      return;
    }
    if (previewRequest !== request) return;
    previewRequest = null;
    showPanel(html);
    // Only the cells the preview would write are pending (a bulk editor's empty cells may not be).
    grid.querySelectorAll(".cell--pending").forEach((td) => td.classList.remove("cell--pending"));
    const form = panelBody.querySelector("form.map-preview");
    if (form && form.dataset.pending) {
      form.dataset.pending.split(/\s+/).filter(Boolean).forEach((pair) => {
        const [course, ability] = pair.split(":");
        const td = cellFor(course, ability);
        if (td) td.classList.add("cell--pending");
      });
    }
    focusPanel();
  }

  init();
})();
