/* The admin's geometry maps (config.admin_widgets.BasemapMapWidget): GeoDjango's MapWidget
   (gis/js/OLMapWidget.js) on OpenLayers from our origin, started from the JSON options each
   widget renders (no inline script), on the city's basemap vector tiles or, when the city set
   one, its raster TILE_URL. A disabled field is drawn without editing tools. Maps in inline
   rows added with "Add another" start when Django's formset:added event comes. */
/* global ol, MapWidget */
"use strict";
(function () {
  // Plain colours for editing on: land areas light, roads grey, no labels or points.
  const FILLS = {water: "#c6dcec", green: "#dcebd2", building: "#e4e0dc"};
  const styleCache = {};

  function basemapStyle(feature) {
    const layer = feature.get("layer");
    const type = feature.getGeometry().getType();
    const key = layer + ":" + type;
    if (!(key in styleCache)) {
      if (type === "Polygon" || type === "MultiPolygon") {
        styleCache[key] = new ol.style.Style({fill: new ol.style.Fill({color: FILLS[layer] || "#ececec"})});
      } else if (type === "LineString" || type === "MultiLineString") {
        styleCache[key] = new ol.style.Style({stroke: new ol.style.Stroke({
          color: layer === "waterway" ? "#a9c8e0" : "#b4b4b4", width: layer === "road" ? 2 : 1})});
      } else {
        styleCache[key] = null;
      }
    }
    return styleCache[key];
  }

  function baseLayer(options) {
    if (options.tile_url) {
      // Leaflet's "{s}" subdomain placeholder is OpenLayers' "{a-c}".
      return new ol.layer.Tile({source: new ol.source.XYZ({
        url: options.tile_url.replace("{s}", "{a-c}"),
        attributions: options.tile_attribution || undefined,
      })});
    }
    return new ol.layer.VectorTile({
      declutter: false,
      style: basemapStyle,
      source: new ol.source.VectorTile({
        format: new ol.format.MVT(),
        url: options.basemap_url,
        maxZoom: options.basemap_max_zoom,
      }),
    });
  }

  function start(wrapper) {
    if (wrapper.dataset.mapStarted || wrapper.id.includes("__prefix__")) {
      return;  // started already, or the hidden template of an inline's new rows
    }
    const data = wrapper.querySelector('script[type="application/json"]');
    const field = wrapper.querySelector("textarea.vSerializedField");
    if (!data || !field) {
      return;
    }
    // Ids and name from the elements: an inline's new row renamed those, not the JSON.
    const options = {...JSON.parse(data.textContent), id: field.id, map_id: field.id + "_map", name: field.name};
    options.base_layer = baseLayer(options);
    const widget = new MapWidget(options);
    if (options.disabled) {
      widget.disableDrawing();
      widget.interactions.modify.setActive(false);
    }
    wrapper.dataset.mapStarted = "1";
    (window.stadtmelderAdminMaps = window.stadtmelderAdminMaps || []).push(widget);
  }

  function startAll(root) {
    root.querySelectorAll(".dj_map_wrapper[data-map-options]").forEach(start);
  }

  document.addEventListener("DOMContentLoaded", () => startAll(document));
  document.addEventListener("formset:added", (event) => startAll(event.target));
}());
