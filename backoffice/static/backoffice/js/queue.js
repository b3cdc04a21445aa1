/* Stadtmelder – back-office queue: "select all" for bulk assignment, and the map of the
   filtered reports (GeoJSON from karte.geojson, written by PostGIS) drawn by MapLibre GL JS on
   the city's basemap through the shared frontend/js/maplibre-map.mjs (loaded with import()):
   a circle per report, overdue ones larger with a thick red ring (shape as well as colour), a
   click opens a popup with the link. The list is the complete, keyboard-usable alternative to
   the map; the page works without this script and without WebGL (then a note says so). */
(function () {
  "use strict";
  // --- selection ---------------------------------------------------------------
  var all = document.getElementById("select-all");
  var status = document.getElementById("selection-status");
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#queue-table input[name="reports"]'));
  function announce() {
    var n = boxes.filter(function (b) { return b.checked; }).length;
    // The texts come translated from the template (data-t-selected-one, data-t-selected).
    if (status) {
      status.textContent = n === 1 ? status.dataset.tSelectedOne : status.dataset.tSelected.replace("%(n)s", n);
    }
    if (all) { all.checked = n === boxes.length && n > 0; all.indeterminate = n > 0 && n < boxes.length; }
  }
  if (all && boxes.length) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = all.checked; });
      announce();
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", announce); });

  // --- map -----------------------------------------------------------------------
  var el = document.getElementById("queue-map");
  if (!el) return;
  var d = el.dataset;
  var mapStatus = document.getElementById("map-status");
  var LAYER = "queue-reports";  // source and circle layer id (the browser tests query it)

  function germanDate(iso) {
    if (!iso) return "–";
    var p = iso.split("-");
    return p[2] + "." + p[1] + "." + p[0];
  }
  function popupContent(p) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.className = "report-link";
    link.href = d.reportUrl.replace(/0\/$/, p.id + "/");
    link.textContent = "#" + p.id + " " + p.category;
    box.appendChild(link);
    [p.address || "", d.tDue + " " + germanDate(p.due_date) + (p.overdue ? " (" + d.tOverdue + ")" : ""), p.crew || ""]
      .forEach(function (line) {
        if (!line) return;
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line));
      });
    return box;
  }

  var reports = fetch(d.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  Promise.all([import(d.setupUrl), reports]).then(function (loaded) {
    var setup = loaded[0], data = loaded[1];
    return setup.createMap(el, { note: document.getElementById("queue-map-note") }).then(function (created) {
      if (!created) return;  // no WebGL: the list is the page
      var map = created.map;
      window.stadtmelderMap = map;  // for the browser tests
      map.on("load", function () {
        var overdue = ["==", ["get", "overdue"], true];
        setup.addPointLayer(map, LAYER, data, {
          "circle-radius": ["case", overdue, 9, 7],
          "circle-color": ["case", overdue, "#ffe3d9", "#dbe9f7"],
          "circle-stroke-color": ["case", overdue, "#b00020", "#073763"],
          "circle-stroke-width": ["case", overdue, 4, 2]
        });
        var n = data.features.length;
        if (mapStatus) mapStatus.textContent = n === 1 ? d.tCountOne : d.tCount.replace("%(n)s", n);
        setup.fitPoints(map, data.features.map(function (f) { return f.geometry.coordinates; }),
                        { maxZoom256: 16, padding: 48 });  // clear of the controls
        var popup = new created.maplibregl.Popup({ maxWidth: "18rem" });
        map.on("click", LAYER, function (event) {
          var feature = event.features[0];
          popup.setLngLat(feature.geometry.coordinates).setDOMContent(popupContent(feature.properties)).addTo(map);
        });
        map.on("mouseenter", LAYER, function () { map.getCanvas().style.cursor = "pointer"; });
        map.on("mouseleave", LAYER, function () { map.getCanvas().style.cursor = ""; });
      });
    });
  }).catch(function () { if (mapStatus) mapStatus.textContent = ""; });
})();
