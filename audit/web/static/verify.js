// The verification page: compares a local file's SHA-256 with the issued notice's fingerprint.
(function () {
  "use strict";
  var input = document.getElementById("f");
  if (!input) { return; }
  input.addEventListener("change", async function (e) {
    var buf = await e.target.files[0].arrayBuffer();
    var h = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", buf)))
      .map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    document.getElementById("r").textContent = h === input.getAttribute("data-fingerprint")
      ? "一致 — matches the issued file" : "不一致 — does NOT match the issued file";
  });
})();
