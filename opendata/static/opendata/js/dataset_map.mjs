/* Stadtmelder – open data portal: the dataset page's map preview on the city's basemap
   (MapLibre GL JS through the shared frontend/js/maplibre-map.mjs). Data from the json_script
   block "dataset-map-data": the dataset's extent (dashed) and its first features (filled), both
   GeoJSON in WGS 84 lon/lat. The page describes both in text (#map-description) and has the
   attribute tables, so it is complete without the map and without WebGL. */
const el = document.getElementById("dataset-map");
const source = document.getElementById("dataset-map-data");
const FEATURE = "#8a1c00";
const EXTENT = "#0b5394";

async function main() {
  // The shared set-up lives in another app's static files: its URL comes from the page.
  const { addGeoJsonLayers, createMap, fitPoints, geojsonPositions } = await import(el.dataset.setupUrl);
  const data = JSON.parse(source.textContent);
  const created = await createMap(el, { note: document.getElementById("dataset-map-note"),
                                        options: { scrollZoom: false } });
  if (!created) return;
  const { map } = created;
  window.stadtmelderMap = map;  // for the browser tests
  map.on("load", () => {
    if (data.extent) addGeoJsonLayers(map, "dataset-extent", data.extent, EXTENT, { dashed: true });
    if (data.features) addGeoJsonLayers(map, "dataset-features", data.features, FEATURE);
    const positions = geojsonPositions(data.extent).concat(geojsonPositions(data.features));
    if (positions.length) fitPoints(map, positions, { maxZoom256: 16, padding: 16 });
    else map.jumpTo({ center: [0, 0], zoom: 1 });
  });
}

if (el && source) main();
