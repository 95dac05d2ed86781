/*
 * The fast household registration (templates/disasters/register.html).
 *
 * "Tambah anggota" adds a member row in the page, in one tap, from the empty
 * row in <template data-member-template> (its "__i__" becomes the row's
 * index), and puts the cursor in its name. Typing an age or a birth date
 * ticks "Lansia" (60 and over) and "Balita" (under 5) unless the person
 * ticked or unticked that box themselves; every row then says
 * flags_given=1, so the server keeps the boxes exactly as shown. Without
 * this script the button posts the form back with one more row and the
 * server ticks the groups from the age. Loaded with `defer`; no inline
 * script (CSP).
 */
(function () {
  "use strict";

  var ELDERLY_AGE = 60;
  var UNDER_FIVE_AGE = 5;

  var form = document.querySelector("form[data-register-form]");
  if (!form) {
    return;
  }
  var list = form.querySelector("[data-members]");
  var template = form.querySelector("template[data-member-template]");
  var addButton = form.querySelector("[data-add-member]");
  var counter = form.querySelector("[data-member-count]");
  var maxRows = Number(form.getAttribute("data-max-members")) || 30;

  function rows() {
    return list.querySelectorAll("[data-member-row]");
  }

  function ageOf(row) {
    var birth = row.querySelector("[data-birth]");
    if (birth && birth.value) {
      var born = new Date(birth.value + "T00:00:00");
      if (!isNaN(born.getTime())) {
        var today = new Date();
        var age = today.getFullYear() - born.getFullYear();
        var before = today.getMonth() < born.getMonth() ||
          (today.getMonth() === born.getMonth() && today.getDate() < born.getDate());
        return before ? age - 1 : age;
      }
    }
    var typed = row.querySelector("[data-age]");
    if (typed && /^\d{1,3}$/.test(typed.value.trim())) {
      return Number(typed.value.trim());
    }
    return null;
  }

  function tickFromAge(row) {
    var age = ageOf(row);
    var wanted = {
      elderly: age !== null && age >= ELDERLY_AGE,
      under_five: age !== null && age < UNDER_FIVE_AGE
    };
    Object.keys(wanted).forEach(function (name) {
      var box = row.querySelector('[data-flag="' + name + '"]');
      if (box && !box.hasAttribute("data-touched")) {
        box.checked = wanted[name];
      }
    });
  }

  function prepare(row) {
    var given = row.querySelector("[data-flags-given]");
    if (given) {
      given.value = "1";
    }
    row.querySelectorAll("[data-age], [data-birth]").forEach(function (input) {
      input.addEventListener("input", function () {
        tickFromAge(row);
      });
    });
    row.querySelectorAll("[data-flag]").forEach(function (box) {
      box.addEventListener("change", function () {
        box.setAttribute("data-touched", "");
      });
    });
    var remove = row.querySelector("[data-remove-member]");
    if (remove) {
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.remove();
        renumber();
      });
    }
  }

  function renumber() {
    var all = rows();
    all.forEach(function (row, position) {
      var title = row.querySelector("[data-member-title]");
      if (position > 0 && title && title.hasAttribute("data-pattern")) {
        title.textContent = title.getAttribute("data-pattern").replace("__n__", String(position + 1));
      }
    });
    if (counter) {
      counter.textContent = String(all.length);
    }
    addButton.disabled = all.length >= maxRows;
  }

  function nextIndex() {
    var highest = -1;
    rows().forEach(function (row) {
      highest = Math.max(highest, Number(row.getAttribute("data-index")) || 0);
    });
    return highest + 1;
  }

  function addRow() {
    var index = String(nextIndex());
    var fragment = template.content.cloneNode(true);
    var row = fragment.querySelector("[data-member-row]");
    row.setAttribute("data-index", index);
    ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
      row.querySelectorAll("[" + attribute + "]").forEach(function (element) {
        element.setAttribute(attribute, element.getAttribute(attribute).split("__i__").join(index));
      });
    });
    list.appendChild(fragment);
    prepare(row);
    renumber();
    var name = row.querySelector('[data-member-field="name"]');
    if (name) {
      name.focus();
    }
  }

  if (!template || !("content" in template)) {
    return;
  }
  rows().forEach(prepare);
  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    addRow();
  });
  renumber();
})();
