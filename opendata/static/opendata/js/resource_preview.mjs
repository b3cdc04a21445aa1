/* Stadtmelder – the admin's map preview of an ingested resource (opendata.geo.preview): its
   features (json_script "resource-preview-data", WGS 84 lon/lat) on the city's basemap, drawn
   by MapLibre GL JS through the shared frontend/js/maplibre-map.mjs. A click on a feature opens
   a popup with its first attributes. Names and values come from an uploaded file: they are
   written with textContent only, never as markup. */
const el = document.getElementById("resource-preview-map");
const source = document.getElementById("resource-preview-data");
const COLOUR = "#0b5394";
export const LAYER = "resource-features";  // source id; layers LAYER-fill, -line, -points

function popupContent(properties) {
  // MapLibre hands nested properties back as JSON text.
  const cells = typeof properties.cells === "string" ? JSON.parse(properties.cells) : properties.cells || [];
  const table = document.createElement("dl");
  table.className = "resource-popup";
  cells.forEach(([name, text]) => {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = text;
    table.append(dt, dd);
  });
  return table;
}

async function main() {
  const setup = await import(el.dataset.setupUrl);
  const data = JSON.parse(source.textContent);
  const created = await setup.createMap(el, { note: document.getElementById("resource-preview-map-note"),
                                              options: { scrollZoom: false } });
  if (!created) return;
  const { map, maplibregl } = created;
  window.stadtmelderMap = map;  // for the browser tests
  map.on("load", () => {
    setup.addGeoJsonLayers(map, LAYER, data, COLOUR);
    setup.fitPoints(map, setup.geojsonPositions(data), { maxZoom256: 16, padding: 24 });
    const popup = new maplibregl.Popup({ maxWidth: "24rem" });
    [LAYER + "-fill", LAYER + "-line", LAYER + "-points"].forEach((layer) => {
      map.on("click", layer, (event) => {
        popup.setLngLat(event.lngLat).setDOMContent(popupContent(event.features[0].properties)).addTo(map);
      });
      map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
    });
  });
}

if (el && source) main();
