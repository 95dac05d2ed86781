/*
 * Casework page behaviour. No framework and no build step; loaded with
 * `defer` from base.html (the Content-Security-Policy allows no inline
 * script). Every page works without it: this file only makes forms quicker
 * to use on a tablet.
 */
(function () {
  "use strict";

  // Lets the stylesheet hide controls that only matter without JavaScript.
  document.documentElement.classList.add("js");

  /* ------------------------------------------------------------ autosubmit */

  // A <select data-autosubmit> (the language switch) submits its form on change.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches("select[data-autosubmit]") && select.form) {
      // requestSubmit fires the submit event, so data-confirm still applies.
      select.form.requestSubmit();
    }
  });

  /* --------------------------------------------------------------- confirm */

  // data-confirm="message" on a form or on its submit button asks first.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message =
      (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  /* --------------------------------------------------------- region picker */

  // The regions API (casework/reference/api.py); same origin, session cookie.
  var REGIONS_URL = "/api/v1/regions";
  var MIN_CHARS = 2;
  // Someone typing a code ("32.75.01") knows it already: no search for it.
  var CODE_LIKE = /^[\d.\s]+$/;
  var DEBOUNCE_MS = 150;
  var pickerCount = 0;

  // Texts come from base.html so that they go through the translation catalogue.
  function text(name) {
    return document.body.getAttribute("data-text-" + name) || "";
  }

  /*
   * A type-ahead for <input data-region-picker data-level=... data-within=...>.
   * The field stays a plain text field holding region codes; the picker only
   * helps to find a code by name. With data-multiple (a textarea of codes, one
   * per line or separated by commas) it completes the last code being typed.
   * ARIA 1.2 combobox pattern: focus stays in the field, aria-activedescendant
   * marks the highlighted option.
   */
  function RegionPicker(field) {
    var id = "picker-" + ++pickerCount;
    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    field.parentNode.insertBefore(wrapper, field);
    wrapper.appendChild(field);

    this.field = field;
    this.multiple = field.hasAttribute("data-multiple");
    this.list = document.createElement("ul");
    this.list.className = "picker-list";
    this.list.id = id + "-list";
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    this.path = document.createElement("span");
    this.path.className = "picker-path";
    this.path.id = id + "-path";
    this.status = document.createElement("span");
    this.status.className = "picker-status";
    this.status.setAttribute("aria-live", "polite");
    wrapper.appendChild(this.list);
    wrapper.appendChild(this.path);
    wrapper.appendChild(this.status);

    // A textarea keeps its own role (ARIA allows combobox on a one-line input only).
    if (field.tagName === "INPUT") {
      field.setAttribute("role", "combobox");
      field.setAttribute("aria-expanded", "false");
    }
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", this.list.id);
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", describedBy ? describedBy + " " + this.path.id : this.path.id);
    field.setAttribute("autocomplete", "off");

    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;

    field.addEventListener("input", this.onInput.bind(this));
    field.addEventListener("keydown", this.onKeydown.bind(this));
    field.addEventListener("blur", this.close.bind(this));
    // Keeps focus in the field while an option is tapped, so blur does not close the list first.
    this.list.addEventListener("pointerdown", function (event) {
      event.preventDefault();
    });
    this.list.addEventListener("click", this.onClick.bind(this));
  }

  // Where the code being typed starts: after the last separator when several are allowed.
  // People add codes at the end, so the caret position is not consulted.
  RegionPicker.prototype.termStart = function () {
    var value = this.field.value;
    return this.multiple ? Math.max(value.lastIndexOf("\n"), value.lastIndexOf(",")) + 1 : 0;
  };

  RegionPicker.prototype.onInput = function () {
    var query = this.field.value.slice(this.termStart()).trim();
    this.path.textContent = "";
    this.status.textContent = "";
    // The list keeps the previous answer until the new one arrives: no flicker while typing.
    this.cancel();
    if (query.length < MIN_CHARS || CODE_LIKE.test(query)) {
      this.close();
      return;
    }
    this.timer = window.setTimeout(this.search.bind(this, query), DEBOUNCE_MS);
  };

  // Drops the search waiting to start and the one under way: their answers no longer matter.
  RegionPicker.prototype.cancel = function () {
    window.clearTimeout(this.timer);
    if (this.request) {
      this.request.abort();
      this.request = null;
    }
  };

  RegionPicker.prototype.search = function (query) {
    var params = new URLSearchParams({ q: query, limit: "10" });
    var level = this.field.getAttribute("data-level");
    var within = this.field.getAttribute("data-within");
    if (level) {
      params.set("level", level);
    }
    if (within) {
      params.set("within", within);
    }
    var request = new AbortController();
    this.request = request;
    var self = this;
    fetch(REGIONS_URL + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: request.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("regions API answered " + response.status);
        }
        return response.json();
      })
      .then(function (body) {
        self.request = null;
        self.show(body.items);
      })
      .catch(function (error) {
        // Cancelled by a newer keystroke or by closing the list.
        if (error.name === "AbortError") {
          return;
        }
        self.request = null;
        self.close();
        self.status.textContent = text("picker-failed");
      });
  };

  RegionPicker.prototype.show = function (items) {
    this.items = items;
    this.active = -1;
    this.list.textContent = "";
    this.field.removeAttribute("aria-activedescendant");
    if (!items.length) {
      this.close();
      this.status.textContent = text("picker-none");
      return;
    }
    this.status.textContent = "";
    var list = this.list;
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.className = "picker-item";
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var name = document.createElement("strong");
      name.textContent = item.name;
      var detail = document.createElement("small");
      detail.textContent = item.kind + " · " + item.code + " · " + item.path;
      option.appendChild(name);
      option.appendChild(detail);
      list.appendChild(option);
    });
    this.list.hidden = false;
    this.setExpanded(true);
  };

  RegionPicker.prototype.close = function () {
    this.cancel();
    this.list.hidden = true;
    this.setExpanded(false);
    this.field.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  RegionPicker.prototype.setExpanded = function (open) {
    if (this.field.getAttribute("role") === "combobox") {
      this.field.setAttribute("aria-expanded", String(open));
    }
  };

  RegionPicker.prototype.highlight = function (index) {
    var options = this.list.children;
    if (this.active >= 0) {
      options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = index;
    var option = options[index];
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({ block: "nearest" });
    this.field.setAttribute("aria-activedescendant", option.id);
  };

  RegionPicker.prototype.choose = function (index) {
    var item = this.items[index];
    var kept = this.field.value.slice(0, this.termStart());
    // In a list of codes (a textarea), a new line is ready for the next one.
    this.field.value = kept + item.code + (this.multiple ? "\n" : "");
    this.path.textContent = item.code + " — " + item.path;
    this.close();
  };

  RegionPicker.prototype.onKeydown = function (event) {
    var open = !this.list.hidden;
    var count = this.items.length;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      this.highlight((this.active + 1) % count);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.highlight(this.active <= 0 ? count - 1 : this.active - 1);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      // Choosing a region must not also submit the form.
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    }
  };

  RegionPicker.prototype.onClick = function (event) {
    var option = event.target.closest(".picker-item");
    if (option) {
      this.choose(Number(option.getAttribute("data-index")));
    }
  };

  document.querySelectorAll("[data-region-picker]").forEach(function (field) {
    new RegionPicker(field);
  });

  /* ------------------------------------------------------------ location */

  /*
   * A "use my location" button inside <div data-geo="prefix">: fills the
   * hidden <prefix>latitude and <prefix>longitude fields of its form from the
   * device. Optional: it never blocks the form, and stays hidden without GPS.
   */
  document.querySelectorAll("[data-geo-button]").forEach(function (button) {
    if (!("geolocation" in navigator)) {
      return;
    }
    var box = button.closest("[data-geo]");
    var prefix = box.getAttribute("data-geo");
    var status = box.querySelector("[data-geo-status]");
    var form = button.form;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-text-wait");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var latitude = position.coords.latitude.toFixed(6);
          var longitude = position.coords.longitude.toFixed(6);
          form.elements[prefix + "latitude"].value = latitude;
          form.elements[prefix + "longitude"].value = longitude;
          status.textContent = button.getAttribute("data-text-found") + " " + latitude + ", " + longitude;
        },
        function () {
          status.textContent = button.getAttribute("data-text-failed");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
