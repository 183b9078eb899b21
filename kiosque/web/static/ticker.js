/* kiosque ticker: refreshes the headline band from /api/v1/ticker without a reload.
   The server renders the same list, so without JavaScript the page stays complete.
   Titles are set with textContent, never innerHTML: publisher text is never markup. */
(function () {
  "use strict";
  var REFRESH_MS = 30000;
  var section = document.querySelector("[data-ticker-endpoint]");
  if (!section) { return; }
  var list = section.querySelector(".ticker-list");
  var endpoint = section.getAttribute("data-ticker-endpoint");
  var busy = false;

  function item(entry) {
    var li = document.createElement("li");
    li.className = "ticker-item";
    var time = document.createElement("time");
    time.dateTime = entry.published_at;
    time.textContent = entry.time_label;
    var link = document.createElement("a");
    link.href = entry.path;
    link.textContent = entry.title;
    if (entry.lang) { link.lang = entry.lang; }
    link.dir = entry.dir || "auto";
    var source = document.createElement("span");
    source.dir = "auto";
    source.className = "ticker-source";
    source.textContent = entry.source_name;
    li.appendChild(time);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(source);
    return li;
  }

  function refresh() {
    if (busy || document.hidden) { return Promise.resolve(false); }
    busy = true;
    return fetch(endpoint, { headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!data.items || !data.items.length) { return false; }
        var fragment = document.createDocumentFragment();
        data.items.forEach(function (entry) { fragment.appendChild(item(entry)); });
        list.replaceChildren(fragment);
        section.setAttribute("data-refreshed", new Date().toISOString());
        return true;
      })
      .catch(function () { return false; })  /* keep the current list on any failure */
      .finally(function () { busy = false; });
  }

  window.kiosqueTicker = { refresh: refresh };
  window.setInterval(refresh, REFRESH_MS);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refresh(); }
  });
})();
