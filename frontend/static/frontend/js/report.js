/* Stadtmelder – the report form, enhanced. Without this script /melden/ is a plain two-step
   HTML form; with it the page becomes one step: GPS button, tap on the map or drag its marker
   (MapLibre GL JS through the shared maplibre-map.mjs, loaded with import(); the map is
   optional: without WebGL a note says so, and the search, GPS and coordinates remain; with
   the keyboard, arrows move the map and Enter takes its centre), place search with suggestions (ARIA combobox), the photo's EXIF
   position offered, photos downscaled before upload (photos.js), the category's questions
   shown, the responsible authority named (/api/v1/route) and nearby open reports shown
   before sending (/api/v1/reports/nearby). Sending goes to POST /api/v1/reports/ with a
   submission_key; offline, the report waits in the outbox (outbox.js). */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch) return;
  var S = document.getElementById("report-strings").dataset;
  var $ = function (selector, root) { return (root || document).querySelector(selector); };
  var $$ = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var api = { reports: form.dataset.apiReports, places: form.dataset.apiPlaces, nearby: form.dataset.apiNearby,
              route: form.dataset.apiRoute };
  var state = { lon: null, lat: null, address: "", source: "", photos: [], exif: null, outside: false };
  var submitButton = $("#submit-button");
  var locationStatus = $("#location-status");
  var map = null, marker = null, setup = null, maplibregl = null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function fixed(n, digits) { return Number(n).toFixed(digits); }

  /* --- one page instead of two steps ------------------------------------------------- */
  $$("[data-js-only], [data-js-show]").forEach(function (el) { el.hidden = false; });
  $$("[data-nojs-only]").forEach(function (el) { el.hidden = true; });
  if (form.dataset.step === "ort") submitButton.textContent = submitButton.dataset.labelSend;
  if (window.crypto && crypto.randomUUID) form.elements.submission_key.value = crypto.randomUUID();

  function category() {
    var checked = $("input[name=category]:checked", form);
    if (checked) return { slug: checked.value, name: checked.dataset.name, el: checked };
    var hidden = form.elements.category;
    return hidden && hidden.type === "hidden" ? { slug: hidden.value, name: "", el: hidden } : null;
  }

  function showQuestions() {
    var chosen = category();
    $$(".question-group", form).forEach(function (group) {
      var active = !!chosen && group.dataset.category === chosen.slug;
      group.hidden = !active;
      group.disabled = !active;
    });
  }

  /* The photo label says "erforderlich" for categories that need a photo (as the server does). */
  function showPhotoRequirement() {
    var chosen = category();
    if (!chosen || chosen.el.type !== "radio") return;  // step 2 without a choice: the server's label stands
    var required = chosen.el.hasAttribute("data-photo-required");
    var label = $("label[for=id_photos]", form);
    label.textContent = required ? label.dataset.labelRequired : label.dataset.labelOptional;
    $("#id_photos", form).required = required;
  }

  /* --- location ------------------------------------------------------------------------ */
  function setPoint(lon, lat, options) {
    options = options || {};
    state.lon = lon; state.lat = lat; state.source = options.source || "";
    state.address = options.address || "";
    state.outside = false;
    if (options.fillInputs !== false) {
      form.elements.lon.value = fixed(lon, 6);
      form.elements.lat.value = fixed(lat, 6);
    }
    form.elements.address.value = state.address;
    markerShow(options.pan !== false);
    locationStatus.textContent = S.located + ": " + (state.address ? state.address + " – " : "") +
      "lon " + fixed(lon, 5) + ", lat " + fixed(lat, 5);
    locationStatus.classList.remove("is-error");
    checkPlace();
  }

  /* The marker on the map at the chosen point (once the map is there); `pan` centres it. */
  function markerShow(pan) {
    if (!map || state.lon === null) return;
    if (!marker) {
      marker = setup.pointMarker(maplibregl, map, state.lon, state.lat, { draggable: true, label: S.located });
      marker.on("dragend", function () {
        var moved = marker.getLngLat();
        setPoint(moved.lng, moved.lat, { source: "map", pan: false });
      });
    }
    marker.setLngLat([state.lon, state.lat]);
    if (pan) setup.showPoint(map, state.lon, state.lat, 16);
  }

  function clearPoint() {
    state.lon = state.lat = null; state.address = ""; state.source = "";
    form.elements.address.value = "";
    if (marker) { marker.remove(); marker = null; }
  }

  function checkPlace() {
    var chosen = category();
    if (state.lon === null || !chosen || !navigator.onLine) return;
    var query = "?lon=" + state.lon + "&lat=" + state.lat + "&category=" + encodeURIComponent(chosen.slug);
    fetch(api.route + query, { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      var base = locationStatus.textContent.split(" · ")[0];
      if (result.status === 200) {
        state.outside = false;
        locationStatus.textContent = base + " · " + S.responsible + ": " + result.data.department_name + " · " +
          (result.data.target_days === 1 ? S.targetDaysOne : format(S.targetDays, { n: result.data.target_days }));
      } else if (result.data && result.data.inside_city === false) {
        state.outside = true;
        locationStatus.textContent = result.data.detail || S.outside;
        locationStatus.classList.add("is-error");
      }
    }).catch(function () { /* offline: the server checks again */ });
    fetch(api.nearby + query, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { showNearby(data.results || []); })
      .catch(function () { /* offline: no duplicate check */ });
  }

  function showNearby(results) {
    var section = $("#nearby"), list = $(".nearby-list", section), template = $("#nearby-item-template");
    list.innerHTML = "";
    results.slice(0, 5).forEach(function (report) {
      var item = template.content.firstElementChild.cloneNode(true);
      var field = function (name) { return $("[data-field=" + name + "]", item); };
      field("category").textContent = category() ? category().name : report.category;
      field("id").textContent = report.id;
      field("id2").textContent = report.id;
      field("link").href = form.dataset.reportUrl.replace("/0/", "/" + report.id + "/");
      field("status").textContent = report.status_label;
      field("status").className = "status status-" + report.status;
      field("distance").textContent = format(S.distance, { m: Math.round(report.distance_m) });
      if (report.address) field("address").textContent = report.address; else field("address-wrap").remove();
      if (report.description) field("description").textContent = report.description; else field("description").remove();
      field("supporters").textContent = report.supporter_count;
      var button = field("support");
      button.value = report.id;
      button.setAttribute("formaction", button.getAttribute("formaction").replace("/0/", "/" + report.id + "/"));
      list.appendChild(item);
    });
    section.hidden = results.length === 0;
    submitButton.textContent = results.length ? submitButton.dataset.labelAnyway : submitButton.dataset.labelSend;
  }

  $("#locate-button").addEventListener("click", function () {
    if (!navigator.geolocation) { locationStatus.textContent = S.locateFailed; return; }
    locationStatus.textContent = S.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      setPoint(position.coords.longitude, position.coords.latitude, { source: "gps" });
    }, function () {
      locationStatus.textContent = S.locateFailed;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  function coordinatesTyped() {
    var lon = parseFloat(String(form.elements.lon.value).replace(",", "."));
    var lat = parseFloat(String(form.elements.lat.value).replace(",", "."));
    if (isFinite(lon) && isFinite(lat)) setPoint(lon, lat, { source: "coordinates", fillInputs: false });
  }
  form.elements.lon.addEventListener("change", coordinatesTyped);
  form.elements.lat.addEventListener("change", coordinatesTyped);

  function mapUnavailable() {
    // No map: its hint about tapping and dragging would mislead; the note says why.
    $("#map-hint").hidden = true;
    $("#report-map").removeAttribute("aria-describedby");
  }

  function mapInit() {
    var el = $("#report-map");
    if (!el) return;
    import(el.dataset.setupUrl).then(function (module) {
      setup = module;
      return setup.createMap(el, { note: $("#report-map-note") });
    }).then(function (created) {
      if (!created) { mapUnavailable(); return; }
      map = created.map;
      maplibregl = created.maplibregl;
      window.stadtmelderMap = map;  // for the browser tests
      map.on("click", function (event) { setPoint(event.lngLat.lng, event.lngLat.lat, { source: "map", pan: false }); });
      // The canvas has the keyboard focus (MapLibre's arrows and +/−); Enter takes the centre.
      map.getCanvas().addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        var c = map.getCenter();
        setPoint(c.lng, c.lat, { source: "map", pan: false });
      });
      markerShow(true);  // a point chosen (or prefilled) before the map was ready
    }).catch(function () {
      el.hidden = true;
      mapUnavailable();
    });
  }

  /* --- place search (place_search.js) --------------------------------------------------- */
  var input = form.elements.place_query;
  var searchMessage = "";
  var placeSearch = window.StadtmelderPlaceSearch.init({
    input: input, listbox: $("#place-suggestions"), status: $("#place-search-status"), url: api.places, strings: S,
    onChoose: function (place) { setPoint(place.lon, place.lat, { source: "place", address: place.name }); },
    onInput: function () { if (state.source === "place") clearPoint(); },
    onOffline: function () { locationStatus.textContent = S.searchOffline; },
    // "Hausnummer … nicht gefunden" / "Meinten Sie …?" stay visible until the user chooses.
    onMessage: function (text) {
      if (text) locationStatus.textContent = searchMessage = text;
      else if (searchMessage && locationStatus.textContent === searchMessage) locationStatus.textContent = searchMessage = "";
    }
  });

  /* --- photos --------------------------------------------------------------------------- */
  var photoInput = form.elements.photos, photoList = $("#photo-list");
  var exifOffer = $("#exif-offer");

  function photosShow() {
    photoList.innerHTML = "";
    state.photos.forEach(function (photo, index) {
      var li = document.createElement("li");
      var info = photo.resized ? format(S.photoResized, { w: photo.width, h: photo.height }) : S.photoAsIs;
      li.textContent = photo.name + " – " + info + " (" + Math.round(photo.blob.size / 1024) + " kB) ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button";
      remove.textContent = S.photoRemove;
      remove.setAttribute("aria-label", S.photoRemove + ": " + photo.name);
      remove.addEventListener("click", function () { state.photos.splice(index, 1); photosShow(); photoInput.focus(); });
      li.appendChild(remove);
      photoList.appendChild(li);
    });
    var withGps = state.photos.filter(function (p) { return p.gps; })[0];
    state.exif = withGps ? withGps.gps : null;
    exifOffer.hidden = !state.exif;
    if (state.exif) {
      $("#exif-offer-text").textContent = format(S.exifFound, { name: withGps.name, lon: fixed(state.exif.lon, 5),
                                                                lat: fixed(state.exif.lat, 5) });
    }
  }

  photoInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(photoInput.files || []);
    fieldErrorClear("id_photos");
    if (files.length > 3) { fieldError("id_photos", S.photoTooMany); files = files.slice(0, 3); }
    Promise.all(files.map(window.StadtmelderPhotos.prepare)).then(function (prepared) {
      state.photos = prepared;
      photosShow();
    });
  });
  $("#exif-apply").addEventListener("click", function () {
    if (state.exif) setPoint(state.exif.lon, state.exif.lat, { source: "photo" });
    $("#exif-offer-text").textContent = S.exifApplied;
  });

  /* --- errors ------------------------------------------------------------------------- */
  var summary = $("#js-error-summary");
  function fieldError(id, message) {
    var target = document.getElementById(id);
    if (!target || target === form) return;
    var wrapper = target.closest(".field, fieldset") || target.parentNode;
    wrapper.classList.add("has-error");
    var p = document.createElement("p");
    p.className = "error-message";
    p.id = id + "-jserror";
    p.setAttribute("data-js-error", "");
    p.textContent = message;
    var anchor = wrapper.querySelector("label, legend");
    (anchor && anchor.parentNode === wrapper ? anchor : wrapper.firstChild).after(p);
    target.setAttribute("aria-invalid", "true");
    target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " " + p.id).trim());
  }
  function fieldErrorClear(id) {
    var p = document.getElementById(id + "-jserror");
    if (p) p.remove();
  }
  function errorsClear() {
    $$("[data-js-error]").forEach(function (p) { p.remove(); });
    $$(".has-error", form).forEach(function (el) { el.classList.remove("has-error"); });
    $$("[aria-invalid]", form).forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-jserror$/.test(id);
      });
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
      else el.removeAttribute("aria-describedby");
    });
    summary.hidden = true;
  }
  function errorsShow(list) {
    var ul = $("ul", summary);
    ul.innerHTML = "";
    list.forEach(function (error) {
      fieldError(error[0], error[1]);
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + error[0];
      a.textContent = error[1];
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.hidden = false;
    summary.focus();
  }
  function fieldIdFor(key) {
    var chosen = category();
    if (key === "category") return "id_category_0";
    if (key === "lon" || key === "lat" || key === "location") return state.source === "coordinates" ? "id_lon" : "id_place_query";
    if (key.indexOf("answers.") === 0 && chosen) {
      var id = "id_q-" + chosen.slug + "-" + key.slice(8);
      return document.getElementById(id) ? id : id + "_0";
    }
    return document.getElementById("id_" + key) ? "id_" + key : "report-form";
  }

  /* --- sending -------------------------------------------------------------------------- */
  function answers(slug) {
    var out = {};
    var group = $(".question-group[data-category='" + slug + "']", form);
    if (!group) return out;
    $$("input, select, textarea", group).forEach(function (el) {
      var key = el.name.replace("q-" + slug + "-", "");
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") out[key] = el.value;
    });
    return out;
  }

  function fields(chosen) {
    return {
      category: chosen.slug, lon: fixed(state.lon, 6), lat: fixed(state.lat, 6),
      address: state.address, location_text: form.elements.location_text ? form.elements.location_text.value : "",
      description: form.elements.description.value, email: form.elements.email.value,
      answers: JSON.stringify(answers(chosen.slug)), submission_key: form.elements.submission_key.value,
      channel: "web", language: (document.documentElement.lang || "de").slice(0, 2)
    };
  }

  function queue(chosen) {
    var draft = { submission_key: form.elements.submission_key.value, endpoint: api.reports,
                  category_name: chosen.name, fields: fields(chosen), photos: state.photos.map(function (p) {
                    return { blob: p.blob, name: p.name };
                  }) };
    return window.StadtmelderOutbox.draftAdd(draft).then(function () {
      var queued = $("#report-queued");
      form.hidden = true;
      queued.hidden = false;
      queued.focus();
      window.addEventListener("stadtmelder:sent", function (event) {
        if (event.detail.draft.submission_key !== draft.submission_key) return;
        $("#report-queued-title").textContent = S.sentTitle;
        var link = document.createElement("a");
        link.href = event.detail.report.tracking_url;
        link.textContent = S.sentLink;
        var text = $("#report-queued-text");
        text.textContent = "";
        text.appendChild(link);
      });
    });
  }

  function send(chosen) {
    var status = $("#submit-status");
    status.textContent = S.sending;
    submitButton.disabled = true;
    var done = function () { submitButton.disabled = false; };
    if (!navigator.onLine) return queue(chosen).then(done);
    return window.StadtmelderOutbox.reportPost(api.reports, fields(chosen), state.photos).then(function (result) {
      done();
      status.textContent = "";
      if (result.ok) {
        window.StadtmelderOutbox.reportRemember(window.StadtmelderOutbox.remembered(result.data, { category_name: chosen.name }));
        window.location.assign(form.dataset.doneUrl.replace("TOKEN", result.data.tracking_token));
      } else if (result.status >= 500) {
        return queue(chosen);
      } else if (result.status === 429) {
        errorsShow([["report-form", S.tooManyRequests]]);
      } else {
        var errors = (result.data && result.data.errors) || {};
        var list = [];
        Object.keys(errors).forEach(function (key) {
          errors[key].forEach(function (message) { list.push([fieldIdFor(key), message]); });
        });
        errorsShow(list.length ? list : [["report-form", (result.data && result.data.detail) || S.sendFailed]]);
      }
    }, function () { done(); return queue(chosen); });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.name === "action") return;  // back to step 1 (server-rendered step 2)
    if (submitter && submitter.hasAttribute("formaction")) {
      photoInput.value = "";  // "support instead" is a plain POST: do not upload the photos
      return;
    }
    event.preventDefault();
    errorsClear();
    var chosen = category();
    var errors = [];
    if (!chosen) errors.push(["id_category_0", S.needCategory]);
    var pending = state.lon === null && input.value.trim() && navigator.onLine ? placeSearch.resolveTyped() : Promise.resolve(false);
    pending.then(function () {
      if (state.lon === null) {
        errors.push(["id_place_query", input.value.trim() && navigator.onLine ? S.choosePlace : S.needLocation]);
      }
      if (state.outside) errors.push(["id_place_query", locationStatus.textContent]);
      if (chosen && chosen.el.hasAttribute("data-photo-required") && !state.photos.length) {
        errors.push(["id_photos", S.photoRequired]);
      }
      if (errors.length) { errorsShow(errors); return; }
      send(chosen);
    });
  });

  $$("input[name=category]", form).forEach(function (radio) {
    radio.addEventListener("change", function () { showQuestions(); showPhotoRequirement(); checkPlace(); });
  });

  showQuestions();
  showPhotoRequirement();
  mapInit();
  // Prefilled (?lon=&lat=, or the server-rendered second step): keep a place name that came with it.
  var lon0 = parseFloat(String(form.elements.lon.value).replace(",", "."));
  var lat0 = parseFloat(String(form.elements.lat.value).replace(",", "."));
  if (isFinite(lon0) && isFinite(lat0)) {
    setPoint(lon0, lat0, { source: "coordinates", fillInputs: false, address: form.elements.address.value });
  }
})();
