/* Case library filter: multi-select within a facet, AND across facets.
   The state lives in the URL (?industry=retail,healthcare&size=smb) so a filtered
   view can be shared. Without JavaScript the form stays hidden and all cards show. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("cb-filter");
    var grid = document.getElementById("cb-cases");
    if (!form || !grid || form.dataset.ready) return;
    form.dataset.ready = "1";
    var cards = Array.prototype.slice.call(grid.querySelectorAll(".cb-card"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var facets = [];
    boxes.forEach(function (box) { if (facets.indexOf(box.name) < 0) facets.push(box.name); });
    var status = form.querySelector(".cb-filter__status");
    var empty = document.getElementById("cb-empty");

    function selected() {
      var state = {};
      facets.forEach(function (facet) {
        state[facet] = boxes.filter(function (b) { return b.name === facet && b.checked; })
                            .map(function (b) { return b.value; });
      });
      return state;
    }

    function matches(card, state) {
      return facets.every(function (facet) {
        if (!state[facet].length) return true;
        var values = (card.getAttribute("data-" + facet) || "").split(" ");
        return state[facet].some(function (v) { return values.indexOf(v) >= 0; });
      });
    }

    function apply(updateUrl) {
      var state = selected();
      var shown = 0;
      cards.forEach(function (card) {
        var ok = matches(card, state);
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + cards.length + " case studies";
      if (empty) empty.hidden = shown !== 0;
      if (updateUrl) {
        var params = new URLSearchParams(window.location.search);
        facets.forEach(function (facet) {
          if (state[facet].length) params.set(facet, state[facet].slice().sort().join(","));
          else params.delete(facet);
        });
        var query = params.toString().replace(/%2C/g, ",");
        history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      }
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      boxes.forEach(function (box) {
        var wanted = (params.get(box.name) || "").split(",");
        box.checked = wanted.indexOf(box.value) >= 0;
      });
      apply(false);
    }

    form.addEventListener("change", function () { apply(true); });
    form.querySelector("[data-cb-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      apply(true);
    });
    window.addEventListener("popstate", fromUrl);
    form.hidden = false;
    fromUrl();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
