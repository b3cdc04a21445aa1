/* Stadtmelder – open data portal. Everything here is an enhancement; the pages work without it:
   - on wide screens the filter panel of the dataset search starts open (phones: closed);
   - the dataset page's map preview (Leaflet, data from the json_script block, GeoJSON lon/lat);
   - "copy" buttons next to the API examples. */
(function () {
  "use strict";

  var panel = document.getElementById("facet-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) panel.open = true;

  // --- copy buttons ------------------------------------------------------------
  var examples = document.querySelector(".api-example-list");
  var copyStatus = document.getElementById("copy-status");
  if (examples && navigator.clipboard) {
    Array.prototype.forEach.call(examples.querySelectorAll(".api-example"), function (item) {
      var code = item.querySelector("pre code");
      var label = item.querySelector(".api-example-label");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary copy-button";
      button.textContent = examples.dataset.tCopy;
      button.setAttribute("aria-label", examples.dataset.tCopy + ": " + label.textContent);
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent).then(function () {
          if (copyStatus) copyStatus.textContent = examples.dataset.tCopied + ": " + label.textContent;
        });
      });
      item.appendChild(button);
    });
  }

  // --- map preview ---------------------------------------------------------------
  var el = document.getElementById("dataset-map");
  var source = document.getElementById("dataset-map-data");
  if (!el || !source || !window.L) return;
  var data = JSON.parse(source.textContent);
  var d = el.dataset;
  var map = L.map(el, { zoomControl: false, scrollWheelZoom: false, maxZoom: 19, zoomSnap: 0.25 });
  L.control.zoom({ zoomInTitle: d.tZoomIn, zoomOutTitle: d.tZoomOut }).addTo(map);
  if (d.tileUrl) L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: 19 }).addTo(map);

  var FEATURE = "#8a1c00";
  var EXTENT = "#0b5394";
  // L.geoJSON applies `style` to circle markers too: points get a filled circle style.
  function styler(color, shapeStyle) {
    return function (feature) {
      var type = feature && feature.geometry ? feature.geometry.type : feature && feature.type;
      if (type === "Point" || type === "MultiPoint") {
        return { radius: 5, color: "#ffffff", weight: 1.5, fillColor: color, fillOpacity: 0.9 };
      }
      return shapeStyle;
    };
  }
  function asCircle(feature, latlng) { return L.circleMarker(latlng, { interactive: false }); }
  var group = L.featureGroup();
  if (data.extent) {
    L.geoJSON(data.extent, {
      interactive: false, pointToLayer: asCircle,
      style: styler(EXTENT, { color: EXTENT, weight: 3, dashArray: "8 6", fill: true, fillOpacity: 0.06 })
    }).addTo(group);
  }
  if (data.features) {
    L.geoJSON(data.features, {
      interactive: false, pointToLayer: asCircle,
      style: styler(FEATURE, { color: FEATURE, weight: 2, fillColor: FEATURE, fillOpacity: 0.35 })
    }).addTo(group);
  }
  group.addTo(map);
  var bounds = group.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
  } else {
    map.setView([0, 0], 2);
  }
})();
