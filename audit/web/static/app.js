// Behaviour shared by every page; loaded as a file (the CSP allows no inline script).
(function () {
  "use strict";
  // After a fragment swap with inline errors, put the keyboard on the first invalid field.
  document.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.target.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); }
  });
  // A failed HTMX request (4xx/5xx not swapped) is announced instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "htmx-error";
      box.className = "error";
      box.setAttribute("role", "alert");
      var main = document.getElementById("main");
      if (main) { main.prepend(box); }
    }
    box.textContent = (document.documentElement.lang === "en"
      ? "The request failed: " : "请求失败:") + event.detail.xhr.status;
  });
})();
