/* Stadtmelder – map home: the reports in the current view on the city's basemap (MapLibre GL JS).

   Data: the public JSON API. The newest LIST_SIZE reports in view fill the list; up to
   `data-threshold` reports in view are drawn as single symbols (status by shape and colour,
   the legend's symbols), grouped into counted circles by MapLibre's clustering where they
   crowd; above the threshold the page asks the server for grid counts
   (/api/v1/reports/clusters), so 10,000 reports in view cost a few hundred circles.

   The layer and source ids of the reports are in REPORT_LAYERS below, in one place (the
   browser tests query them; vector report tiles can replace the GeoJSON sources there).

   Keyboard and screen readers: the map canvas takes focus (arrows pan, + and − zoom); the
   report symbols live in the canvas, so the list below is their accessible form: focusing or
   hovering a list entry rings its symbol on the map. Without WebGL the map is replaced by a
   note and the page is the server-rendered list and filter (they work without JavaScript). */
import { createMap, fromMapLibreZoom, showNote } from "./maplibre-map.mjs";

const el = document.getElementById("map");
const d = el ? el.dataset : {};
const THRESHOLD = parseInt(d.threshold, 10) || 1000;
const LIST_SIZE = 20;
const lang = document.documentElement.lang || "de";
const FONT = ["DejaVu Sans Bold"];  // a font stack our glyph endpoint serves (basemap.conf FONTS)
const CLUSTER_BORDER = "#0b5394";  // var(--c-primary): ≥ 3:1 against land and white

/** Source and layer ids of the reports (one place: tests and a later switch to report tiles). */
export const REPORT_LAYERS = {
  source: "reports",            // GeoJSON points, clustered in the browser
  gridSource: "report-grid",    // the server's grid counts above the threshold
  focusSource: "report-focus",  // the ring around the symbol of the focused list entry
  points: "report-points",
  clusters: "report-clusters",
  clusterCounts: "report-cluster-counts",
  grid: "report-grid-cells",
  gridCounts: "report-grid-counts",
  focus: "report-focus-ring"
};

const form = document.getElementById("filter-form");
const summary = document.getElementById("map-summary");
const note = document.getElementById("map-note");
const list = document.getElementById("report-list");
const listTitle = document.getElementById("list-title");
const reportHere = document.getElementById("report-here");

// Status labels and symbols from the server-rendered legend: one source for both.
const statusInfo = {};
document.querySelectorAll("#legend [data-status]").forEach((item) => {
  statusInfo[item.getAttribute("data-status")] = {
    label: item.querySelector(".legend-label").textContent,
    symbol: item.getAttribute("data-symbol"),
    colour: getComputedStyle(item.querySelector(".sym")).color
  };
});

function fmt(template, values) {
  return template.replace(/%\((\w+)\)s/g, (match, key) => values[key]);
}
function num(n) { return Number(n).toLocaleString(lang); }
function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
function knownStatus(status) { return statusInfo[status] ? status : "submitted"; }
function symbolSvg(status) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "sym st-" + knownStatus(status));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const use = document.createElementNS("http://www.w3.org/2000/svg", "use");
  use.setAttribute("href", "#sym-" + (statusInfo[status] || { symbol: "ring" }).symbol);
  svg.appendChild(use);
  return svg;
}
function statusLabel(status) { return (statusInfo[status] || { label: status }).label; }
function detailUrl(id) { return d.detailUrl.replace(/0\/$/, encodeURIComponent(id) + "/"); }

/** The legend's SVG symbol of `status` as a bitmap for the map (2x for sharp edges). */
function statusImage(status) {
  const info = statusInfo[status];
  const symbol = document.getElementById("sym-" + info.symbol);
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 24 24">' +
    symbol.innerHTML.replace(/currentColor/g, info.colour) + "</svg>";
  const image = new Image(60, 60);
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  return image.decode().then(() => image);
}

// --- the list and the summary below the map ------------------------------------
const featuresById = new Map();

