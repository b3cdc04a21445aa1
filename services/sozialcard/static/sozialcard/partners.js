/* Sozialcard partners: a Leaflet map of the partners' locations (served by us), from the page's
   own GeoJSON (json_script). The list below the map is the complete, accessible page; a marker's
   popup links to its entry in the list. */
(function () {
  "use strict";
  var el = document.getElementById("partner-map");
  var data = document.getElementById("partner-data");
  if (!el || !data || !window.L) return;
  var collection = JSON.parse(data.textContent);
  if (!collection.features.length) return;
  el.hidden = false;
  var d = el.dataset;
  var map = L.map(el, { center: [Number(d.centerLat), Number(d.centerLon)], zoom: Number(d.zoom) || 13,
                        scrollWheelZoom: false });
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  var layer = L.geoJSON(collection, {
    pointToLayer: function (feature, latlng) {  // GeoJSON is lon/lat; Leaflet's latlng is already swapped
      var label = feature.properties.partner + ": " + feature.properties.location;
      return L.marker(latlng, { alt: label, title: label });
    },
    onEachFeature: function (feature, marker) {
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = "#location-" + feature.id;
      link.textContent = feature.properties.partner;
      var address = document.createElement("p");
      address.textContent = feature.properties.location + ", " + feature.properties.address;
      box.appendChild(link);
      box.appendChild(address);
      marker.bindPopup(box);
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24] });
})();
