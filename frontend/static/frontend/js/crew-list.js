/* Stadtmelder Außendienst – task list: nearest first, with a small map.
   The phone's position comes from navigator.geolocation; without it the list is sorted by due
   date. The server sorts by distance on the spheroid (?near=); the list shown is the local task
   store (it opens offline), sorted here by great-circle distance on the mean earth radius — for
   ordering a few hundred tasks a few kilometres apart the difference to the spheroid (< 0.5 %)
   does not matter. The API and MapLibre both speak (lon, lat).
   The map (MapLibre GL JS through the shared maplibre-map.mjs, loaded with import()) needs the
   network for its style and tiles: offline it is not started and a note says that the list
   below is the way to the tasks; it starts when the connection returns. Each task is a link on
   the map (a focusable marker), as in the list. */
(function () {
  "use strict";
  if (!window.Crew || !Crew.requireLogin()) return;
  var T = Crew.T;
  var list = document.getElementById("task-list");
  var listStatus = document.getElementById("list-status");
  var positionStatus = document.getElementById("position-status");
  var lang = document.documentElement.lang || "de";
  var here = null;  // {lon, lat, accuracy}
  var map = null, setup = null, maplibregl = null, mapStarted = false;
  var markers = [], lastItems = [];

  var EARTH_RADIUS_M = 6371008.8;  // IUGG mean radius
  function distanceM(lon1, lat1, lon2, lat2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function distanceText(m) {
    return m < 1000 ? Math.round(m) + " m" : (m / 1000).toLocaleString(lang, { maximumFractionDigits: 1 }) + " km";
  }
  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function sorted(tasks) {
    var items = Object.keys(tasks).map(function (id) { return tasks[id]; });
    items.forEach(function (t) {
      var c = t.location.coordinates;
      t._distance = here ? distanceM(here.lon, here.lat, c[0], c[1]) : null;
    });
    items.sort(function (a, b) {
      if (here) return (a._distance - b._distance) || (a.id - b.id);
      var da = a.due_date || "9999-12-31", db = b.due_date || "9999-12-31";
      return da < db ? -1 : da > db ? 1 : a.id - b.id;
    });
    return items;
  }

  function mapNote(text) {
    var note = document.getElementById("crew-map-note");
    note.textContent = text;
    note.hidden = !text;
  }

  function mapInit() {
    var el = document.getElementById("crew-map");
    if (!el || mapStarted) return;
    if (!navigator.onLine) { el.hidden = true; mapNote(T.map_offline); return; }
    mapStarted = true;
    import(el.dataset.setupUrl).then(function (module) {
      setup = module;
      el.hidden = false;
      mapNote("");
      return setup.createMap(el, { note: document.getElementById("crew-map-note") });
    }).then(function (created) {
      if (!created) return;  // no WebGL: createMap has said so; the list is the page
      map = created.map;
      maplibregl = created.maplibregl;
      window.stadtmelderMap = map;  // for the browser tests
      mapDraw(lastItems);
    }).catch(function () {
      // MapLibre's module could not be fetched (the connection dropped): try again when online.
      mapStarted = false;
      el.hidden = true;
      mapNote(T.map_offline);
    });
  }

  function mapDraw(items) {
    lastItems = items;
    if (!map) return;
    markers.forEach(function (marker) { marker.remove(); });
    markers = [];
    var points = [];
    items.forEach(function (t) {
      var c = t.location.coordinates;  // lon, lat
      var label = Crew.fmt(T.marker, { id: t.id, category: t.category.name });
      var link = node("a", "crew-task-marker");
      link.href = Crew.taskUrl(t.id);
      link.title = label;
      link.setAttribute("aria-label", label);
      markers.push(new maplibregl.Marker({ element: link }).setLngLat(c).addTo(map));
      points.push(c);
    });
    if (here) {
      var dot = node("span", "crew-here");
      dot.title = T.you_are_here;
      dot.setAttribute("role", "img");
      dot.setAttribute("aria-label", T.you_are_here);
      markers.push(new maplibregl.Marker({ element: dot }).setLngLat([here.lon, here.lat]).addTo(map));
      points.push([here.lon, here.lat]);
    }
    setup.fitPoints(map, points, { maxZoom256: 16, padding: 24 });
  }

  function render() {
    var data = Crew.store();
    var items = sorted(data.tasks);
    Crew.changes().then(function (queued) {
      // Cleared and filled in one go: two renders in flight cannot interleave their items.
      list.textContent = "";
      if (!items.length) list.appendChild(node("li", "task-empty", T.no_tasks));
      var pending = {};
      queued.forEach(function (c) { pending[c.task_id] = c; });
      items.forEach(function (t, index) {
        var li = node("li", "task-item card");
        var link = node("a", "task-link");
        link.href = Crew.taskUrl(t.id);
        link.id = "task-" + t.id;
        link.appendChild(node("span", "task-name", Crew.fmt(T.task_title, { category: t.category.name, id: t.id })));
        li.appendChild(link);
        var meta = node("p", "task-meta");
        meta.appendChild(node("span", "status status-" + t.status, t.status_label));
        if (t._distance !== null) meta.appendChild(node("span", "task-distance",
          Crew.fmt(T.distance, { d: distanceText(t._distance) })));
        if (t.due_date) meta.appendChild(node("span", "task-due", Crew.fmt(T.due, { date: Crew.dateText(t.due_date) })));
        li.appendChild(meta);
        li.appendChild(node("p", "task-address", t.address || t.location_text || ""));
        if (pending[t.id]) {
          var c = pending[t.id];
          li.appendChild(node("p", "task-pending", c.state === "waiting" ? T.queued : c.state === "conflict"
            ? Crew.fmt(T.conflict, { status: t.status_label, action: T.actions[c.action] })
            : Crew.fmt(T.error, { detail: c.error || "" })));
        }
        li.setAttribute("data-rank", String(index + 1));
        list.appendChild(li);
      });
    });
    mapDraw(items);
    if (data.synced_at) {
      listStatus.textContent = Crew.fmt(navigator.onLine ? T.loaded : T.offline_cached,
        { n: items.length, time: Crew.timeText(data.synced_at) });
    }
  }

  function refresh() {
    if (!navigator.onLine) { render(); return Promise.resolve(); }
    listStatus.textContent = T.loading;
    return Crew.flush().then(function () { return Crew.sync(here); })
      .then(render, function () { listStatus.textContent = T.network; render(); });
  }

  function locate() {
    if (!("geolocation" in navigator)) { positionStatus.textContent = T.position_none; return refresh(); }
    positionStatus.textContent = T.position_wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      here = { lon: pos.coords.longitude, lat: pos.coords.latitude, accuracy: pos.coords.accuracy };
      positionStatus.textContent = Crew.fmt(T.position_ok, { acc: Math.round(pos.coords.accuracy || 0) });
      refresh();
    }, function () {
      here = null;
      positionStatus.textContent = T.position_none;
      refresh();
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    mapInit();
    render();
    locate();
    document.getElementById("crew-refresh").addEventListener("click", locate);
    window.addEventListener("crew:outbox", render);
    window.addEventListener("online", function () { mapInit(); refresh(); });
  });
})();
