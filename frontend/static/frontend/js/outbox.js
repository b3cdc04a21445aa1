/* Stadtmelder – what the browser keeps for the citizen, without an account:
   - the tracking links of sent reports (localStorage "stadtmelder.reports"),
   - reports written while offline (IndexedDB "stadtmelder", store "outbox"): the form fields,
     the downscaled photos as Blobs and the draft's submission_key.
   The outbox is sent when the connection returns ("online" event) and on every page load.
   Exactly once: a draft keeps its submission_key, the server answers a re-sent key with the
   report it already stored (200), and a draft is removed only after a 200/201. Sends are
   serialised across tabs with the Web Locks API where the browser has it.
   Events on window: "stadtmelder:sent" (detail: {draft, report}) and "stadtmelder:outbox". */
(function () {
  "use strict";
  var DB_NAME = "stadtmelder";
  var STORE = "outbox";
  var REPORTS_KEY = "stadtmelder.reports";
  var RETRY_MS = 60000;

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!("indexedDB" in window)) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "submission_key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
        transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function drafts() {
    return withStore("readonly", function (store) { return store.getAll(); })
      .then(function (items) {
        return (items || []).sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
      })
      .catch(function () { return []; });
  }

  function draftPut(draft) { return withStore("readwrite", function (store) { return store.put(draft); }); }
  function draftRemove(key) { return withStore("readwrite", function (store) { return store.delete(key); }); }

  function changed() { window.dispatchEvent(new CustomEvent("stadtmelder:outbox")); }

  function reports() {
    try {
      var list = JSON.parse(localStorage.getItem(REPORTS_KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }

  function reportRemember(report) {
    if (!report || !report.token) return;
    var list = reports().filter(function (r) { return r.token !== report.token; });
    list.unshift({ token: report.token, id: report.id, category: report.category || "",
                   created_at: report.created_at || new Date().toISOString() });
    try { localStorage.setItem(REPORTS_KEY, JSON.stringify(list.slice(0, 200))); } catch (e) { /* full */ }
  }

  function reportForget(token) {
    var list = reports().filter(function (r) { return r.token !== token; });
    try { localStorage.setItem(REPORTS_KEY, JSON.stringify(list)); } catch (e) { /* ignore */ }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* One POST of a report (fields + photo Blobs) to the API. Resolves with
     {ok, status, data}; rejects only on network errors. */
  function reportPost(endpoint, fields, photos) {
    var body = new FormData();
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      if (value !== undefined && value !== null && value !== "") body.append(name, value);
    });
    (photos || []).forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    return fetch(endpoint, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.status === 200 || response.status === 201, status: response.status, data: data };
      });
    });
  }

  function remembered(data, draft) {
    return { token: data.tracking_token, id: data.id, category: data.category_name || draft.category_name,
             created_at: data.created_at };
  }

  // Sends waiting drafts one after the other; stops at the first network or server error.
  function flushOnce() {
    return drafts().then(function (items) {
      var waiting = items.filter(function (d) { return d.status !== "error"; });
      return waiting.reduce(function (chain, draft) {
        return chain.then(function (go) {
          if (!go) return false;
          return reportPost(draft.endpoint, draft.fields, draft.photos).then(function (result) {
            if (result.ok) {
              reportRemember(remembered(result.data, draft));
              return draftRemove(draft.submission_key).then(function () {
                window.dispatchEvent(new CustomEvent("stadtmelder:sent", { detail: { draft: draft, report: result.data } }));
                changed();
                return true;
              });
            }
            if (result.status === 429 || result.status === 408 || result.status >= 500) return false;
            // The server refused the content (400/413/415…): keep it, show why, never resend blindly.
            draft.status = "error";
            draft.error = (result.data && result.data.detail) || String(result.status);
            return draftPut(draft).then(function () { changed(); return true; });
          }, function () { return false; });
        });
      }, Promise.resolve(true));
    });
  }

  var running = null;
  function flush() {
    if (!navigator.onLine) return Promise.resolve();
    if (running) return running;
    var work = function () { return flushOnce(); };
    running = (navigator.locks && navigator.locks.request
      ? navigator.locks.request("stadtmelder-outbox", work)
      : work()
    ).catch(function () { /* retried on the next trigger */ }).then(function () { running = null; });
    return running;
  }

  function draftAdd(draft) {
    draft.status = "waiting";
    draft.created_at = draft.created_at || new Date().toISOString();
    return draftPut(draft).then(changed);
  }

  function draftDiscard(key) { return draftRemove(key).then(changed); }

  window.StadtmelderOutbox = {
    drafts: drafts, draftAdd: draftAdd, draftDiscard: draftDiscard, flush: flush,
    reports: reports, reportRemember: reportRemember, reportForget: reportForget,
    reportPost: reportPost, remembered: remembered
  };

  // The confirmation page remembers its report (also when the form was sent without JavaScript).
  function rememberDonePage() {
    var done = document.getElementById("report-done");
    if (done) {
      reportRemember({ token: done.getAttribute("data-token"), id: Number(done.getAttribute("data-id")),
                       category: done.getAttribute("data-category"), created_at: done.getAttribute("data-created") });
    }
  }

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () { rememberDonePage(); flush(); });
  window.setInterval(function () { drafts().then(function (d) { if (d.length) flush(); }); }, RETRY_MS);
})();
