/* Stadtmelder – back-office queue: "select all" for bulk assignment, and the Leaflet map of the
   filtered reports (GeoJSON from karte.geojson, written by PostGIS). The list is the complete,
   keyboard-usable alternative to the map; the page works without this script. */
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
  if (!el || !window.L) { if (el) el.hidden = true; return; }
  var d = el.dataset;
  var map = L.map(el, { center: [parseFloat(d.centerLat), parseFloat(d.centerLon)], zoom: parseInt(d.zoom, 10) || 13,
                        zoomControl: false, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: d.tZoomIn, zoomOutTitle: d.tZoomOut }).addTo(map);
  if (d.tileUrl) L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 19 }).addTo(map);
  var mapStatus = document.getElementById("map-status");

  function esc(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }
  function germanDate(iso) {
    if (!iso) return "–";
    var p = iso.split("-");
    return p[2] + "." + p[1] + "." + p[0];
  }
  fetch(d.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var overdue = feature.properties.overdue;
          return L.circleMarker(latlng, { radius: overdue ? 9 : 7, weight: overdue ? 4 : 2,
            color: overdue ? "#b00020" : "#073763", fillColor: overdue ? "#ffe3d9" : "#dbe9f7", fillOpacity: 0.9 });
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          var url = d.reportUrl.replace(/0\/$/, p.id + "/");
          marker.bindPopup('<a class="report-link" href="' + esc(url) + '">#' + esc(p.id) + " " + esc(p.category) +
            "</a><br>" + esc(p.address || "") + "<br>" + esc(d.tDue) + " " + esc(germanDate(p.due_date)) +
            (p.overdue ? " (" + esc(d.tOverdue) + ")" : "") + (p.crew ? "<br>" + esc(p.crew) : ""));
        }
      }).addTo(map);
      var n = data.features.length;
      if (mapStatus) mapStatus.textContent = n === 1 ? d.tCountOne : d.tCount.replace("%(n)s", n);
      if (n) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
    })
    .catch(function () { if (mapStatus) mapStatus.textContent = ""; });
})();
