/*
 * Photos of a finding or complaint, shrunk on the phone before they are sent.
 *
 * A phone camera's photo is several megabytes; five of them would pass the
 * request size limit and cost a volunteer's data plan on a weak connection.
 * On submit of <form data-shrink-photos>, each chosen photo larger than the
 * server keeps (its longest edge over MAX_EDGE, or over 1 MB) is redrawn as a
 * JPEG at most MAX_EDGE wide or high (the canvas carries no EXIF, so no GPS
 * of the photo leaves the phone), then the form is sent. Without the browser
 * features this needs, or for a file that is not a photo, the file goes as
 * chosen and the server checks and shrinks it. Loaded with `defer`; no
 * inline script (CSP).
 */
(function () {
  "use strict";

  // The server's IMAGE_MAX_EDGE: a larger photo would be shrunk there anyway.
  var MAX_EDGE = 1600;
  var SMALL_ENOUGH = 1024 * 1024;
  var QUALITY = 0.85;
  var PHOTO_TYPES = /^image\/(jpeg|png|webp)$/;

  var form = document.querySelector("form[data-shrink-photos]");
  if (!form || !window.DataTransfer || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) {
    return;
  }
  var input = form.querySelector('input[type="file"]');

  function shrink(file) {
    if (!PHOTO_TYPES.test(file.type)) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size <= SMALL_ENOUGH) {
          return file;
        }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(
            function (blob) {
              var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
              resolve(blob ? new File([blob], name, { type: "image/jpeg" }) : file);
            },
            "image/jpeg",
            QUALITY
          );
        });
      })
      .catch(function () {
        // Unreadable here: let the server say what is wrong with it.
        return file;
      });
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (!input || !input.files.length) {
      return;
    }
    // Sent by form.submit() below once the photos are ready; a second tap meanwhile sends nothing.
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (file) {
        transfer.items.add(file);
      });
      input.files = transfer.files;
      form.submit();
    });
  });
})();
