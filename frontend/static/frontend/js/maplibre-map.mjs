/* Stadtmelder – the MapLibre GL JS set-up every map page shares (an ES module).

   - Everything comes from our host: MapLibre itself (vendor/maplibre-gl, npm), its worker (the
     module worker beside maplibre-gl.mjs, same origin), the style, tiles and glyphs of the
     city's basemap (/karte/basemap/). A city that configured an external raster service
     (settings TILE_URL) gets that as the only background layer instead; our glyphs stay.
   - MapLibre needs WebGL 2. `webglSupported()` tells before anything is downloaded, so a page
     without WebGL keeps its list and forms and shows data-t-no-webgl instead of a grey box.
   - Accessibility: German/English control labels, a canvas label that explains the keys
     (MapLibre's keyboard handler: arrows pan, + and − zoom), a textual attribution that is
     always open, no fades and no camera animations under prefers-reduced-motion.

   The map element's data attributes (frontend/templates/frontend/includes/map_data.html):
   data-maplibre-url, data-setup-url (this module, for classic scripts' import()), data-style-url, data-glyphs-url, data-tile-url, data-tile-attribution,
   data-center-lon/-lat, data-zoom and the labels data-t-map-title, data-t-zoom-in,
   data-t-zoom-out, data-t-close, data-t-marker, data-t-no-webgl, data-t-tile-error.

   Besides createMap, the pieces several pages draw: a marker for one place (pointMarker), a
   camera move to a place or to the extent of points that honours reduced motion (showPoint,
   fitPoints, geojsonPositions), a GeoJSON point layer (addPointLayer) and GeoJSON of any
   geometry type (addGeoJsonLayers). */

// The background's source ids: "basemap" in our style (basemap/style.py), "raster" for TILE_URL.
const BACKGROUND_SOURCES = ["basemap", "raster"];

/** Whether this browser can draw a MapLibre map (WebGL 2 context obtainable). */
export function webglSupported() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(window.WebGL2RenderingContext && canvas.getContext("webgl2"));
  } catch (error) {
    return false;
  }
}

/**
 * Zoom levels in settings (MAP_ZOOM) and in our APIs count 256-px tiles, as Leaflet, OGC's
 * WebMercatorQuad and the grid-cluster endpoint do; MapLibre's count 512-px tiles, so the
 * same view is one level lower in MapLibre.
 */
export function toMapLibreZoom(zoom256) { return zoom256 - 1; }
export function fromMapLibreZoom(zoom512) { return zoom512 + 1; }

/** Whether the visitor asked the system for reduced motion. */
export function reducedMotion() {
  return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
}

/** `url` made absolute, with `{…}` placeholders kept unescaped (for tile templates). */
export function absoluteUrl(url) {
  // MapLibre fetches tiles in its worker, whose base URL is the worker script: absolute URLs only.
  return new URL(url, window.location.href).href.replace(/%7B/g, "{").replace(/%7D/g, "}");
}

/** The style for `d` (the map element's dataset): our basemap, or the configured raster tiles. */
export function mapStyle(d) {
  if (!d.tileUrl) return absoluteUrl(d.styleUrl);
  // Leaflet's "{s}" subdomain placeholder is not MapLibre's: list the usual three instead.
  const tiles = d.tileUrl.includes("{s}") ? ["a", "b", "c"].map((s) => d.tileUrl.replace("{s}", s)) : [d.tileUrl];
  return {
    version: 8,
    glyphs: absoluteUrl(d.glyphsUrl),
    sources: {
      raster: { type: "raster", tiles: tiles, tileSize: 256, maxzoom: 19, attribution: d.tileAttribution || "" }
    },
    layers: [
      { id: "land", type: "background", paint: { "background-color": "#f2efe9" } },
      { id: "raster", type: "raster", source: "raster" }
    ]
  };
}

/** Show `text` in the map's status note (role=status), or hide the note with "". */
export function showNote(note, text) {
  if (!note) return;
  note.textContent = text;
  note.hidden = !text;
}

/**
 * `{map, maplibregl}` for a MapLibre map in `el`, or null when the browser cannot draw one
 * (then data-t-no-webgl is shown in `note` and `el` is hidden). Resolves once MapLibre's
 * module is loaded; the style loads afterwards ("load" event). `options` go to maplibregl.Map.
 */
