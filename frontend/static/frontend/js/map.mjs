/* Stadtmelder – map home: the reports on the city's basemap (MapLibre GL JS).

   Map data: the reports' vector tiles (OGC API – Tiles, /ogc/collections/reports/tiles/…),
   so what a view costs depends on the tiles in view, not on how many reports the city has.
   Tiles below `data-points-zoom` carry one point per grid cell with its count per status
   (layer "report-counts"): drawn as counted circles, a cell of one report as that report's
   status symbol. From `data-points-zoom` they carry the reports themselves (layer "reports":
   id, category, status, supporter_count, created_at): drawn as status symbols (shape and
   colour, the legend's symbols). The source's maxzoom is a few levels above: deeper zooms
   enlarge those tiles instead of asking for more. The status filter filters both layers in
   the browser (the counts are per status).

   The category filter: the count tiles have no categories, so while a category is chosen
   and the view is below `data-points-zoom` the map draws the server's grid counts of the
   filtered reports from the JSON API (/api/v1/reports/clusters) instead of the count tiles;
   at point zooms the tiles' points are filtered by their `category` in the browser.

   The list beside the map is one page (`data-page-size`) of the reports in view from
   /api/v1/reports/ (newest first, server-paged with offset; numberMatched is the total the
   summary states, or, above the server's count cap, numberMatchedAtLeast: "more than" it, and
   the pager follows the "next" link), with buttons for the newer and older pages.

   The layer and source ids are in REPORT_LAYERS below, in one place (the browser tests query
   them).

   Keyboard and screen readers: the map canvas takes focus (arrows pan, + and − zoom, Enter
   opens the report in the centre of the map — a ring marks the centre while the canvas has
   focus); the report symbols live in the canvas, so the list is their accessible form:
   focusing or hovering a list entry rings its symbol on the map. Without WebGL the map is
   replaced by a note and the page is the server-rendered list and filter (they work
   without JavaScript). */
import { absoluteUrl, createMap, fromMapLibreZoom, showNote } from "./maplibre-map.mjs";

const el = document.getElementById("map");
const d = el ? el.dataset : {};
const PAGE_SIZE = parseInt(d.pageSize, 10) || 20;
// Tile zoom from which the tiles carry points; with 512-px vector tiles MapLibre's zoom z
// asks for tiles of zoom z, so it is also the MapLibre zoom where points appear.
const POINTS_ZOOM = parseInt(d.pointsZoom, 10) || 13;
const TILES_MAX_ZOOM = POINTS_ZOOM + 3;
const lang = document.documentElement.lang || "de";
const FONT = ["DejaVu Sans Bold"];  // a font stack our glyph endpoint serves (basemap.conf FONTS)
const CLUSTER_BORDER = "#0b5394";  // var(--c-primary): ≥ 3:1 against land and white
const CENTRE_PX = 22;  // Enter on the canvas takes a report within this many pixels of the centre

