/* Casebook page behaviour, without dependencies.
   Filters: a form[data-cb-filter="ID"] filters the [data-cb-item] elements inside #ID:
   multi-select within a facet, AND across facets; an item matches a facet when its
   data-<facet> attribute (space-separated keys) holds one of the checked values.
   The state lives in the URL (?industry=retail,healthcare&size=smb) so a filtered view
   can be shared. Without JavaScript the form stays hidden and every item shows.
   Gates: a form[data-cb-gate] posts to the configured form service, then reveals the
   download links kept in its <template>.
   Your own PDF: a form[data-cb-pack="ID"] merges the one-pagers ticked in #ID
   (input[data-cb-pick] holds each one's address) into one PDF in the browser, with
   pdf-lib (vendored; loaded at the first download only), behind a cover whose "Prepared
   for" line it writes. The download is reported as the form's data-cb-name?cases=a,b,c.
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

  // pack.typ's blank "Prepared for" line on the cover, in PDF points from the bottom left
  var COVER_LINE = { x: 56.69, y: 398.8, size: 9 };
  var pdfLib = null;

  function loadPdfLib(src) {
    if (!pdfLib) {
      pdfLib = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.PDFLib); };
        script.onerror = function () { pdfLib = null; reject(new Error("the PDF library did not load")); };
        document.head.appendChild(script);
      });
    }
    return pdfLib;
  }

  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + " answered " + response.status);
      return response.arrayBuffer();
    });
  }

  function mergePdfs(PDFLib, files) {
    return PDFLib.PDFDocument.create().then(function (pack) {
      return files.reduce(function (done, bytes) {
        return done.then(function () { return PDFLib.PDFDocument.load(bytes); })
          .then(function (doc) { return pack.copyPages(doc, doc.getPageIndices()); })
          .then(function (pages) { pages.forEach(function (page) { pack.addPage(page); }); });
      }, Promise.resolve()).then(function () { return pack; });
    });
  }

  /* The cover's font is a PDF standard font: it writes Latin text only. A name it cannot
     write leaves the cover out, and the status says so. */
  function writeCover(PDFLib, pack, name, colour) {
    return pack.embedFont(PDFLib.StandardFonts.HelveticaBold).then(function (font) {
      var hex = parseInt(colour.slice(1), 16);
      var line = ("Prepared for " + name).toUpperCase();
      try {
        font.encodeText(line);
      } catch (error) {
        pack.removePage(0);
        return false;
      }
      pack.getPage(0).drawText(line, {
        x: COVER_LINE.x, y: COVER_LINE.y, size: COVER_LINE.size, font: font,
        color: PDFLib.rgb((hex >> 16) / 255, ((hex >> 8) & 255) / 255, (hex & 255) / 255)
      });
      return true;
    });
  }

  function saveAs(bytes, filename) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  function initPack(form) {
    var target = document.getElementById(form.getAttribute("data-cb-pack"));
    if (!target || form.dataset.ready) return;
    form.dataset.ready = "1";
    var picks = Array.prototype.slice.call(target.querySelectorAll("input[data-cb-pick]"));
    var chosen = [];  // in the order ticked: the visitor's own order
    var hint = form.querySelector(".cb-pack__hint");
    var status = form.querySelector(".cb-pack__status");
    var button = form.querySelector("button");

    function update() {
      button.disabled = !chosen.length;
      hint.hidden = chosen.length > 0;
      form.classList.toggle("is-active", chosen.length > 0);
      status.textContent = chosen.length ? chosen.length + (chosen.length === 1 ? " story" : " stories") + " in your PDF" : "";
    }

    picks.forEach(function (box) {
      box.checked = false;
      box.parentNode.hidden = false;
      box.addEventListener("change", function () {
        var at = chosen.indexOf(box);
        if (box.checked && at < 0) chosen.push(box);
        if (!box.checked && at >= 0) chosen.splice(at, 1);
        update();
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var boxes = chosen.slice();
      var name = form.elements.prospect.value.trim();
      var slugs = boxes.map(function (box) { return box.value; });
      var urls = boxes.map(function (box) { return box.getAttribute("data-cb-pick"); });
      if (name) urls.unshift(form.getAttribute("data-cb-cover"));
      var covered = false;
      button.disabled = true;
      status.textContent = "Making your PDF of " + boxes.length + (boxes.length === 1 ? " story" : " stories") + "\u2026";
      loadPdfLib(form.getAttribute("data-cb-lib")).then(function (PDFLib) {
        return Promise.all(urls.map(fetchBytes)).then(function (files) {
          return mergePdfs(PDFLib, files);
        }).then(function (pack) {
          return (name ? writeCover(PDFLib, pack, name, form.getAttribute("data-cb-colour")) : Promise.resolve(false))
            .then(function (written) {
              covered = written;
              pack.setTitle(covered ? "Customer stories for " + name : "Customer stories");
              pack.setCreator("Casebook");
              return pack.save();
            });
        });
      }).then(function (bytes) {
        var words = (covered ? name : "").toLowerCase().match(/[a-z0-9]+/g);
        saveAs(bytes, "customer-stories" + (words ? "-for-" + words.join("-") : "") + ".pdf");
        var industries = boxes.map(function (box) { return box.getAttribute("data-cb-industry"); });
        var same = industries.every(function (key) { return key === industries[0]; });
        send("download", new URL(form.getAttribute("data-cb-name"), window.location.href).href + "?cases=" + slugs.join(","),
             { kind: "pack", industry: same ? industries[0] : "", role: "" }, {});
        status.textContent = "Downloaded: " + boxes.length + (boxes.length === 1 ? " story" : " stories") +
          (name && !covered ? ", without the cover: its font writes Latin letters only" : "");
      }).catch(function (error) {
        status.textContent = "Your PDF could not be made (" + error.message + "). Each story's page has its own PDF.";
      }).then(function () { button.disabled = !chosen.length; });
    });
    form.hidden = false;
    update();
  }

  var GA4_EVENTS = { download: "file_download", share: "share", cta: "cta_click" };
  var PLAUSIBLE_EVENTS = { download: "File Download", share: "Share", cta: "CTA Click" };

  function track(element) {
    var event = element.getAttribute("data-cb-event");
    if (!GA4_EVENTS[event]) return;
    send(event, element.href || window.location.href, {
      kind: element.getAttribute("data-cb-kind") || "",
      industry: element.getAttribute("data-cb-industry") || "",
      role: element.getAttribute("data-cb-role") || ""
    }, { network: element.getAttribute("data-cb-network") });
  }

  function send(event, href, segment, extra) {
    if (window.dataLayer) {
      var params = { content_type: segment.kind, industry: segment.industry, role: segment.role, link_url: href };
      if (event === "download") {
        var path = new URL(href).pathname;
        params.file_name = path;
        params.file_extension = path.split(".").pop();
      }
      if (event === "share") {
        params.method = extra.network;
        params.item_id = window.location.pathname;
      }
      (function () { window.dataLayer.push(arguments); })("event", GA4_EVENTS[event], params);
    }
    if (typeof window.plausible === "function") {
      // `url` only on downloads: Plausible's File Download goal reads it, and so does the report
      var props = { kind: segment.kind, industry: segment.industry, role: segment.role };
      if (event === "download") props.url = href;
      if (event === "share") props.network = extra.network;
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
    Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-pack]"), initPack);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
