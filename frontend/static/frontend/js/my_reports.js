/* Stadtmelder – "Meine Meldungen": the reports this browser sent (tracking links in
   localStorage, kept by outbox.js) with their live status from the API, and the drafts
   waiting in the offline outbox ("wartet auf Versand"). Nothing here needs an account. */
(function () {
  "use strict";
  var root = document.getElementById("my-reports");
  var outbox = window.StadtmelderOutbox;
  if (!root || !outbox) return;
  var T = root.dataset;
  var list = document.getElementById("my-reports-list");
  var empty = document.getElementById("my-reports-empty");
  var lang = document.documentElement.lang || "de";

  function date(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function button(label, onClick) {
    var b = element("button", "link-button", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function draftItem(draft) {
    var li = element("li", "my-report card is-draft");
    var title = element("p", "my-report-title");
    title.appendChild(element("strong", "", draft.category_name || T.report));
    li.appendChild(title);
    var badge = element("span", "status " + (draft.status === "error" ? "status-not_fixable" : "status-submitted"),
                        draft.status === "error" ? T.failed : T.waiting);
    var status = element("p", "", T.statusLabel + ": ");
    status.appendChild(badge);
    li.appendChild(status);
    if (draft.error) li.appendChild(element("p", "error-message", draft.error));
    li.appendChild(element("p", "muted", T.savedOn + " " + date(draft.created_at)));
    li.appendChild(button(T.discard, function () { outbox.draftDiscard(draft.submission_key).then(render); }));
    return li;
  }

  function reportItem(report) {
    var li = element("li", "my-report card");
    var title = element("p", "my-report-title");
    var link = element("a", "", (report.category || T.report) + " #" + report.id);
    link.href = T.trackUrl.replace("TOKEN", encodeURIComponent(report.token));
    title.appendChild(link);
    li.appendChild(title);
    var status = element("p", "", T.statusLabel + ": ");
    var badge = element("span", "status", "…");
    status.appendChild(badge);
    li.appendChild(status);
    li.appendChild(element("p", "muted", T.sentOn + " " + date(report.created_at)));
    li.appendChild(button(T.remove, function () { outbox.reportForget(report.token); render(); }));
    fetch(T.apiTrack.replace("TOKEN", encodeURIComponent(report.token)), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { badge.textContent = T.gone; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { if (badge.textContent === "…") badge.textContent = T.unknown; return; }
        badge.textContent = data.status_label;
        badge.className = "status status-" + data.status;
        if (data.category_name) link.textContent = data.category_name + " #" + data.id;
      })
      .catch(function () { badge.textContent = T.unknown; });
    return li;
  }

  var rendering = null;
  function render() {
    if (rendering) return rendering;
    rendering = outbox.drafts().then(function (drafts) {
      var reports = outbox.reports();
      list.innerHTML = "";
      drafts.forEach(function (d) { list.appendChild(draftItem(d)); });
      reports.forEach(function (r) { list.appendChild(reportItem(r)); });
      empty.hidden = drafts.length + reports.length > 0;
      rendering = null;
    });
    return rendering;
  }

  window.addEventListener("stadtmelder:outbox", render);
  window.addEventListener("storage", render);
  render();
})();