function renderList(features) {
  list.textContent = "";
  featuresById.clear();
  if (!features.length) {
    list.appendChild(node("li", "report-empty", d.tEmpty));
    return;
  }
  features.slice(0, LIST_SIZE).forEach((feature) => {
    const p = feature.properties;
    featuresById.set(String(p.id), feature);
    const item = node("li", "report-item");
    const link = node("a", "report-link", p.category_name + " ");
    link.href = detailUrl(p.id);
    link.dataset.reportId = p.id;
    link.appendChild(node("span", "report-number", "#" + p.id));
    item.appendChild(link);
    const meta = node("span", "report-meta");
    const badge = node("span", "status status-" + knownStatus(p.status));
    badge.appendChild(symbolSvg(p.status));
    badge.appendChild(document.createTextNode(statusLabel(p.status)));
    meta.appendChild(badge);
    const time = node("time", "", new Date(p.created_at).toLocaleDateString(lang, { dateStyle: "long" }));
    time.setAttribute("datetime", p.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    if (p.address) item.appendChild(node("span", "report-address", p.address));
    list.appendChild(item);
  });
}

function showSummary(count, clustered) {
  const text = clustered ? d.tCountClustered : count === 1 ? d.tCountOne : d.tCount;
  summary.textContent = fmt(text, { count: num(count) });
}

function popupContent(p) {
  const box = node("div", "report-popup");
  box.appendChild(node("h3", "", p.category_name));
  const status = node("p", "popup-status");
  status.appendChild(symbolSvg(p.status));
  status.appendChild(document.createTextNode(" " + statusLabel(p.status)));
  box.appendChild(status);
  if (p.address) box.appendChild(node("p", "", p.address));
  if (p.description) {
    box.appendChild(node("p", "", p.description.length > 160 ? p.description.slice(0, 157) + " …" : p.description));
  }
  if (p.created_at) {
    box.appendChild(node("p", "", new Date(p.created_at).toLocaleDateString(lang, { dateStyle: "long" })));
  }
  if (p.supporter_count > 0) box.appendChild(node("p", "", fmt(d.tSupporters, { count: num(p.supporter_count) })));
  const link = node("a", "popup-link", d.tDetails + " (#" + p.id + ")");
  link.href = detailUrl(p.id);
  box.appendChild(node("p", "")).appendChild(link);
  return box;
}

// --- loading -----------------------------------------------------------------
function filterParams() {
  const params = new URLSearchParams();
  const data = new FormData(form);
  const statuses = data.getAll("status");
  const categories = data.getAll("category");
  if (statuses.length) params.set("status", statuses.join(","));
  if (categories.length) params.set("category", categories.join(","));
  return params;
}

function getJSON(url, signal) {
  return fetch(url, { signal, headers: { Accept: "application/geo+json, application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
}

const EMPTY = { type: "FeatureCollection", features: [] };

function addReportLayers(map) {
  map.addSource(REPORT_LAYERS.source, {
    type: "geojson", data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 17
  });
  map.addSource(REPORT_LAYERS.gridSource, { type: "geojson", data: EMPTY });
  map.addSource(REPORT_LAYERS.focusSource, { type: "geojson", data: EMPTY });
  // Counted circles: radius steps with the count as in the legend (10, 100, 1,000).
  const circle = (countProperty) => ({
    "circle-color": "#ffffff",
    "circle-stroke-color": CLUSTER_BORDER,
    "circle-stroke-width": ["step", ["get", countProperty], 3, 100, 4],
    "circle-radius": ["step", ["get", countProperty], 17, 10, 20, 100, 23, 1000, 27]
  });
  const count = (countProperty) => ({
    layout: {
      "text-field": ["number-format", ["get", countProperty], { locale: lang }],
      "text-font": FONT, "text-size": 14, "text-allow-overlap": true
    },
    paint: { "text-color": "#1f1f1f" }
  });
  map.addLayer({ id: REPORT_LAYERS.grid, type: "circle", source: REPORT_LAYERS.gridSource, paint: circle("count") });
  map.addLayer({ id: REPORT_LAYERS.gridCounts, type: "symbol", source: REPORT_LAYERS.gridSource, ...count("count") });
  map.addLayer({ id: REPORT_LAYERS.clusters, type: "circle", source: REPORT_LAYERS.source,
    filter: ["has", "point_count"], paint: circle("point_count") });
  map.addLayer({ id: REPORT_LAYERS.clusterCounts, type: "symbol", source: REPORT_LAYERS.source,
    filter: ["has", "point_count"], ...count("point_count") });
  map.addLayer({
    id: REPORT_LAYERS.points, type: "symbol", source: REPORT_LAYERS.source, filter: ["!", ["has", "point_count"]],
    layout: {
      "icon-image": ["concat", "status-", ["get", "status"]],
      "icon-allow-overlap": true, "icon-ignore-placement": true
    }
  });
  // The focused list entry: a dark ring inside a yellow one (visible on land, water and symbols).
  map.addLayer({
    id: REPORT_LAYERS.focus, type: "circle", source: REPORT_LAYERS.focusSource,
    paint: { "circle-radius": 21, "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 4,
             "circle-stroke-color": "#1f1f1f" }
  });
  map.addLayer({
    id: REPORT_LAYERS.focus + "-outer", type: "circle", source: REPORT_LAYERS.focusSource,
    paint: { "circle-radius": 25, "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 4,
             "circle-stroke-color": "#ffdd00" }
  });
}

function bbox(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
}

function start(map, maplibregl) {
  let controller = null;

  function showPoints(features) {
    map.getSource(REPORT_LAYERS.gridSource).setData(EMPTY);
    map.getSource(REPORT_LAYERS.source).setData({ type: "FeatureCollection", features });
  }
  function showGrid(cells) {
    map.getSource(REPORT_LAYERS.source).setData(EMPTY);
    map.getSource(REPORT_LAYERS.gridSource).setData({ type: "FeatureCollection", features: cells });
  }

  // First the newest LIST_SIZE reports in view (small, and they fill the list); their
  // numberMatched decides: up to THRESHOLD all of them as symbols, above it the grid counts.
  function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const params = filterParams();
    params.set("bbox", bbox(map));
    const query = params.toString();
    const listUrl = (limit) => d.reportsUrl + "?" + query + "&limit=" + limit;
    el.setAttribute("aria-busy", "true");
    getJSON(listUrl(LIST_SIZE), signal).then((newest) => {
      if (newest.numberMatched > THRESHOLD) {
        const zoom = Math.round(fromMapLibreZoom(map.getZoom()));  // the endpoint counts 256-px tiles
        return getJSON(d.clustersUrl + "?" + query + "&zoom=" + zoom, signal).then((grid) => {
          showGrid(grid.features);
          showSummary(grid.numberMatched, true);
          renderList(newest.features);
        });
      }
      const all = newest.numberMatched <= LIST_SIZE ? Promise.resolve(newest) : getJSON(listUrl(THRESHOLD), signal);
      return all.then((data) => {
        showPoints(data.features);
        showSummary(data.numberMatched, false);
        renderList(data.features);
      });
    }).then(() => {
      if (note.textContent === d.tLoadError) showNote(note, "");
    }, (error) => {
      if (error.name !== "AbortError") showNote(note, d.tLoadError);
    }).then(() => {
      if (!signal.aborted) el.removeAttribute("aria-busy");
    });
  }

  let timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  }

  function updateReportLink() {
    const c = map.getCenter();
    reportHere.href = d.reportUrl + "?lon=" + c.lng.toFixed(6) + "&lat=" + c.lat.toFixed(6);
  }

  // Pointer: a symbol opens its popup, a counted circle zooms in (MapLibre's jumpTo/easeTo
  // follow prefers-reduced-motion).
  const popup = new maplibregl.Popup({ closeButton: true, maxWidth: "18rem" });
  map.on("click", REPORT_LAYERS.points, (e) => {
    const feature = e.features[0];
    popup.setLngLat(feature.geometry.coordinates).setDOMContent(popupContent(feature.properties)).addTo(map);
  });
  map.on("click", REPORT_LAYERS.clusters, (e) => {
    const feature = e.features[0];
    map.getSource(REPORT_LAYERS.source).getClusterExpansionZoom(feature.properties.cluster_id)
      .then((zoom) => map.easeTo({ center: feature.geometry.coordinates, zoom }));
  });
  map.on("click", REPORT_LAYERS.grid, (e) => {
    const feature = e.features[0];
    if (feature.properties.report_id) {
      window.location.href = detailUrl(feature.properties.report_id);
      return;
    }
    map.easeTo({ center: feature.geometry.coordinates, zoom: Math.min(map.getZoom() + 2, map.getMaxZoom()) });
  });
  [REPORT_LAYERS.points, REPORT_LAYERS.clusters, REPORT_LAYERS.grid].forEach((layer) => {
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  });

  // Keyboard: the list entry in focus (or under the pointer) is ringed on the map.
  function ring(event) {
    const link = event.target.closest && event.target.closest(".report-link");
    const feature = link && featuresById.get(link.dataset.reportId);
    map.getSource(REPORT_LAYERS.focusSource).setData(feature ? { type: "FeatureCollection", features: [feature] } : EMPTY);
  }
  list.addEventListener("focusin", ring);
  list.addEventListener("mouseover", ring);
  list.addEventListener("focusout", () => map.getSource(REPORT_LAYERS.focusSource).setData(EMPTY));
  list.addEventListener("mouseleave", () => map.getSource(REPORT_LAYERS.focusSource).setData(EMPTY));

  map.on("moveend", () => { updateReportLink(); schedule(); });
  form.addEventListener("change", () => {
    history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
    schedule();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
    load();
  });
  listTitle.textContent = d.tListTitle;
  updateReportLink();
  load();
}

async function main() {
  const created = await createMap(el, { note });
  if (!created) return;  // no WebGL: the server-rendered list and filter are the page
  const { map, maplibregl } = created;
  window.stadtmelderMap = map;  // for the browser tests (queryRenderedFeatures, loaded())
  const images = Promise.all(Object.keys(statusInfo).map((status) =>
    statusImage(status).then((image) => [status, image])));
  map.on("load", () => {
    images.then((pairs) => {
      pairs.forEach(([status, image]) => map.addImage("status-" + status, image, { pixelRatio: 2 }));
      addReportLayers(map);
      start(map, maplibregl);
    });
  });
}

if (el && form) main();
