/* Casebook page behaviour, without dependencies.
   Filters: a form[data-cb-filter="ID"] filters the [data-cb-item] elements inside #ID:
   multi-select within a facet, AND across facets; an item matches a facet when its
   data-<facet> attribute (space-separated keys) holds one of the checked values.
   The state lives in the URL (?industry=retail,healthcare&size=smb) so a filtered view
   can be shared. Without JavaScript the form stays hidden and every item shows.
   Gates: a form[data-cb-gate] posts to the configured form service, then reveals the
   download links kept in its <template>.
   Analytics: a click on an element with data-cb-event (download, share, cta) sends one
   event with its data-cb-kind, -industry and -role to the provider Material loaded:
   GA4 (Material's google provider creates window.dataLayer) or Plausible (the plausible
   provider in site_templates/overrides creates window.plausible). With extra.consent set,
   neither exists until the visitor accepts analytics, so nothing is sent before. */
(function () {
  "use strict";

  function initFilter(form) {
    var target = document.getElementById(form.getAttribute("data-cb-filter"));
    if (!target || form.dataset.ready) return;
    form.dataset.ready = "1";
    var items = Array.prototype.slice.call(target.querySelectorAll("[data-cb-item]"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var facets = [];
    boxes.forEach(function (box) { if (facets.indexOf(box.name) < 0) facets.push(box.name); });
    var status = form.querySelector(".cb-filter__status");
    var empty = target.parentNode.querySelector(".cb-empty");
    var noun = form.getAttribute("data-cb-noun") || "items";

    function selected() {
      var state = {};
      facets.forEach(function (facet) {
        state[facet] = boxes.filter(function (b) { return b.name === facet && b.checked; })
                            .map(function (b) { return b.value; });
      });
      return state;
    }

    function matches(item, state) {
      return facets.every(function (facet) {
        if (!state[facet].length) return true;
        var values = (item.getAttribute("data-" + facet) || "").split(" ");
        return state[facet].some(function (v) { return values.indexOf(v) >= 0; });
      });
    }

    function apply(updateUrl) {
      var state = selected();
      var shown = 0;
      items.forEach(function (item) {
        var ok = matches(item, state);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + items.length + " " + noun;
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

  function initGate(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var error = form.querySelector(".cb-gate__error");
      error.hidden = true;
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          var links = form.querySelector("template").content.cloneNode(true);
          form.replaceWith(links);
        })
        .catch(function () { error.hidden = false; });
    });
  }

  var GA4_EVENTS = { download: "file_download", share: "share", cta: "cta_click" };
  var PLAUSIBLE_EVENTS = { download: "File Download", share: "Share", cta: "CTA Click" };

  function track(element) {
    var event = element.getAttribute("data-cb-event");
    if (!GA4_EVENTS[event]) return;
    var href = element.href || window.location.href;
    var segment = {
      kind: element.getAttribute("data-cb-kind") || "",
      industry: element.getAttribute("data-cb-industry") || "",
      role: element.getAttribute("data-cb-role") || ""
    };
    if (window.dataLayer) {
      var params = { content_type: segment.kind, industry: segment.industry, role: segment.role, link_url: href };
      if (event === "download") {
        var path = new URL(href).pathname;
        params.file_name = path;
        params.file_extension = path.split(".").pop();
      }
      if (event === "share") {
        params.method = element.getAttribute("data-cb-network");
        params.item_id = window.location.pathname;
      }
      (function () { window.dataLayer.push(arguments); })("event", GA4_EVENTS[event], params);
    }
    if (typeof window.plausible === "function") {
      // `url` only on downloads: Plausible's File Download goal reads it, and so does the report
      var props = { kind: segment.kind, industry: segment.industry, role: segment.role };
      if (event === "download") props.url = href;
      if (event === "share") props.network = element.getAttribute("data-cb-network");
      if (event === "cta") props.destination = href;
      window.plausible(PLAUSIBLE_EVENTS[event], { props: props });
    }
  }

  document.addEventListener("click", function (event) {
    var element = event.target.closest && event.target.closest("[data-cb-event]");
    if (!element) return;
    if (element.tagName === "SUMMARY" && element.parentNode.open) return;  // closing the WeChat code
    track(element);
  }, true);

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-filter]"), initFilter);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-gate]"), initGate);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
