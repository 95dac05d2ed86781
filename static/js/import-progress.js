// The import progress bar: polls the job's progress JSON and reloads the page when the job stops running.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-import-progress");
  var page = box.getAttribute("data-reload");

  function show(state) {
    bar.max = state.total || 1;
    bar.value = state.done;
    if (text) {
      text.textContent = state.done + " / " + state.total;
    }
  }

  function poll() {
    // Marked as background: polling is not activity, so an open progress page does not keep the session alive.
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json", "X-Casework-Background": "1" } })
      .then(function (response) {
        if (response.status === 401) {
          // The session ended: reloading lets the server send the login page, which returns here after sign-in.
          window.location.reload();
          return new Promise(function () {});
        }
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (!state) {
          window.setTimeout(poll, 5000);
          return;
        }
        show(state);
        if (state.active) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.assign(page);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();
