/* Stadtmelder – the small map on a report page: the report's place on the city's basemap
   (MapLibre GL JS through the shared maplibre-map.mjs). The place is also given as text
   (address, lon/lat), so the page is complete without the map; without WebGL a note says so.
   The scroll wheel scrolls the page, not the map (as before on Leaflet). */
import { createMap, pointMarker } from "./maplibre-map.mjs";

const el = document.getElementById("report-map");

async function main() {
  const lon = Number(el.dataset.lon), lat = Number(el.dataset.lat);  // WGS 84, lon/lat
  // Open at zoom 16 (256-px levels) on the report, not at the city's default view.
  el.dataset.centerLon = String(lon);
  el.dataset.centerLat = String(lat);
  el.dataset.zoom = "16";
  const created = await createMap(el, { note: document.getElementById("report-map-note"),
                                        options: { scrollZoom: false } });
  if (!created) return;
  const { map, maplibregl } = created;
  window.stadtmelderMap = map;  // for the browser tests
  pointMarker(maplibregl, map, lon, lat, { label: el.dataset.tMarkerReport });
}

if (el) main();
