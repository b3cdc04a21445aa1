/* Stadtmelder – the small map on a report page (Leaflet, served by us). The location is also
   given as text (address, lon/lat), so the page is complete without it. */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el || !window.L) { if (el) el.hidden = true; return; }
  var lat = Number(el.dataset.lat), lon = Number(el.dataset.lon);
  var map = L.map(el, { center: [lat, lon], zoom: 16, scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  L.marker([lat, lon], { keyboard: false, alt: "" }).addTo(map);
})();
