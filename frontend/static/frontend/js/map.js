/* Stadtmelder – map home: reports in the current view from the public API.
   Up to `data-threshold` reports in view are drawn as single markers (clustered in the
   browser by leaflet.markercluster); above it the page asks the server for grid counts
   (/api/v1/reports/clusters), so 10,000 reports in view cost a few hundred symbols.
   The page works without this script: the filter form and the list are server-rendered. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var d = el.dataset;
  var THRESHOLD = parseInt(d.threshold, 10) || 1000;
  var LIST_SIZE = 20;
  var MAX_ZOOM = 19;
  var lang = document.documentElement.lang || "de";
  var form = document.getElementById("filter-form");
  var summary = document.getElementById("map-summary");
  var note = document.getElementById("map-note");
  var list = document.getElementById("report-list");
  var listTitle = document.getElementById("list-title");
  var reportHere = document.getElementById("report-here");

  // Status labels and symbols from the server-rendered legend: one source for both.
  var statusInfo = {};
  Array.prototype.forEach.call(document.querySelectorAll("#legend [data-status]"), function (item) {
    statusInfo[item.getAttribute("data-status")] = {
      label: item.querySelector(".legend-label").textContent,
      symbol: item.getAttribute("data-symbol")
    };
  });

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }
  function num(n) { return Number(n).toLocaleString(lang); }
  function esc(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }
  function symbol(status) {
    var info = statusInfo[status] || { symbol: "ring" };
    return '<svg class="sym st-' + (statusInfo[status] ? status : "submitted") +
      '" aria-hidden="true" focusable="false"><use href="#sym-' + info.symbol + '"></use></svg>';
  }
  function detailUrl(id) { return d.detailUrl.replace(/0\/$/, encodeURIComponent(id) + "/"); }
  function showNote(text) {
    note.textContent = text;
    note.hidden = !text;
  }

  // --- the map ---------------------------------------------------------------
  // No fades or zoom animations for people who asked their system for reduced motion.
  var animate = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  var map = L.map(el, {
    center: [parseFloat(d.centerLat), parseFloat(d.centerLon)],  // Leaflet wants lat, lon
    zoom: parseInt(d.zoom, 10) || 13,
    maxZoom: MAX_ZOOM,
    zoomControl: false,
    fadeAnimation: animate,
    zoomAnimation: animate,
    markerZoomAnimation: animate
  });
  L.control.zoom({ zoomInTitle: d.tZoomIn, zoomOutTitle: d.tZoomOut }).addTo(map);
  if (d.tileUrl) {
    var tileErrorShown = false;
    L.tileLayer(d.tileUrl, { attribution: d.tileAttribution, maxZoom: MAX_ZOOM })
      .on("tileerror", function () {
        if (!tileErrorShown) { tileErrorShown = true; showNote(d.tTileError); }
      })
      .addTo(map);
  }

  function clusterIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 46 : 54;
    return L.divIcon({
      className: "report-cluster" + (count >= 100 ? " many" : ""),
      html: '<span aria-hidden="true">' + esc(num(count)) + '</span><span class="visually-hidden">' +
        esc(fmt(d.tCluster, { count: num(count) })) + "</span>",
      iconSize: [size, size]
    });
  }

  var clusterGroup = L.markerClusterGroup({
    iconCreateFunction: function (cluster) { return clusterIcon(cluster.getChildCount()); },
    showCoverageOnHover: false,
    chunkedLoading: true,
    maxClusterRadius: 50
  }).addTo(map);
  var gridLayer = L.layerGroup().addTo(map);
  var markersById = {};

  function popupContent(p) {
    var box = node("div", "report-popup");
    box.appendChild(node("h3", "", p.category_name));
    var status = node("p", "");
    status.innerHTML = symbol(p.status) + " ";
    status.appendChild(document.createTextNode((statusInfo[p.status] || { label: p.status }).label));
    status.className = "popup-status";
    box.appendChild(status);
    if (p.address) box.appendChild(node("p", "", p.address));
    if (p.description) {
      box.appendChild(node("p", "", p.description.length > 160 ? p.description.slice(0, 157) + " …" : p.description));
    }
    if (p.created_at) {
      box.appendChild(node("p", "", new Date(p.created_at).toLocaleDateString(lang, { dateStyle: "long" })));
    }
    if (p.supporter_count > 0) box.appendChild(node("p", "", fmt(d.tSupporters, { count: num(p.supporter_count) })));
    var link = node("a", "popup-link", d.tDetails + " (#" + p.id + ")");
    link.href = detailUrl(p.id);
    box.appendChild(node("p", "")).appendChild(link);
    return box;
  }

  function reportMarker(feature) {
    var p = feature.properties;
    var coords = feature.geometry.coordinates;  // GeoJSON: lon, lat
    var info = statusInfo[p.status] || { label: p.status };
    var marker = L.marker([coords[1], coords[0]], {
      icon: L.divIcon({
        className: "report-marker st-" + (statusInfo[p.status] ? p.status : "submitted"),
        html: symbol(p.status), iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -12]
      }),
      title: [p.category_name, info.label, p.address].filter(Boolean).join(", "),
      keyboard: true
    });
    marker.bindPopup(function () { return popupContent(p); });
    return marker;
  }

  function gridMarker(feature) {
    var coords = feature.geometry.coordinates;
    var count = feature.properties.count;
    var marker = L.marker([coords[1], coords[0]], { icon: clusterIcon(count), keyboard: true });
    if (feature.properties.report_id) {
      var box = node("div", "report-popup");
      box.appendChild(node("p", "", d.tSingle));
      var link = node("a", "popup-link", d.tDetails + " (#" + feature.properties.report_id + ")");
      link.href = detailUrl(feature.properties.report_id);
      box.appendChild(node("p", "")).appendChild(link);
      marker.bindPopup(box);
    } else {
      var zoomIn = function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, MAX_ZOOM)); };
      marker.on("click", zoomIn);
      marker.on("keypress", function (e) { if (e.originalEvent.key === "Enter") zoomIn(); });
    }
    return marker;
  }

  function showMarkers(features) {
    gridLayer.clearLayers();
    var next = {};
    var add = [];
    features.forEach(function (feature) {
      var key = feature.properties.id + ":" + feature.properties.status;
      next[key] = markersById[key] || reportMarker(feature);
      if (!markersById[key]) add.push(next[key]);
    });
    var remove = Object.keys(markersById).filter(function (key) { return !next[key]; })
      .map(function (key) { return markersById[key]; });
    if (remove.length) clusterGroup.removeLayers(remove);
    if (add.length) clusterGroup.addLayers(add);
    markersById = next;
  }

  function showGrid(cells) {
    clusterGroup.clearLayers();
    markersById = {};
    gridLayer.clearLayers();
    cells.forEach(function (feature) { gridLayer.addLayer(gridMarker(feature)); });
  }

  // Keyboard users land in the popup and return to the marker when it closes.
  map.on("popupopen", function (e) {
    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", d.tClose);
    var link = e.popup.getElement().querySelector(".popup-link");
    if (link) link.focus({ preventScroll: true });
  });
  map.on("popupclose", function (e) {
    var source = e.popup._source && e.popup._source.getElement && e.popup._source.getElement();
    if (source && e.popup.getElement().contains(document.activeElement)) source.focus({ preventScroll: true });
  });

  // --- the list and the summary below the map --------------------------------
  function renderList(features) {
    list.textContent = "";
    if (!features.length) {
      list.appendChild(node("li", "report-empty", d.tEmpty));
      return;
    }
    features.slice(0, LIST_SIZE).forEach(function (feature) {
      var p = feature.properties;
      var item = node("li", "report-item");
      var link = node("a", "report-link", p.category_name + " ");
      link.href = detailUrl(p.id);
      link.appendChild(node("span", "report-number", "#" + p.id));
      item.appendChild(link);
      var meta = node("span", "report-meta");
      var known = statusInfo[p.status] ? p.status : "submitted";
      var badge = node("span", "status status-" + known);
      badge.innerHTML = symbol(p.status);
      badge.appendChild(document.createTextNode((statusInfo[p.status] || { label: p.status }).label));
      meta.appendChild(badge);
      var time = node("time", "", new Date(p.created_at).toLocaleDateString(lang, { dateStyle: "long" }));
      time.setAttribute("datetime", p.created_at);
      meta.appendChild(time);
      item.appendChild(meta);
      if (p.address) item.appendChild(node("span", "report-address", p.address));
      list.appendChild(item);
    });
  }

  function showSummary(count, clustered) {
    var text = clustered ? d.tCountClustered : count === 1 ? d.tCountOne : d.tCount;
    summary.textContent = fmt(text, { count: num(count) });
  }

  // --- loading ---------------------------------------------------------------
  function filterParams() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    var statuses = data.getAll("status");
    var categories = data.getAll("category");
    if (statuses.length) params.set("status", statuses.join(","));
    if (categories.length) params.set("category", categories.join(","));
    return params;
  }

  function bbox() {
    var b = map.getBounds();
    var clamp = function (v, lim) { return Math.max(-lim, Math.min(lim, v)).toFixed(6); };
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
  }

  var controller = null;
  function getJSON(url, signal) {
    return fetch(url, { signal: signal, headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  // First the newest LIST_SIZE reports in view (small, and they fill the list); their
  // numberMatched decides: up to THRESHOLD all of them as markers, above it the grid counts.
  function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    var signal = controller.signal;
    var params = filterParams();
    params.set("bbox", bbox());
    var query = params.toString();
    var listUrl = function (limit) { return d.reportsUrl + "?" + query + "&limit=" + limit; };
    el.setAttribute("aria-busy", "true");
    getJSON(listUrl(LIST_SIZE), signal).then(function (newest) {
      if (newest.numberMatched > THRESHOLD) {
        return getJSON(d.clustersUrl + "?" + query + "&zoom=" + map.getZoom(), signal).then(function (grid) {
          showGrid(grid.features);
          showSummary(grid.numberMatched, true);
          renderList(newest.features);
        });
      }
      var all = newest.numberMatched <= LIST_SIZE ? Promise.resolve(newest) : getJSON(listUrl(THRESHOLD), signal);
      return all.then(function (data) {
        showMarkers(data.features);
        showSummary(data.numberMatched, false);
        renderList(data.features);
      });
    }).then(function () {
      if (note.textContent === d.tLoadError) showNote("");
    }, function (error) {
      if (error.name !== "AbortError") showNote(d.tLoadError);
    }).then(function () {
      if (!signal.aborted) el.removeAttribute("aria-busy");
    });
  }

  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  }

  function updateReportLink() {
    var c = map.getCenter();
    reportHere.href = d.reportUrl + "?lon=" + c.lng.toFixed(6) + "&lat=" + c.lat.toFixed(6);
  }

  map.on("moveend", function () { updateReportLink(); schedule(); });
  form.addEventListener("change", function () {
    history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
    schedule();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
    load();
  });
  listTitle.textContent = d.tListTitle;
  updateReportLink();
  load();
})();
