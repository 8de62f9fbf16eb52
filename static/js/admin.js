/* Names for the admin's autocomplete widgets (loaded by templates/admin/base_site.html).
 *
 * Select2 replaces each autocomplete <select> with a span role="combobox" named by
 * aria-labelledby = the rendered choice, which is empty while nothing is chosen, so the control
 * has no name (axe "aria-input-field-name"). Each combobox is named by its field's <label> (or, in
 * a tabular inline row, by the select's own aria-label set on the server) followed by the choice.
 */
(function () {
  "use strict";

  function nameElement(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      if (!label.id) label.id = select.id + "-label";
      return label.id;
    }
    var text = select.getAttribute("aria-label");
    if (!text) return null;
    var id = select.id + "-name";
    var span = document.getElementById(id);
    if (!span) {
      span = document.createElement("span");
      span.id = id;
      span.hidden = true;
      span.textContent = text;
      select.parentNode.insertBefore(span, select);
    }
    return id;
  }

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      if (select.closest(".empty-form")) return;
      var container = select.parentNode.querySelector(".select2");
      var combobox = container && container.querySelector('[role="combobox"]');
      if (!combobox) return;
      var nameId = nameElement(select);
      if (!nameId) return;
      var rendered = combobox.querySelector(".select2-selection__rendered");
      var ids = [nameId];
      if (rendered && rendered.id) {
        ids.push(rendered.id);
        // The choice itself is a read-only textbox, named by the same label.
        rendered.setAttribute("aria-labelledby", nameId);
      }
      combobox.setAttribute("aria-labelledby", ids.join(" "));
    });
  }

  // The admin starts Select2 in a jQuery ready handler, which jQuery 3 runs asynchronously: a
  // ready handler registered after it (this deferred script runs after the admin's own) runs
  // after it. The load event is the fallback for pages without jQuery.
  if (window.django && window.django.jQuery) window.django.jQuery(nameComboboxes);
  window.addEventListener("load", function () { window.setTimeout(nameComboboxes, 0); });
  // Rows added with "Add another" get their widgets after the event; name them once they exist.
  document.addEventListener("formset:added", function () { window.setTimeout(nameComboboxes, 0); });
})();

/* The export page's "Select all" box (templates/admin/import_export/export.html).
 *
 * django-import-export wires it with an inline onchange handler, which the site's
 * Content-Security-Policy (scripts only from the site) refuses: the project's copy of the
 * template drops it, and this listener ticks or clears every field; the box follows the fields
 * (ticked when all are).
 */
(function () {
  "use strict";

  var TOGGLE = 'input.select-toggle[name="select-all-toggle"]';
  var FIELDS = '.selectable-field-export-row input[type="checkbox"]';

  function followFields() {
    var all = Array.prototype.every.call(document.querySelectorAll(FIELDS), function (box) {
      return box.checked;
    });
    document.querySelectorAll(TOGGLE).forEach(function (toggle) { toggle.checked = all; });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.matches(TOGGLE)) {
      document.querySelectorAll(FIELDS).forEach(function (box) { box.checked = target.checked; });
    } else if (target.matches(FIELDS)) {
      followFields();
    }
  });
})();

/* A background import's page (templates/admin/curricula/import_job.html) follows its job.
 *
 * While the job runs, the page is read again every few seconds and its report changed in place,
 * the rest of the page left as it is: a reload (the meta refresh it had) threw a keyboard user's
 * focus back to the top every 3 s. A failed read is tried again at the next tick.
 *
 * What changed is said to screen readers through a polite live region, outside the part read
 * again: the job's status (pending, running, stuck, succeeded, failed) and, when it is over, its
 * error or counts, each once, when the page's summary of them ([data-import-job-news]) differs
 * from the last one; the progress alone is not said, nor the whole report at every reading.
 */
(function () {
  "use strict";

  var REGION = "[data-import-job-poll]";
  var NEWS = "[data-import-job-news]";
  var said = null;

  function summary(root) {
    var news = root.querySelector(NEWS);
    return news ? news.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function say(region) {
    var live = document.querySelector("[data-import-job-said]");
    var news = region.querySelector(NEWS);
    var text = summary(region);
    if (!live || !news || text === said) return;
    said = text;
    live.replaceChildren.apply(live, Array.prototype.map.call(news.children, function (part) {
      return part.cloneNode(true);
    }));
  }

  function follow() {
    var region = document.querySelector(REGION);
    if (!region) return;
    // The page as loaded is read as it is: only what changes after is said.
    if (said === null) said = summary(region);
    region.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
    var seconds = Number(region.getAttribute("data-import-job-poll")) || 3;
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .catch(function () { return null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html")
            .getElementById(region.id);
          if (fresh) {
            region.innerHTML = fresh.innerHTML;
            region.setAttribute("data-status", fresh.getAttribute("data-status") || "");
            if (!fresh.hasAttribute("data-import-job-poll")) region.removeAttribute("data-import-job-poll");
            say(region);
          }
          follow();
        });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", follow);
})();
