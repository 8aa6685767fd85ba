// The phone form of an inspection: every answer autosaves as it is given; while the network
// is down, answers and photos wait in IndexedDB (the "outbox") and are sent when it is back.
// Loaded as a file (the CSP allows no inline script). No business rule lives here: the
// scores and blockers shown come from the server (the summary fragment), and the server
// decides which answer is the latest (client_id + answered_at, see docs/inspections.md).
(function () {
  "use strict";
  var root = document.getElementById("inspection");
  if (!root || !window.indexedDB) { return; }
  var inspectionId = Number(root.dataset.inspection);
  var writable = root.dataset.writable === "1";
  var api = "/inspections/" + inspectionId;
  var text = JSON.parse(root.dataset.messages || "{}");
  var unsentBox = document.getElementById("unsent");
  var RETRY_MS = 4000;
  var TYPING_MS = 700;

  // ---- IndexedDB: "outbox" (requests not yet answered by the server) and "drafts" (what
  // this phone last entered per item, so a reload shows it even before it is sent).
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var req = indexedDB.open("audit-inspections", 1);
        req.onupgradeneeded = function () {
          var d = req.result;
          d.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true })
            .createIndex("inspection", "inspection");
          d.createObjectStore("drafts", { keyPath: "key" }).createIndex("inspection", "inspection");
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function tx(store, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var result;
        Promise.resolve(work(t.objectStore(store))).then(function (r) { result = r; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function mine(store) {  // every record of this inspection, in key order
    return tx(store, "readonly", function (s) {
      return request(s.index("inspection").getAll(inspectionId));
    });
  }
  function put(store, value) { return tx(store, "readwrite", function (s) { s.put(value); }); }
  function del(store, key) { return tx(store, "readwrite", function (s) { s["delete"](key); }); }

  // ---- helpers
  function clientId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function csrfToken() {  // read at send time: a queued request must not keep an old copy
    var m = document.cookie.match(/(?:^|;\s*)audit_csrf=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function cards() { return root.querySelectorAll("article.item[data-item]"); }
  function card(itemId) {
    var all = cards();
    for (var i = 0; i < all.length; i++) { if (all[i].dataset.item === itemId) { return all[i]; } }
    return null;
  }
  function state(el, message, isError) {
    var box = el && el.querySelector("[data-state]");
    if (!box) { return; }
    box.textContent = message;
    box.classList.toggle("error", Boolean(isError));
  }
  function valuesOf(el) {
    var checked = el.querySelector("input[type=radio]:checked");
    return {
      result: checked ? checked.value : null,
      note: el.querySelector("[data-field=note]").value,
      measured_value: el.querySelector("[data-field=measured_value]").value,
    };
  }
  function show(el, values) {
    el.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.checked = r.value === values.result;
    });
    el.querySelector("[data-field=note]").value = values.note || "";
    el.querySelector("[data-field=measured_value]").value = values.measured_value || "";
  }
  async function sha256Prefix(blob) {
    if (!(window.crypto && crypto.subtle)) { return "…"; }  // only in secure contexts
    var digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.prototype.map.call(new Uint8Array(digest), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("").slice(0, 12);
  }
  function thumb(el, entry, prefix) {
    var list = el.querySelector("[data-thumbs]");
    var li = list.querySelector("li[data-client-id='" + entry.client_id + "']");
    if (!li) {
      li = document.createElement("li");
      li.dataset.clientId = entry.client_id;
      list.appendChild(li);
    }
    li.className = "queued";
    li.textContent = "";
    var img = document.createElement("img");
    img.src = URL.createObjectURL(entry.blob);
    img.alt = text.photo;
    img.width = 96;
    img.height = 96;
    var code = document.createElement("code");
    code.className = "sha";
    code.textContent = prefix;
    li.appendChild(img);
    li.appendChild(code);
  }
  function storedThumb(el, evidence, entryClientId) {
    var list = el.querySelector("[data-thumbs]");
    var li = list.querySelector("li[data-client-id='" + entryClientId + "']") ||
      list.querySelector("li[data-evidence-id='" + evidence.id + "']");
    if (!li) { li = document.createElement("li"); list.appendChild(li); }
    li.className = "";
    li.textContent = "";
    li.dataset.evidenceId = evidence.id;
    li.dataset.clientId = entryClientId;
    var a = document.createElement("a");
    a.href = "/evidence/" + evidence.id + "/content";
    var img = document.createElement("img");
    img.src = a.href;
    img.alt = evidence.sha256.slice(0, 12);
    img.width = 96;
    img.height = 96;
    a.appendChild(img);
    var code = document.createElement("code");
    code.className = "sha";
    code.textContent = evidence.sha256.slice(0, 12);
    li.appendChild(a);
    li.appendChild(code);
  }

  // ---- the count of what is not yet sent
  var offline = false;
  async function updateCount() {
    var n = (await mine("outbox")).length;
    unsentBox.dataset.count = String(n);
    unsentBox.textContent = n ? fill(text.unsent, { n: n }) : text.all_sent;
    if (offline && n) { unsentBox.textContent += " · " + text.offline; }
    unsentBox.classList.toggle("pending", n > 0);
    unsentBox.classList.toggle("offline", offline && n > 0);
    document.querySelectorAll("[data-needs-sync]").forEach(function (b) { b.disabled = n > 0; });
    document.querySelectorAll("[data-sync-hint]").forEach(function (h) { h.hidden = n === 0; });
  }

  // ---- recording what is given
  var typing = {};
  var lastGiven = {};  // item → the values last queued or shown, so a blur re-sends nothing
  async function remember(el, sent, answeredAt, cid) {
    var values = valuesOf(el);
    var itemId = el.dataset.item;
    await put("drafts", {
      key: inspectionId + ":" + itemId, inspection: inspectionId, item: itemId,
      result: values.result, note: values.note, measured_value: values.measured_value,
      answered_at: answeredAt || new Date().toISOString(), client_id: cid || null, sent: sent,
    });
    return values;
  }
  async function enqueueAnswer(el) {
    var itemId = el.dataset.item;
    clearTimeout(typing[itemId]);
    var values = valuesOf(el);
    if (!values.result) {
      await remember(el, false);
      state(el, text.choose);
      return;
    }
    var given = JSON.stringify(values);
    if (lastGiven[itemId] === given) { return; }
    lastGiven[itemId] = given;
    var entry = {
      inspection: inspectionId, item: itemId, type: "answer", client_id: clientId(),
      body: {
        result: values.result, note: values.note, measured_value: values.measured_value,
      },
    };
    entry.body.answered_at = new Date().toISOString();
    entry.body.client_id = entry.client_id;
    // a newer answer to the same item replaces a queued older one (it carries all fields)
    var queued = await mine("outbox");
    for (var i = 0; i < queued.length; i++) {
      var q = queued[i];
      if (q.type === "answer" && q.item === itemId && q.seq !== sendingSeq) {
        await del("outbox", q.seq);
      }
    }
    await put("outbox", entry);
    await remember(el, false, entry.body.answered_at, entry.client_id);
    state(el, text.queued);
    await updateCount();
    flush();
  }
  async function enqueuePhoto(el, file) {
    var entry = {
      inspection: inspectionId, item: el.dataset.item, type: "photo", client_id: clientId(),
      blob: file, name: file.name || "photo.jpg", media_type: file.type,
    };
    await put("outbox", entry);
    thumb(el, entry, await sha256Prefix(file));
    await updateCount();
    flush();
  }

  // ---- sending
  var flushing = false;
  var sendingSeq = null;
  function errorDetail(response, body) {
    return (body && (body.detail || body.message)) || String(response.status);
  }
  async function send(entry) {
    var el = card(entry.item);
    var response;
    try {
      if (entry.type === "answer") {
        response = await fetch(api + "/items/" + encodeURIComponent(entry.item), {
          method: "PUT", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(entry.body),
        });
      } else {
        var form = new FormData();
        form.append("file", entry.blob, entry.name);
        form.append("kind", "photo");
        form.append("client_id", entry.client_id);
        response = await fetch(api + "/items/" + encodeURIComponent(entry.item) + "/evidence", {
          method: "POST", credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() }, body: form,
        });
      }
    } catch (err) {
      offline = true;  // no answer at all: the network is down; try again later
      return "retry";
    }
    offline = false;
    var body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (response.ok) {
      if (entry.type === "answer") { await answered(el, entry, body); }
      else { storedThumb(el, body, entry.client_id); }
      return "done";
    }
    var detail = errorDetail(response, body);
    if (response.status === 401 || (response.status === 403 && /csrf/i.test(detail)) ||
        response.status >= 500 || response.status === 429) {
      if (response.status === 401) { state(el, text.login, true); }
      return "retry";  // nothing is lost: it stays queued until it can be sent
    }
    // refused for good (a rule of the server): say so on the card, never silently
    state(el, fill(text.refused, { why: detail }), true);
    if (entry.type === "photo") {
      var li = el.querySelector("li[data-client-id='" + entry.client_id + "']");
      if (li) { li.className = "refused"; }
    }
    return "done";
  }
  async function answered(el, entry, saved) {
    var key = inspectionId + ":" + entry.item;
    var draft = await tx("drafts", "readonly", function (s) { return request(s.get(key)); });
    if (saved.outcome === "stale") {
      // the server keeps a newer answer (e.g. the partner's): show that one
      show(el, saved);
      lastGiven[entry.item] = JSON.stringify(valuesOf(el));
      state(el, fill(text.stale, { who: saved.recorded_by_name || "" }));
    } else {
      state(el, text.saved);
    }
    el.dataset.answeredAt = saved.answered_at || "";
    el.dataset.clientId = saved.client_id || "";
    if (draft && (draft.client_id === entry.client_id || saved.outcome === "stale")) {
      draft.sent = true;
      draft.answered_at = saved.answered_at;
      draft.client_id = saved.client_id;
      if (saved.outcome === "stale") {
        draft.result = saved.result;
        draft.note = saved.note;
        draft.measured_value = saved.measured_value;
      }
      await put("drafts", draft);
    }
  }
  async function flush() {
    if (flushing) { return; }
    flushing = true;
    var sentSome = false;
    try {
      for (;;) {
        var queued = await mine("outbox");
        if (!queued.length) { break; }
        var next = queued[0];
        sendingSeq = next.seq;
        var outcome = await send(next);
        sendingSeq = null;
        if (outcome === "retry") { break; }
        await del("outbox", next.seq);
        sentSome = true;
      }
    } finally {
      flushing = false;
      sendingSeq = null;
      await updateCount();
    }
    if (sentSome) {  // the summary (score, blockers, buttons) comes from the server again
      document.body.dispatchEvent(new CustomEvent("inspection-saved"));
    }
  }

  // ---- what this phone has that the page does not show yet (after a reload, or a page
  // served from the offline cache)
  async function restore() {
    cards().forEach(function (el) { lastGiven[el.dataset.item] = JSON.stringify(valuesOf(el)); });
    if (!writable) { return; }  // read only: what the server stored is what counts
    var drafts = await mine("drafts");
    drafts.forEach(function (d) {
      var el = card(d.item);
      if (!el) { return; }
      var serverAt = el.dataset.answeredAt;
      if (!d.sent || !serverAt || (d.answered_at && Date.parse(d.answered_at) > Date.parse(serverAt))) {
        show(el, d);
        if (d.sent) { lastGiven[d.item] = JSON.stringify(valuesOf(el)); }
        if (!d.sent) { state(el, d.result ? text.queued : text.choose); }
      }
    });
    var queued = await mine("outbox");
    for (var i = 0; i < queued.length; i++) {
      var entry = queued[i];
      var el = card(entry.item);
      if (el && entry.type === "photo") { thumb(el, entry, await sha256Prefix(entry.blob)); }
    }
  }

  function wire() {
    cards().forEach(function (el) {
      el.querySelectorAll("input[type=radio]").forEach(function (r) {
        r.addEventListener("change", function () { enqueueAnswer(el); });
      });
      el.querySelectorAll("[data-field]").forEach(function (f) {
        f.addEventListener("input", function () {
          remember(el, false);  // kept at once: a reload loses nothing typed
          clearTimeout(typing[el.dataset.item]);
          typing[el.dataset.item] = setTimeout(function () { enqueueAnswer(el); }, TYPING_MS);
        });
        f.addEventListener("change", function () { enqueueAnswer(el); });
      });
      var photo = el.querySelector("[data-photo]");
      if (photo) {
        photo.addEventListener("change", function () {
          Array.prototype.forEach.call(photo.files, function (file) { enqueuePhoto(el, file); });
          photo.value = "";
        });
      }
    });
  }

  // The offline worker keeps this page and its assets, so a reload without network works.
  function offlineCache() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/ui/inspections/sw.js", { scope: "/ui/inspections/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (reg) {
        var urls = [location.pathname];
        document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]")
          .forEach(function (n) { urls.push(n.getAttribute("src") || n.getAttribute("href")); });
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { root.dataset.offlineReady = "1"; };
        reg.active.postMessage({ cache: urls }, [channel.port2]);
      })
      .catch(function () { /* no offline reload then; the queue still works */ });
  }

  (async function start() {
    await restore();
    await updateCount();
    document.body.addEventListener("htmx:afterSwap", function () { updateCount(); });
    if (writable) { wire(); }
    if (writable) {
      window.addEventListener("online", function () { flush(); });
      setInterval(function () { if (unsentBox.dataset.count !== "0") { flush(); } }, RETRY_MS);
      flush();
    }
    offlineCache();
    root.dataset.ready = "1";
  })();
})();
