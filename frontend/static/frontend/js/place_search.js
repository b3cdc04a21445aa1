/* Stadtmelder – place search with suggestions from the gazetteer (GET /api/v1/places?q=).
   An ARIA 1.2 combobox: the text input owns a listbox; Arrow keys move through the
   suggestions (aria-activedescendant), Enter takes one, Escape closes the list. Enter never
   submits the report form from here: typed text without a chosen suggestion is resolved —
   one clear match is taken, several are offered. The number of suggestions is announced in
   a polite live region. */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function init(o) {
    var input = o.input, listbox = o.listbox, S = o.strings;
    var options = [], active = -1, timer = null, lastQuery = "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function fetchPlaces(query) {
      return fetch(o.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { return data.results || []; });
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(results) {
      options = results;
      active = -1;
      listbox.innerHTML = "";
      results.forEach(function (place, index) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = place.name + " ";
        var kind = document.createElement("span");
        kind.className = "muted";
        kind.textContent = "(" + place.kind_label + ")";
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        listbox.appendChild(li);
      });
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      o.status.textContent = !results.length ? S.noPlaces
        : results.length === 1 && S.placesFoundOne ? S.placesFoundOne : format(S.placesFound, { n: results.length });
    }

    function highlight(index) {
      Array.prototype.forEach.call(listbox.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", listbox.id + "-" + index);
        listbox.children[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var place = options[index];
      if (!place) return;
      input.value = place.name;
      lastQuery = place.name;
      close();
      o.onChoose(place);
    }

    function search(query) {
      lastQuery = query;
      return fetchPlaces(query).then(function (results) {
        if (query === lastQuery) show(results);
        return results;
      }, function () {
        o.status.textContent = S.searchOffline;
        if (o.onOffline) o.onOffline();
        return [];
      });
    }

    function resolveTyped() {
      var query = input.value.trim();
      return search(query).then(function (results) {
        var exact = results.filter(function (p) { return p.name.toLowerCase() === query.toLowerCase(); });
        if (exact.length === 1 || results.length === 1) {
          choose(results.indexOf(exact[0] || results[0]));
          return true;
        }
        if (results.length) o.status.textContent = S.choosePlace;
        return false;
      });
    }

    input.addEventListener("input", function () {
      if (o.onInput) o.onInput();
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      timer = window.setTimeout(function () { search(query); }, 250);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Enter" && input.value.trim()) {
        event.preventDefault();
        if (open && active >= 0) choose(active); else resolveTyped();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });

    return { resolveTyped: resolveTyped, close: close };
  }

  window.StadtmelderPlaceSearch = { init: init };
})();
