/* The attendance sheet, offline: marks are kept on the phone (localStorage) with an id made
   here, and sent to the server when there is a connection. Sending the same marks twice, from
   two phones or after a crash is safe: the server keeps each id once. No build step. */
(function () {
  "use strict";
  var form = document.getElementById("attendance-sheet");
  if (!form || !window.localStorage || !window.fetch) { return; }
  var key = "minga-attendance:" + form.dataset.session;
  var status = document.getElementById("sheet-status");
  var sendButton = document.getElementById("sheet-send");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(marks) { localStorage.setItem(key, JSON.stringify(marks)); }
  function say(text) { status.hidden = false; status.textContent = text; }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return String(values[name]); });
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function sheets() { return form.querySelectorAll("fieldset[data-enrolment]"); }
  function lastStatus(marks, enrolment, fallback) {
    for (var i = marks.length - 1; i >= 0; i--) {
      if (marks[i].enrolment === enrolment) { return marks[i].status; }
    }
    return fallback;
  }
  function showPending() {
    var marks = load();
    sendButton.hidden = marks.length === 0;
    if (marks.length) { say(fill(status.dataset.saved, { count: marks.length })); }
  }

  // What is waiting on the phone shows on the sheet, even after a reload without connection.
  var waiting = load();
  Array.prototype.forEach.call(sheets(), function (sheet) {
    var chosen = lastStatus(waiting, sheet.dataset.enrolment, null);
    var input = chosen && sheet.querySelector("input[value='" + chosen + "']");
    if (input) { input.checked = true; }
  });

  function sync() {
    var marks = load();
    if (!marks.length || sending) { return Promise.resolve(); }
    sending = true;
    return fetch(form.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ marks: marks })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          var sent = {};
          marks.forEach(function (m) { sent[m.client_id] = m; });
          store(load().filter(function (m) { return !sent[m.client_id]; }));
          Array.prototype.forEach.call(sheets(), function (sheet) {
            sheet.dataset.current = lastStatus(marks, sheet.dataset.enrolment, sheet.dataset.current);
          });
          sendButton.hidden = load().length === 0;
          say(fill(status.dataset.sent, { stored: body.stored, known: body.already_known }));
        } else if (response.status === 401 || response.status === 403) {
          say(status.dataset.signin);
        } else {
          say(status.dataset.refused + " " + (body.detail || response.status));
        }
      });
    }).catch(function () {
      say(status.dataset.waiting);
    }).then(function () { sending = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var marks = load();
    var now = new Date().toISOString();
    Array.prototype.forEach.call(sheets(), function (sheet) {
      var checked = sheet.querySelector("input:checked");
      if (!checked) { return; }
      if (checked.value === lastStatus(marks, sheet.dataset.enrolment, sheet.dataset.current)) { return; }
      marks.push({
        client_id: newId(),
        session: form.dataset.session,
        enrolment: sheet.dataset.enrolment,
        status: checked.value,
        recorded_at: now
      });
    });
    store(marks);
    showPending();
    sync();
  });
  sendButton.addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.mingaAttendanceSync = sync;
  showPending();
  sync();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.worker, { scope: form.dataset.scope }).catch(function () {});
  }
})();
