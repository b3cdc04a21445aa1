/* Stadtmelder Außendienst – shared script of the crew pages (/crew/).
   - The crew token from the login lives in localStorage ("stadtmelder.crew.token") and is sent as
     "Authorization: Crew <token>" to the field-crew API (/api/mobile/v1/).
   - Tasks are kept in localStorage ("stadtmelder.crew.tasks": {sync_token, tasks}) and brought up
     to date with the delta sync (?since=<sync_token>: changed tasks plus "removed" ids), so the
     list opens offline and the app downloads everything only the first time, or again when the
     token is older than the server keeps its change log (410 Gone).
   - Status changes go through an outbox in IndexedDB ("stadtmelder-crew", store "outbox", with
     the photos as Blobs), also when online: one code path. Each change keeps its Idempotency-Key
     and the version it was made on (If-Match). It is removed only after the server answered 200;
     a 412 (changed in the office meanwhile) is kept as a conflict and shown — never overwritten.
   Events on window: "crew:outbox" (the queue changed), "crew:tasks" (the task store changed). */
(function () {
  "use strict";
  var body = document.body;
  var API = body.getAttribute("data-api");
  var TOKEN_KEY = "stadtmelder.crew.token";
  var USER_KEY = "stadtmelder.crew.user";
  var STORE_KEY = "stadtmelder.crew.tasks";
  var DB_NAME = "stadtmelder-crew";
  var OUTBOX = "outbox";
  var RETRY_MS = 30000;
  var T = JSON.parse(document.getElementById("crew-strings").textContent);
  var lang = document.documentElement.lang || "de";

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(body.getAttribute("data-sw-url"), { scope: body.getAttribute("data-tasks-url") })
        .catch(function () { /* offline use is an enhancement */ });
    });
  }

  // `template` is a text or, for counted texts, {one, other} (chosen by `values.n`).
  function fmt(template, values) {
    if (typeof template === "object") template = values.n === 1 ? template.one : template.other;
    return template.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }

  // --- token and user -------------------------------------------------------------
  function token() { try { return localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
  function user() { try { return JSON.parse(localStorage.getItem(USER_KEY) || "null"); } catch (e) { return null; } }
  function loginStore(data) {
    localStorage.setItem(TOKEN_KEY, data.token);
    localStorage.setItem(USER_KEY, JSON.stringify(data.user));
  }
  function logoutLocal() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
    localStorage.removeItem(STORE_KEY);
  }
  function toLogin() { window.location.assign(body.getAttribute("data-login-url")); }
  function requireLogin() {
    if (!token()) { toLogin(); return false; }
    return true;
  }

  /* One request to the crew API. Resolves with {status, data, headers}; rejects on network errors. */
  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    if (token()) headers.Authorization = "Crew " + token();
    var init = { method: options.method || "GET", headers: headers, credentials: "omit", cache: "no-store" };
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.json);
    } else if (options.body) {
      init.body = options.body;
    }
    var url = /^https?:/.test(path) ? path : API + path;
    return fetch(url, init).then(function (response) {
      if (response.status === 204) return { status: 204, data: null, headers: response.headers };
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, headers: response.headers };
      });
    });
  }

  // --- the task store -----------------------------------------------------------------
  function store() {
    try {
      var data = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (data && data.tasks) return data;
    } catch (e) { /* broken: start again */ }
    return { sync_token: null, synced_at: null, tasks: {} };
  }
  function storeSave(data) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(data)); } catch (e) { /* full: keep in memory */ }
    window.dispatchEvent(new CustomEvent("crew:tasks"));
  }
  function taskPut(task) {
    var data = store();
    if (task.allowed_actions && task.allowed_actions.length) data.tasks[task.id] = task;
    else delete data.tasks[task.id];  // closed or handed back: not a task of ours any more
    storeSave(data);
  }
  function taskRemove(id) {
    var data = store();
    delete data.tasks[id];
    storeSave(data);
  }

  /* Fetch all pages of a list query; resolves with {results, removed, sync_token} or the failed response. */
  function pages(url, acc) {
    return api(url).then(function (res) {
      if (res.status !== 200) return Promise.reject(res);
      acc.results = acc.results.concat(res.data.results);
      acc.removed = acc.removed.concat(res.data.removed || []);
      acc.sync_token = acc.sync_token || res.data.sync_token;  // the first page's token covers all pages
      return res.data.next ? pages(res.data.next, acc) : acc;
    });
  }

  /* Bring the task store up to date: the first time everything, then only the delta. A 410 says
     the server no longer keeps the changes back to our sync token: load everything again. */
  function sync(near) {
    var data = store();
    var params = [];
    if (near) params.push("near=" + near.lon.toFixed(6) + "," + near.lat.toFixed(6));
    if (data.sync_token) params.push("since=" + encodeURIComponent(data.sync_token));
    params.push("limit=200");
    return pages("tasks?" + params.join("&"), { results: [], removed: [], sync_token: null }).then(function (acc) {
      var fresh = store();
      if (!data.sync_token) fresh.tasks = {};
      acc.results.forEach(function (task) { fresh.tasks[task.id] = task; });
      acc.removed.forEach(function (id) { delete fresh.tasks[id]; });
      fresh.sync_token = acc.sync_token;
      fresh.synced_at = new Date().toISOString();
      storeSave(fresh);
      return fresh;
    }, function (res) {
      if (res && res.status === 401) { logoutLocal(); toLogin(); }
      if (res && res.status === 410 && data.sync_token) {
        var reset = store();
        reset.sync_token = null;
        storeSave(reset);
        return sync(near);
      }
      return Promise.reject(res);
    });
  }

  // --- the outbox ---------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!("indexedDB" in window)) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(OUTBOX, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(OUTBOX, mode);
        var request = action(tx.objectStore(OUTBOX));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function changes() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    }).catch(function () { return []; });
  }
  function changePut(change) { return withStore("readwrite", function (s) { return s.put(change); }); }
  function changeRemove(key) { return withStore("readwrite", function (s) { return s.delete(key); }); }
  function outboxChanged(detail) { window.dispatchEvent(new CustomEvent("crew:outbox", { detail: detail || {} })); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  /* Queue a status change made on `task` (the version the crew member saw) and try to send it. */
  function changeAdd(task, fields, photos) {
    var change = {
      key: uuid(), task_id: task.id, version: task.version, action: fields.action,
      note: fields.note || "", note_internal: fields.note_internal || "",
      photos_before: photos.before || [], photos_after: photos.after || [],
      created_at: new Date().toISOString(), state: "waiting"
    };
    return changePut(change).then(function () {
      outboxChanged({ change: change, queued: true });
      flush();
      return change;
    });
  }

  function changeSend(change) {
    var form = new FormData();
    form.append("action", change.action);
    if (change.note) form.append("note", change.note);
    if (change.note_internal) form.append("note_internal", change.note_internal);
    change.photos_before.forEach(function (p) { form.append("photos_before", p.blob, p.name); });
    change.photos_after.forEach(function (p) { form.append("photos_after", p.blob, p.name); });
    return api("tasks/" + change.task_id + "/transitions", {
      method: "POST", body: form,
      headers: { "Idempotency-Key": change.key, "If-Match": '"' + change.version + '"' }
    });
  }

  // Sends waiting changes in order; stops at the first network error, 401 or server error.
  function flushOnce() {
    return changes().then(function (items) {
      var waiting = items.filter(function (c) { return c.state === "waiting"; });
      return waiting.reduce(function (chain, change) {
        return chain.then(function (go) {
          if (!go) return false;
          return changeSend(change).then(function (res) {
            if (res.status === 200) {
              taskPut(res.data);
              return changeRemove(change.key).then(function () {
                outboxChanged({ change: change, sent: true, task: res.data });
                return true;
              });
            }
            if (res.status === 401) { outboxChanged({ change: change, login: true }); return false; }
            if (res.status === 429 || res.status >= 500) return false;
            if (res.status === 412) {
              change.state = "conflict";
              change.server_task = res.data.task;
              taskPut(res.data.task);
            } else {
              change.state = "error";
              change.error = res.status === 404 ? T.gone : ((res.data && res.data.detail) || String(res.status));
              if (res.status === 404) taskRemove(change.task_id);
            }
            return changePut(change).then(function () { outboxChanged({ change: change }); return true; });
          }, function () { return false; });
        });
      }, Promise.resolve(true));
    });
  }

  var running = null;
  function flush() {
    if (!navigator.onLine || !token()) return Promise.resolve();
    if (running) return running;
    var work = function () { return flushOnce(); };
    running = (navigator.locks && navigator.locks.request ? navigator.locks.request("stadtmelder-crew-outbox", work)
      : work()).catch(function () { /* retried on the next trigger */ }).then(function () { running = null; });
    return running;
  }

  /* The crew member decides about a conflict: drop the change, or send it on the current version. */
  function conflictResolve(change, resend) {
    if (!resend) return changeRemove(change.key).then(function () { outboxChanged({ change: change }); });
    change.state = "waiting";
    change.version = change.server_task ? change.server_task.version : change.version;
    delete change.server_task;
    return changePut(change).then(function () { outboxChanged({ change: change }); return flush(); });
  }

  // --- page chrome: connection, outbox counter, user, logout ----------------------------
  var connection = document.getElementById("connection-status");
  function connectionUpdate() {
    if (!connection) return;
    connection.hidden = navigator.onLine;
    connection.textContent = navigator.onLine ? "" : connection.getAttribute("data-offline");
  }
  var outboxBanner = document.getElementById("crew-outbox");
  function outboxUpdate() {
    if (!outboxBanner) return;
    changes().then(function (items) {
      var waiting = items.filter(function (c) { return c.state === "waiting"; }).length;
      outboxBanner.hidden = waiting === 0;
      outboxBanner.textContent = waiting ? fmt(T.pending_count, { n: waiting }) : "";
    });
  }
  function chrome() {
    var who = user();
    var label = document.getElementById("crew-user");
    if (label && who) {
      label.hidden = false;
      label.textContent = who.name || who.username;
    }
    var logout = document.getElementById("crew-logout");
    if (logout && token()) {
      logout.hidden = false;
      logout.addEventListener("click", function () {
        var done = function () { logoutLocal(); toLogin(); };
        api("auth/token", { method: "DELETE" }).then(done, done);
      });
    }
  }

  window.addEventListener("online", function () { connectionUpdate(); flush(); });
  window.addEventListener("offline", connectionUpdate);
  window.addEventListener("crew:outbox", outboxUpdate);
  document.addEventListener("DOMContentLoaded", function () { connectionUpdate(); outboxUpdate(); chrome(); flush(); });
  window.setInterval(function () { changes().then(function (c) { if (c.length) flush(); }); }, RETRY_MS);

  function dateText(iso) {
    if (!iso) return "–";
    var d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
    return d.toLocaleDateString(lang, { day: "2-digit", month: "2-digit", year: "numeric" });
  }
  function timeText(iso) {
    return iso ? new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) : "–";
  }

  window.Crew = {
    T: T, fmt: fmt, api: api, token: token, user: user, loginStore: loginStore, requireLogin: requireLogin,
    store: store, sync: sync, taskPut: taskPut, changes: changes, changeAdd: changeAdd, flush: flush,
    conflictResolve: conflictResolve, dateText: dateText, timeText: timeText,
    taskUrl: function (id) { return body.getAttribute("data-task-url") + "?id=" + encodeURIComponent(id); },
    tasksUrl: body.getAttribute("data-tasks-url")
  };
})();