export async function createMap(el, { note = null, options = {} } = {}) {
  const d = el.dataset;
  if (!webglSupported()) {
    el.hidden = true;
    el.classList.add("map-unavailable");
    showNote(note, d.tNoWebgl || "");
    return null;
  }
  const maplibregl = await import(d.maplibreUrl);
  const still = reducedMotion();
  let map;
  try {
    map = new maplibregl.Map({
      container: el,
      style: mapStyle(d),
      center: [parseFloat(d.centerLon), parseFloat(d.centerLat)],  // MapLibre wants lon, lat
      zoom: toMapLibreZoom(parseFloat(d.zoom) || 13),
      maxZoom: toMapLibreZoom(19),
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      fadeDuration: still ? 0 : 300,
      attributionControl: false,
      locale: {
        "Map.Title": d.tMapTitle,
        "NavigationControl.ZoomIn": d.tZoomIn,
        "NavigationControl.ZoomOut": d.tZoomOut,
        "Popup.Close": d.tClose,
        "Marker.Title": d.tMarker
      },
      ...options
    });
  } catch (error) {
    // WebGL present but unusable (blocked, lost, too old a GPU): same fallback.
    el.hidden = true;
    el.classList.add("map-unavailable");
    showNote(note, d.tNoWebgl || "");
    return null;
  }
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
  map.addControl(new maplibregl.AttributionControl({ compact: false }), "bottom-right");
  let tileErrorShown = false;
  map.on("error", (event) => {
    // A background tile that cannot load (an external TILE_URL that is down): say so once.
    if (BACKGROUND_SOURCES.includes(event.sourceId)) {
      if (!tileErrorShown && d.tTileError) {
        tileErrorShown = true;
        showNote(note, d.tTileError);
      }
      return;
    }
    // Anything else is a fault of ours: keep MapLibre's default of telling the console.
    console.error(event.error);
  });
  return { map, maplibregl };
}

/** Our primary colour: markers and points have ≥ 3:1 against the basemap (WCAG 1.4.11). */
export const POINT_COLOUR = "#0b5394";

/**
 * A MapLibre marker (the default pin, in our colour) at lon/lat on `map`. `draggable` lets a
 * pointer move it (MapLibre makes it a focusable button then); `label` replaces the default
 * aria-label (data-t-marker).
 */
export function pointMarker(maplibregl, map, lon, lat, { draggable = false, label = "" } = {}) {
  const marker = new maplibregl.Marker({ color: POINT_COLOUR, draggable })
    .setLngLat([lon, lat])
    .addTo(map);
  if (label) marker.getElement().setAttribute("aria-label", label);
  return marker;
}

/** Move the camera to lon/lat, zooming in to at least `minZoom256` (256-px levels, as settings). */
export function showPoint(map, lon, lat, minZoom256 = 16) {
  const zoom = Math.max(map.getZoom(), toMapLibreZoom(minZoom256));
  // easeTo jumps without animation under prefers-reduced-motion (MapLibre checks it itself).
  map.easeTo({ center: [lon, lat], zoom, duration: reducedMotion() ? 0 : 500 });
}

/** Fit the camera to `coordinates` ([lon, lat] pairs), no closer than `maxZoom256`. */
export function fitPoints(map, coordinates, { maxZoom256 = 16, padding = 32 } = {}) {
  if (!coordinates.length) return;
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  coordinates.forEach(([lon, lat]) => {
    west = Math.min(west, lon); east = Math.max(east, lon);
    south = Math.min(south, lat); north = Math.max(north, lat);
  });
  map.fitBounds([[west, south], [east, north]],
    { padding, maxZoom: toMapLibreZoom(maxZoom256), duration: 0 });
}

/**
 * A GeoJSON source `id` with a circle layer of the same id (white ring, our colour unless
 * `paint` overrides), added on top of the style. `data` is a FeatureCollection or its URL.
 */
export function addPointLayer(map, id, data, paint = {}) {
  map.addSource(id, { type: "geojson", data });
  map.addLayer({
    id,
    type: "circle",
    source: id,
    paint: {
      "circle-radius": 7,
      "circle-color": POINT_COLOUR,
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 2,
      ...paint
    }
  });
}

/** Every [lon, lat] position of a GeoJSON object (FeatureCollection, Feature or geometry). */
export function geojsonPositions(data) {
  const out = [];
  (function walk(node) {
    if (!node) return;
    if (node.type === "FeatureCollection") node.features.forEach(walk);
    else if (node.type === "Feature") walk(node.geometry);
    else if (node.type === "GeometryCollection") node.geometries.forEach(walk);
    else if (node.coordinates) {
      (function flat(c) {
        if (typeof c[0] === "number") out.push(c);
        else c.forEach(flat);
      })(node.coordinates);
    }
  })(data);
  return out;
}

/**
 * GeoJSON of any geometry type as layers `${id}-fill`, `${id}-line` and `${id}-points` of one
 * source `id`, in `colour` (polygons lightly filled, lines, points as circles with a white
 * ring). `dashed` draws the outline dashed and leaves the fill faint (an extent, not data).
 */
export function addGeoJsonLayers(map, id, data, colour, { dashed = false } = {}) {
  map.addSource(id, { type: "geojson", data });
  const polygons = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
  const lines = ["match", ["geometry-type"], ["LineString", "MultiLineString", "Polygon", "MultiPolygon"], true, false];
  const points = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
  map.addLayer({ id: id + "-fill", type: "fill", source: id, filter: polygons,
                 paint: { "fill-color": colour, "fill-opacity": dashed ? 0.06 : 0.35 } });
  map.addLayer({ id: id + "-line", type: "line", source: id, filter: lines,
                 paint: { "line-color": colour, "line-width": dashed ? 3 : 2,
                          ...(dashed ? { "line-dasharray": [2.5, 2] } : {}) } });
  map.addLayer({ id: id + "-points", type: "circle", source: id, filter: points,
                 paint: { "circle-radius": 5, "circle-color": colour, "circle-opacity": 0.9,
                          "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 } });
}
