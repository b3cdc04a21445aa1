/* Stadtmelder – the statistics page's heat map: the report heat points (json_script
   "heat-points", 50 m cells with a weight 0–1) as MapLibre's heatmap layer on the city's
   basemap, through the shared maplibre-map.mjs. Colours run from blue over green and yellow to
   red, as the page's description says; red only where reports pile up (the busiest cell alone
   reaches the middle of the ramp, as on the former Leaflet map). The numbers behind it are in
   the page's tables, so the page is complete without the map (and without WebGL). */
import { createMap } from "./maplibre-map.mjs";

const el = document.getElementById("heat-map");
export const HEAT_LAYER = "report-heat";  // source and layer id (the browser tests query it)

async function main() {
  const data = JSON.parse(document.getElementById("heat-points").textContent);
  const created = await createMap(el, { note: document.getElementById("heat-map-note"),
                                        options: { scrollZoom: false } });
  if (!created) return;
  const { map } = created;
  window.stadtmelderMap = map;  // for the browser tests
  map.on("load", () => {
    map.addSource(HEAT_LAYER, { type: "geojson", data });
    map.addLayer({
      id: HEAT_LAYER,
      type: "heatmap",
      source: HEAT_LAYER,
      paint: {
        "heatmap-weight": ["/", ["get", "weight"], 2],
        "heatmap-intensity": 1,
        "heatmap-radius": ["interpolate", ["linear"], ["zoom"], 10, 12, 15, 28],
        "heatmap-opacity": 0.8,
        "heatmap-color": ["interpolate", ["linear"], ["heatmap-density"],
          0, "rgba(33, 102, 172, 0)", 0.15, "#2166ac", 0.35, "#1a9641", 0.55, "#ffd700", 0.8, "#f46d43", 1, "#b2182b"]
      }
    });
  });
}

if (el) main();
