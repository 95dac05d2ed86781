/* The distribution list: each tick saves at once (the page works without this as one form for the whole list).
 * A meal box sends how many of the person's three meal boxes are ticked; another box sends 1 or 0. A refused or
 * failed save puts the box back and says so. */
(function () {
  "use strict";

  function quantityOf(box) {
    if (box.dataset.kind !== "meals") {
      return box.checked ? 1 : 0;
    }
    var boxes = box.closest(".distribution-meals").querySelectorAll("input[type=checkbox]");
    return Array.prototype.filter.call(boxes, function (each) { return each.checked; }).length;
  }

  function showMeals(fieldset, quantity) {
    var boxes = fieldset.querySelectorAll("input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (each, index) { each.checked = index < quantity; });
  }

  function init(form) {
    var status = document.querySelector("[data-distribution-status]");
    var token = form.querySelector("input[name=csrf_token]").value;

    function say(text, failed) {
      status.textContent = text;
      status.classList.toggle("is-failed", Boolean(failed));
    }

    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("input[type=checkbox][data-kind]")) {
        return;
      }
      var kind = box.dataset.kind;
      var fieldset = kind === "meals" ? box.closest(".distribution-meals") : null;
      if (fieldset) {
        // Meals are a count: ticking the third box means three meals, so the boxes fill from the first.
        var wanted = box.checked ? Number(box.value) : Number(box.value) - 1;
        showMeals(fieldset, wanted);
      }
      var quantity = quantityOf(box);
      var previous = fieldset ? null : !box.checked;
      var body = JSON.stringify({
        person: box.closest("[data-person]").dataset.person,
        kind: kind,
        quantity: quantity
      });
      box.closest("[data-person]").setAttribute("aria-busy", "true");
      fetch(form.dataset.tickUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": token, "Content-Type": "application/json", "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          throw result.data;
        }
        if (fieldset) {
          showMeals(fieldset, result.data.quantity);
        }
        say(status.dataset.textSaved, false);
      }).catch(function (error) {
        if (fieldset) {
          showMeals(fieldset, Number(fieldset.dataset.saved || 0));
        } else {
          box.checked = previous;
        }
        var message = error && error.error ? error.error.message : "";
        var fields = error && error.error && error.error.fields ? error.error.fields : {};
        Object.keys(fields).forEach(function (key) { message += " " + fields[key].join(" "); });
        say(status.dataset.textFailed + " " + message, true);
      }).then(function () {
        box.closest("[data-person]").removeAttribute("aria-busy");
        if (fieldset) {
          fieldset.dataset.saved = String(quantityOf(fieldset.querySelector("input")));
        }
      });
    });

    Array.prototype.forEach.call(form.querySelectorAll(".distribution-meals"), function (fieldset) {
      fieldset.dataset.saved = String(quantityOf(fieldset.querySelector("input")));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-distribution]"), init);
  });
}());
