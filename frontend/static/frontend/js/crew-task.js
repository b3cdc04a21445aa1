/* Stadtmelder Außendienst – one task (/crew/aufgabe/?id=<id>): facts, navigation link (geo: URI,
   RFC 5870, "geo:<lat>,<lon>"), status buttons for the allowed actions, before/after photos from
   the camera (downscaled on the device, photos.js). A status change is queued in the outbox (crew.js) with the task's version and sent
   at once when online, else when the connection returns. A 412 conflict is shown here with the
   office's current state; the crew member decides whether to drop or re-send their change. */
(function () {
  "use strict";
  if (!window.Crew || !Crew.requireLogin()) return;
  var T = Crew.T;
  var id = parseInt(new URLSearchParams(window.location.search).get("id"), 10);
  var $ = function (x) { return document.getElementById(x); };
  var task = null;
  var conflict = null;
  var NOTE_REQUIRED = ["cannot_fix", "needs_other_department"];

  function text(elId, value) { $(elId).textContent = value || "–"; }
  function say(message) { $("task-status").textContent = message; }
  // Feedback on a status change, next to the buttons (where the crew member is looking).
  function sayAction(message) { $("action-status").textContent = message; }

  function render() {
    if (!task) return;
    $("task-body").hidden = false;
    var title = Crew.fmt(T.task_title, { category: task.category.name, id: task.id });
    $("task-title").textContent = title;
    document.title = title + " – " + document.title.split(" – ").slice(-1)[0];
    var state = $("task-state");
    state.textContent = "";
    var badge = document.createElement("span");
    badge.className = "status status-" + task.status;
    badge.textContent = task.status_label;
    state.appendChild(badge);
    text("task-address", task.address);
    text("task-location-text", task.location_text);
    text("task-due", task.due_date ? Crew.dateText(task.due_date) : "");
    text("task-description", task.description);
    var c = task.location.coordinates;  // [lon, lat]
    $("task-navigate").href = "geo:" + c[1].toFixed(6) + "," + c[0].toFixed(6) + "?q=" + c[1].toFixed(6) + "," +
      c[0].toFixed(6);
    var actions = $("task-actions");
    actions.textContent = "";
    (task.allowed_actions || []).forEach(function (action) {
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button" + (action === "done" ? "" : " secondary");
      button.value = action;
      button.name = "action";
      button.textContent = T.actions[action];
      actions.appendChild(button);
    });
    var notes = $("task-notes");
    notes.textContent = "";
    (task.notes || []).forEach(function (n) {
      var li = document.createElement("li");
      var when = document.createElement("span");
      when.className = "hint";
      when.textContent = Crew.dateText(n.created_at) + " " + Crew.timeText(n.created_at) + " · " +
        (T.statuses[n.to_status] || n.to_status);
      li.appendChild(when);
      [n.note_public, n.note_internal].forEach(function (note) {
        if (note) { var p = document.createElement("p"); p.textContent = note; li.appendChild(p); }
      });
      notes.appendChild(li);
    });
    var photos = $("task-photos");
    photos.textContent = "";
    (task.photos || []).forEach(function (p) {
      var li = document.createElement("li");
      var img = document.createElement("img");
      img.src = p.thumbnail_url || p.url;
      img.alt = T.photo_kinds[p.kind] || T.photo_kinds.report;
      img.loading = "lazy";
      li.appendChild(img);
      photos.appendChild(li);
    });
  }

  function showConflict(change) {
    conflict = change;
    var box = $("task-conflict");
    if (!change) { box.hidden = true; return; }
    var current = change.server_task || task;
    $("task-conflict-text").textContent = change.state === "conflict"
      ? Crew.fmt(T.conflict, { status: current ? current.status_label : "", action: T.actions[change.action] })
      : Crew.fmt(T.error, { detail: change.error || "" });
    $("conflict-discard").textContent = T.conflict_discard;
    $("conflict-resend").textContent = T.conflict_resend;
    $("conflict-resend").hidden = change.state !== "conflict";
    box.hidden = false;
    box.focus();
  }

  function outboxState() {
    return Crew.changes().then(function (items) {
      var mine = items.filter(function (c) { return c.task_id === id; });
      var problem = mine.filter(function (c) { return c.state !== "waiting"; })[0];
      showConflict(problem || null);
      if (!problem && mine.length) sayAction(navigator.onLine ? T.sending : T.queued);
      return mine;
    });
  }

  function load() {
    task = Crew.store().tasks[id] || null;
    render();
    outboxState();
    if (!navigator.onLine) { if (!task) say(T.not_found); return; }
    Crew.api("tasks/" + id).then(function (res) {
      if (res.status === 200) { task = res.data; Crew.taskPut(task); render(); }
      else if (res.status === 404 && !task) say(T.not_found);
      else if (res.status === 401) window.location.assign(document.body.getAttribute("data-login-url"));
    }, function () { /* offline: the stored copy stays */ });
  }

  /* The chosen photos as the outbox keeps them: downscaled on the device to about 2 MP and JPEG
     (photos.js, as in the citizens' report form) — less mobile data and a smaller outbox. HEIC,
     small photos and anything the browser cannot decode stay as they are. */
  function photosOf(input) {
    return Promise.all(Array.prototype.map.call(input.files || [], function (f) {
      var asIs = { blob: f, name: f.name || "foto.jpg", type: f.type };
      if (!window.StadtmelderPhotos) return asIs;
      return StadtmelderPhotos.prepare(f).then(function (p) {
        return { blob: p.blob, name: p.name || asIs.name, type: p.type };
      }, function () { return asIs; });
    }));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = $("transition-form");
    var submitter = null;
    form.addEventListener("click", function (event) {
      if (event.target && event.target.name === "action") submitter = event.target.value;
    });
    $("id_photos_after").addEventListener("change", function () {
      $("photo-hint").textContent = Crew.fmt(T.photo_selected, { n: this.files.length });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var action = (event.submitter && event.submitter.value) || submitter;
      if (!task || !action) return;
      var fields = { action: action, note: form.elements.note.value.trim(),
                     note_internal: form.elements.note_internal.value.trim() };
      var error = $("form-error");
      if (NOTE_REQUIRED.indexOf(action) >= 0 && !fields.note && !fields.note_internal) {
        error.textContent = T.note_required;
        error.hidden = false;
        form.elements.note_internal.focus();
        return;
      }
      error.hidden = true;
      Array.prototype.forEach.call(form.querySelectorAll("button[name=action]"), function (b) { b.disabled = true; });
      Promise.all([photosOf($("id_photos_before")), photosOf($("id_photos_after"))])
        .then(function (photos) { return Crew.changeAdd(task, fields, { before: photos[0], after: photos[1] }); })
        .then(function () {
          form.reset();
          $("photo-hint").textContent = "";
          sayAction(navigator.onLine ? T.sending : T.queued);
        });
    });
    $("conflict-discard").addEventListener("click", function () {
      if (conflict) Crew.conflictResolve(conflict, false).then(load);
    });
    $("conflict-resend").addEventListener("click", function () {
      if (conflict) Crew.conflictResolve(conflict, true);
    });
    window.addEventListener("crew:outbox", function (event) {
      var d = event.detail || {};
      if (!d.change || d.change.task_id !== id) return;
      if (d.sent) {
        task = d.task;
        render();
        sayAction(Crew.fmt(T.sent, { action: T.actions[d.change.action] }));
        showConflict(null);
        return;
      }
      if (d.login) { sayAction(T.login_again); return; }
      if (d.change.server_task) { task = d.change.server_task; render(); }
      outboxState();
    });
    load();
  });
})();
