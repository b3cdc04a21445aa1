/* Sozialcard partners: a map of the partners' locations on the city's basemap (MapLibre GL JS
   through the shared frontend/js/maplibre-map.mjs), from the page's own GeoJSON (json_script,
   lon/lat). The list below the map is the complete, accessible page; each marker is a button
   (Tab reaches it, Enter opens it) whose popup links to its entry in the list. */
const el = document.getElementById("partner-map");
const source = document.getElementById("partner-data");

function popupContent(feature) {
  const box = document.createElement("div");
  const link = document.createElement("a");
  link.href = "#location-" + feature.id;
  link.textContent = feature.properties.partner;
  const address = document.createElement("p");
  address.textContent = feature.properties.location + ", " + feature.properties.address;
  box.append(link, address);
  return box;
}

async function main() {
  const collection = JSON.parse(source.textContent);
  if (!collection.features.length) return;
  el.hidden = false;
  const setup = await import(el.dataset.setupUrl);
  const created = await setup.createMap(el, { note: document.getElementById("partner-map-note"),
                                              options: { scrollZoom: false } });
  if (!created) return;  // no WebGL: the list is the page
  const { map, maplibregl } = created;
  window.stadtmelderMap = map;  // for the browser tests
  collection.features.forEach((feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const marker = setup.pointMarker(maplibregl, map, lon, lat,
                                     { label: feature.properties.partner + ": " + feature.properties.location });
    marker.setPopup(new maplibregl.Popup({ maxWidth: "18rem" }).setDOMContent(popupContent(feature)));
  });
  setup.fitPoints(map, collection.features.map((f) => f.geometry.coordinates), { maxZoom256: 16, padding: 24 });
}

if (el && source) main();
