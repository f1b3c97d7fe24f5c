/*
 * Dashboards: progressive enhancement of the province map. Without JavaScript every province is a
 * link with a <title> tooltip and the measure is chosen with a GET form (autosubmitted by app.js's
 * data-autosubmit when JavaScript runs). Here: hovering or focusing a province shows its name,
 * value, rank and link in the details panel beside the map (announced politely).
 */
(function () {
  "use strict";

  function show(region) {
    var map = region.closest("[data-map]");
    if (!map) return;
    var panel = map.querySelector("[data-map-details]");
    if (!panel) return;
    map.querySelectorAll("a.map-region.is-active").forEach(function (a) { a.classList.remove("is-active"); });
    region.classList.add("is-active");
    var rankLabel = map.getAttribute("data-rank-label") || "#";
    panel.textContent = "";
    var name = document.createElement("div");
    name.className = "md-name";
    name.textContent = region.getAttribute("data-name");
    var value = document.createElement("div");
    value.className = "md-value";
    value.textContent = region.getAttribute("data-value");
    panel.appendChild(name);
    panel.appendChild(value);
    var rank = region.getAttribute("data-rank");
    if (rank) {
      var r = document.createElement("div");
      r.className = "small";
      r.textContent = rankLabel + " " + rank;
      panel.appendChild(r);
    }
    var href = region.getAttribute("href");
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.className = "small";
      link.textContent = map.getAttribute("data-open-label") || "→";
      panel.appendChild(link);
    }
  }

  function handler(event) {
    var region = event.target.closest && event.target.closest("a.map-region");
    if (region) show(region);
  }

  document.addEventListener("mouseover", handler);
  document.addEventListener("focusin", handler);
})();