/** Source and layer ids of the reports (one place: the browser tests query them). */
export const REPORT_LAYERS = {
  source: "reports",            // the vector tiles
  countsLayer: "report-counts", // MVT layer names (opendata/ogc/tiles/selectors.py)
  pointsLayer: "reports",
  gridSource: "report-grid",    // the server's grid counts while a category filter is active
  focusSource: "report-focus",  // the ring around the symbol of the focused list entry
  cells: "report-cells",        // counted circles of the count tiles
  cellCounts: "report-cell-counts",
  cellSingles: "report-cell-singles",  // a cell of one report: its status symbol
  points: "report-points",
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
const STATUSES = Object.keys(statusInfo);
// Category names by slug from the filter form (the tiles carry slugs only).
const categoryNames = {};
if (form) {
  form.querySelectorAll('input[name="category"]').forEach((input) => {
    const label = form.querySelector('label[for="' + input.id + '"]');
    categoryNames[input.value] = label ? label.textContent.trim() : input.value;
  });
}

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
function longDate(value) { return new Date(value).toLocaleDateString(lang, { dateStyle: "long" }); }

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

// --- the filter ----------------------------------------------------------------
function chosenFilter() {
  const data = new FormData(form);
  return { statuses: data.getAll("status"), categories: data.getAll("category") };
}

function filterParams(filter) {
  const params = new URLSearchParams();
  if (filter.statuses.length) params.set("status", filter.statuses.join(","));
  if (filter.categories.length) params.set("category", filter.categories.join(","));
  return params;
}

// Expressions on the count tiles: a cell's count of the chosen statuses (missing = 0).
function statusCount(status) { return ["coalesce", ["get", status], 0]; }
function cellCount(filter) {
  return filter.statuses.length ? ["+", 0, ...filter.statuses.map(statusCount)] : ["get", "count"];
}
/** The status symbol of a cell holding one report: the status whose count is 1. */
function cellSingleIcon(filter) {
  const statuses = filter.statuses.length ? filter.statuses : STATUSES;
  return ["case", ...statuses.flatMap((s) => [[">", statusCount(s), 0], "status-" + s]), "status-submitted"];
}
function pointFilter(filter) {
  const all = ["all"];
  if (filter.statuses.length) all.push(["in", ["get", "status"], ["literal", filter.statuses]]);
  if (filter.categories.length) all.push(["in", ["get", "category"], ["literal", filter.categories]]);
  return all;
}

// Counted circles: radius steps with the count as in the legend (10, 100, 1,000).
function circlePaint(count) {
  return {
    "circle-color": "#ffffff",
    "circle-stroke-color": CLUSTER_BORDER,
    "circle-stroke-width": ["step", count, 3, 100, 4],
    "circle-radius": ["step", count, 17, 10, 20, 100, 23, 1000, 27]
  };
}
function countText(count) {
  return ["number-format", count, { locale: lang }];
}
const COUNT_LAYOUT = { "text-font": FONT, "text-size": 14, "text-allow-overlap": true };

/** Draw what `filter` chooses: tile layer filters and counts, or the JSON grid for categories. */
function applyFilter(map, filter) {
  const count = cellCount(filter);
  const fromTiles = !filter.categories.length;
  map.setFilter(REPORT_LAYERS.cells, [">", count, 1]);
  map.setPaintProperty(REPORT_LAYERS.cells, "circle-radius", circlePaint(count)["circle-radius"]);
  map.setPaintProperty(REPORT_LAYERS.cells, "circle-stroke-width", circlePaint(count)["circle-stroke-width"]);
  map.setFilter(REPORT_LAYERS.cellCounts, [">", count, 1]);
  map.setLayoutProperty(REPORT_LAYERS.cellCounts, "text-field", countText(count));
  map.setFilter(REPORT_LAYERS.cellSingles, ["==", count, 1]);
  map.setLayoutProperty(REPORT_LAYERS.cellSingles, "icon-image", cellSingleIcon(filter));
  [REPORT_LAYERS.cells, REPORT_LAYERS.cellCounts, REPORT_LAYERS.cellSingles].forEach((id) =>
    map.setLayoutProperty(id, "visibility", fromTiles ? "visible" : "none"));
  map.setFilter(REPORT_LAYERS.points, pointFilter(filter));
}

const EMPTY = { type: "FeatureCollection", features: [] };

function addReportLayers(map) {
  map.addSource(REPORT_LAYERS.source, {
    type: "vector", tiles: [absoluteUrl(d.tilesUrl)], minzoom: 0, maxzoom: TILES_MAX_ZOOM
  });
  map.addSource(REPORT_LAYERS.gridSource, { type: "geojson", data: EMPTY });
  map.addSource(REPORT_LAYERS.focusSource, { type: "geojson", data: EMPTY });
  const counts = { source: REPORT_LAYERS.source, "source-layer": REPORT_LAYERS.countsLayer, maxzoom: POINTS_ZOOM };
  const count = ["get", "count"];
  map.addLayer({ id: REPORT_LAYERS.cells, type: "circle", ...counts, filter: [">", count, 1], paint: circlePaint(count) });
  map.addLayer({ id: REPORT_LAYERS.cellCounts, type: "symbol", ...counts, filter: [">", count, 1],
    layout: { ...COUNT_LAYOUT, "text-field": countText(count) }, paint: { "text-color": "#1f1f1f" } });
  map.addLayer({ id: REPORT_LAYERS.cellSingles, type: "symbol", ...counts, filter: ["==", count, 1],
    layout: { "icon-image": cellSingleIcon({ statuses: [] }), "icon-allow-overlap": true, "icon-ignore-placement": true } });
  map.addLayer({
    id: REPORT_LAYERS.points, type: "symbol", source: REPORT_LAYERS.source, "source-layer": REPORT_LAYERS.pointsLayer,
    minzoom: POINTS_ZOOM,
    layout: {
      "icon-image": ["concat", "status-", ["get", "status"]],
      "icon-allow-overlap": true, "icon-ignore-placement": true
    }
  });
  map.addLayer({ id: REPORT_LAYERS.grid, type: "circle", source: REPORT_LAYERS.gridSource, paint: circlePaint(count) });
  map.addLayer({ id: REPORT_LAYERS.gridCounts, type: "symbol", source: REPORT_LAYERS.gridSource,
    layout: { ...COUNT_LAYOUT, "text-field": countText(count) }, paint: { "text-color": "#1f1f1f" } });
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

// --- the list and the summary beside the map -------------------------------------
const featuresById = new Map();

function renderList(features) {
  list.textContent = "";
  featuresById.clear();
  if (!features.length) {
    list.appendChild(node("li", "report-empty", d.tEmpty));
    return;
  }
  features.forEach((feature) => {
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
    const time = node("time", "", longDate(p.created_at));
    time.setAttribute("datetime", p.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    if (p.address) item.appendChild(node("span", "report-address", p.address));
    list.appendChild(item);
  });
}

/** Buttons for the newer and older pages of the list; `go(page)` loads one. */
function makePager(go) {
  const nav = node("nav", "map-pager");
  nav.id = "map-pager";
  nav.setAttribute("aria-label", d.tPager);
  const newer = node("button", "button secondary", d.tNewer);
  const older = node("button", "button secondary", d.tOlder);
  const where = node("span", "map-pager-page");
  [newer, where, older].forEach((child) => nav.appendChild(child));
  newer.type = older.type = "button";
  let page = 0;
  // aria-disabled, not disabled: the button keeps the keyboard focus at the first or last page.
  newer.addEventListener("click", () => { if (newer.getAttribute("aria-disabled") !== "true") go(page - 1); });
  older.addEventListener("click", () => { if (older.getAttribute("aria-disabled") !== "true") go(page + 1); });
  list.after(nav);
  // `data` is a page of /api/v1/reports/: with numberMatched (exact) or, when more reports
  // match than the server counts, numberMatchedAtLeast and a "next" link while one follows.
  return function show(current, data) {
    page = current;
    const hasNext = (data.links || []).some((link) => link.rel === "next");
    const exact = data.numberMatched !== undefined;
    const pages = exact ? Math.ceil(data.numberMatched / PAGE_SIZE) : null;
    nav.hidden = exact ? pages <= 1 : false;
    newer.setAttribute("aria-disabled", String(page <= 0));
    older.setAttribute("aria-disabled", String(!hasNext));
    where.textContent = exact ? fmt(d.tPageOf, { page: num(page + 1), pages: num(Math.max(pages, 1)) })
      : fmt(d.tPage, { page: num(page + 1) });
  };
}

function showSummary(data, clustered) {
  if (data.numberMatched === undefined) {  // more than the server counts: say "more than"
    const text = clustered ? d.tCountMoreClustered : d.tCountMore;
    summary.textContent = fmt(text, { count: num(data.numberMatchedAtLeast - 1) });
    return;
  }
  const count = data.numberMatched;
  const text = clustered ? d.tCountClustered : count === 1 ? d.tCountOne : d.tCount;
  summary.textContent = fmt(text, { count: num(count) });
}

/** The popup of a report point from the tiles (public fields only: no address or text). */
function popupContent(id, p) {
  const box = node("div", "report-popup");
  box.appendChild(node("h3", "", categoryNames[p.category] || p.category));
  const status = node("p", "popup-status");
  status.appendChild(symbolSvg(p.status));
  status.appendChild(document.createTextNode(" " + statusLabel(p.status)));
  box.appendChild(status);
  if (p.created_at) box.appendChild(node("p", "", longDate(p.created_at)));
  if (p.supporter_count > 0) box.appendChild(node("p", "", fmt(d.tSupporters, { count: num(p.supporter_count) })));
  const link = node("a", "popup-link", d.tDetails + " (#" + id + ")");
  link.href = detailUrl(id);
  box.appendChild(node("p", "")).appendChild(link);
  return box;
}

// --- loading -----------------------------------------------------------------
function getJSON(url, signal) {
  return fetch(url, { signal, headers: { Accept: "application/geo+json, application/json" } })
    .then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
}

function bbox(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(",");
}

function start(map, maplibregl) {
  let controller = null;
  let filter = chosenFilter();
  const showPager = makePager((page) => load(page));

  // The tiles draw themselves; this loads the list page (and the JSON grid while a category
  // is chosen below the point zooms, see the module docstring).
  function load(page = 0) {
    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    const params = filterParams(filter);
    params.set("bbox", bbox(map));
    const query = params.toString();
    const clustered = map.getZoom() < POINTS_ZOOM;
    const gridWanted = clustered && filter.categories.length > 0;
    el.setAttribute("aria-busy", "true");
    const listed = getJSON(d.reportsUrl + "?" + query + "&limit=" + PAGE_SIZE + "&offset=" + page * PAGE_SIZE, signal)
      .then((data) => {
        renderList(data.features);
        showSummary(data, clustered);
        showPager(page, data);
      });
    const zoom = Math.round(fromMapLibreZoom(map.getZoom()));  // the endpoint counts 256-px tiles
    const grid = (gridWanted ? getJSON(d.clustersUrl + "?" + query + "&zoom=" + zoom, signal) : Promise.resolve(EMPTY))
      .then((cells) => map.getSource(REPORT_LAYERS.gridSource).setData(cells));
    Promise.all([listed, grid]).then(() => {
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

  // A point opens its popup (with the link to the report); a counted circle, or a cell of one
  // report (the count tiles know no ids), zooms in towards the points (MapLibre's easeTo
  // jumps under prefers-reduced-motion).
  const popup = new maplibregl.Popup({ closeButton: true, maxWidth: "18rem" });
  const CLICKABLE = [REPORT_LAYERS.points, REPORT_LAYERS.cells, REPORT_LAYERS.cellSingles, REPORT_LAYERS.grid];
  function activate(feature, { keyboard = false } = {}) {
    const layer = feature.layer.id;
    const centre = feature.geometry.coordinates;
    if (layer === REPORT_LAYERS.points) {
      popup.setLngLat(centre).setDOMContent(popupContent(feature.id, feature.properties)).addTo(map);
      if (keyboard) popup.getElement().querySelector(".popup-link").focus();
    } else if (layer === REPORT_LAYERS.grid && feature.properties.report_id) {
      window.location.href = detailUrl(feature.properties.report_id);
    } else {
      const deeper = layer === REPORT_LAYERS.cellSingles ? POINTS_ZOOM + 1 : map.getZoom() + 2;
      map.easeTo({ center: centre, zoom: Math.min(Math.max(deeper, map.getZoom() + 1), map.getMaxZoom()) });
    }
  }
  CLICKABLE.forEach((layer) => {
    map.on("click", layer, (e) => activate(e.features[0]));
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  });

  // Keyboard: Enter on the canvas acts on the report (or circle) nearest the map's centre.
  const canvas = map.getCanvas();
  canvas.setAttribute("aria-label", canvas.getAttribute("aria-label") + " " + d.tEnterHint);
  canvas.addEventListener("focus", () => el.classList.add("keyboard-centre"));
  canvas.addEventListener("blur", () => el.classList.remove("keyboard-centre"));
  canvas.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const c = map.project(map.getCenter());
    const near = map.queryRenderedFeatures([[c.x - CENTRE_PX, c.y - CENTRE_PX], [c.x + CENTRE_PX, c.y + CENTRE_PX]],
      { layers: CLICKABLE });
    if (!near.length) {
      showNote(note, d.tNothingHere);
      return;
    }
    const distance = (f) => {
      const p = map.project(f.geometry.coordinates);
      return Math.hypot(p.x - c.x, p.y - c.y);
    };
    near.sort((a, b) => distance(a) - distance(b));
    activate(near[0], { keyboard: true });
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

  map.on("moveend", () => {
    if (note.textContent === d.tNothingHere) showNote(note, "");
    updateReportLink();
    schedule();
  });
  function filterChanged() {
    history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
    filter = chosenFilter();
    applyFilter(map, filter);
  }
  form.addEventListener("change", () => { filterChanged(); schedule(); });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    filterChanged();
    load();
  });
  listTitle.textContent = d.tListTitle;
  applyFilter(map, filter);
  updateReportLink();
  load();
}

async function main() {
  const created = await createMap(el, { note });
  if (!created) return;  // no WebGL: the server-rendered list and filter are the page
  const { map, maplibregl } = created;
  window.stadtmelderMap = map;  // for the browser tests (queryRenderedFeatures, loaded())
  const images = Promise.all(STATUSES.map((status) => statusImage(status).then((image) => [status, image])));
  map.on("load", () => {
    images.then((pairs) => {
      pairs.forEach(([status, image]) => map.addImage("status-" + status, image, { pixelRatio: 2 }));
      addReportLayers(map);
      start(map, maplibregl);
    });
  });
}

if (el && form) main();
