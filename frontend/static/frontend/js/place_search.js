/* Stadtmelder – place and address search with suggestions (GET /api/v1/places?q=).
   An ARIA 1.2 combobox: the text input owns a listbox; Arrow keys move through the
   suggestions (aria-activedescendant), Enter takes one, Escape closes the list. Enter never
   submits the report form from here: typed text without a chosen suggestion is resolved —
   only an exact match (match "exact": the place or the address with its house number) is
   taken; anything else (a partial or only similar name, a house number that does not exist)
   is offered for the user to choose, with the server's message ("Hausnummer … nicht
   gefunden", "Meinten Sie …?") shown through `onMessage` and announced in a polite live
   region. A different street is never taken without asking. */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function init(o) {
    var input = o.input, listbox = o.listbox, S = o.strings;
    var options = [], active = -1, timer = null, lastQuery = "", lastMessage = "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function fetchPlaces(query) {
      return fetch(o.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { data.results = data.results || []; return data; });
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(results, message) {
      options = results;
      lastMessage = message || "";
      active = -1;
      listbox.innerHTML = "";
      results.forEach(function (place, index) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-match", place.match || "");
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
      var count = !results.length ? S.noPlaces
        : results.length === 1 && S.placesFoundOne ? S.placesFoundOne : format(S.placesFound, { n: results.length });
      o.status.textContent = message ? message + " " + count : count;
      if (o.onMessage) o.onMessage(message || "");
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
      if (o.onMessage) o.onMessage("");
      o.onChoose(place);
    }

    function search(query) {
      lastQuery = query;
      return fetchPlaces(query).then(function (data) {
        if (query === lastQuery) show(data.results, data.message);
        return data.results;
      }, function () {
        o.status.textContent = S.searchOffline;
        if (o.onOffline) o.onOffline();
        return [];
      });
    }

    function resolveTyped() {
      var query = input.value.trim();
      return search(query).then(function (results) {
        var exact = results.filter(function (p) { return p.match === "exact"; });
        if (exact.length === 1) {
          choose(results.indexOf(exact[0]));
          return true;
        }
        // Not exactly what was typed: the list stays open and the user chooses.
        if (results.length) o.status.textContent = (lastMessage ? lastMessage + " " : "") + S.choosePlace;
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
