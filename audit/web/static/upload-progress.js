// A file upload form with a progress bar (form[data-progress]): the file is sent with
// XMLHttpRequest so the bytes sent can be shown, then the page the server redirects to
// (the import result) is opened. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; });
    return found.length ? decodeURIComponent(found[0].slice(name.length + 1)) : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-progress]");
    if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
    var bar = document.getElementById(form.getAttribute("data-progress"));
    var status = document.getElementById(form.getAttribute("data-status"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      // read at send time: the cookie may have been set again since the page loaded
      xhr.setRequestHeader("X-CSRFToken", cookie("audit_csrf"));
      bar.hidden = false;
      bar.value = 0;
      status.textContent = status.getAttribute("data-sending");
      if (button) { button.disabled = true; }
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        bar.removeAttribute("value");  // indeterminate while the server checks every line
        status.textContent = status.getAttribute("data-importing");
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf("/imports/") > 0) {
          window.location.assign(xhr.responseURL);
          return;
        }
        // a refused upload: show the server's page (inline errors) as a normal post would
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        status.textContent = status.getAttribute("data-failed");
        if (button) { button.disabled = false; }
      });
      xhr.send(new FormData(form));
    });
  });
})();
