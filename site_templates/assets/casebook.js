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
   neither exists until the visitor accepts analytics, so nothing is sent before.
   Words: every message is written in English and looked up, by that English text, in
   the page's <script type="application/json" id="cb-strings"> (the `js:` section of the
   site language's strings catalog, site_templates/strings/<code>.yml); {name} marks a
   value filled in. English pages carry no such element, so they read as written. */
(function () {
  "use strict";

  // A page of a site in several languages names its version in each with
  // link[rel=alternate][hreflang]. Material reads every link[rel=alternate] as the home of
  // a language: it fetches a sitemap.xml beside each (none exists beside a page) and
  // reroutes clicks on links below it. So these links leave the document while Material
  // looks (this script runs before DOMContentLoaded, Material's moment) and come back
  // right after; the page's own language menu links each version directly.
  var versions = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"][hreflang]'));
  versions.forEach(function (link) { link.remove(); });
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(function () { versions.forEach(function (link) { document.head.appendChild(link); }); }, 0);
  });

  var STRINGS = {};  // English message -> this page's language; read once per page (init)

  function loadStrings() {
    var element = document.getElementById("cb-strings");
    var found = {};
    if (element) {
      try { found = JSON.parse(element.textContent) || {}; } catch (error) { found = {}; }
    }
    STRINGS = found && typeof found === "object" && !Array.isArray(found) ? found : {};
  }

  // A message in the page's language, with its {placeholders} filled in (in one pass,
  // so a value that holds braces stays as it is).
  function t(english, values) {
    var message = typeof STRINGS[english] === "string" ? STRINGS[english] : english;
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // The English form by count; the catalog words each form (one for Chinese).
  function tn(one, other, count, values) {
    return t(count === 1 ? one : other, values);
  }

  /* A large library (form[data-cb-cards]) holds only its first cards in the HTML. Once a
     visitor filters or asks for more, every card is built from cases/cards.json (fetched
     once) by copying the first card; "Show more" adds data-cb-step cards at a time. The
     Downloads page works alike, from downloads/files.json, whose rows are its cards' HTML. */
  function cardsFrom(form, target, facets) {
    var source = form.getAttribute("data-cb-cards");
    var model = target.querySelector("[data-cb-item]");
    var loaded = null;

    function text(card, selector, value) {
      var element = card.querySelector(selector);
      if (element) element.textContent = value;
    }

    function build(row) {
      if (typeof row === "string") {
        var holder = document.createElement("template");
        holder.innerHTML = row;
        return holder.content.firstElementChild;
      }
      var card = model.cloneNode(true);
      facets.forEach(function (facet) { card.setAttribute("data-" + facet, row[9][facet] || ""); });
      card.hidden = false;
      card.querySelector(".cb-card__link").href = row[0];
      var brand = card.querySelector(".cb-card__brand");
      var logo = brand.querySelector("img");
      if (row[1] && !logo) {
        logo = document.createElement("img");
        logo.className = "cb-logo";
        logo.alt = "";
        logo.loading = "lazy";
        brand.insertBefore(logo, brand.firstChild);
      }
      if (row[1]) {
        if (logo.getAttribute("src") !== row[1]) {  // the model card's logo had its own width and height
          logo.removeAttribute("width");
          logo.removeAttribute("height");
        }
        logo.src = row[1];
      } else if (logo) logo.remove();
      text(card, ".cb-card__customer", row[2]);
      text(card, ".cb-card__title", row[3]);
      text(card, ".cb-card__metric strong", row[4]);
      text(card, ".cb-card__metric span", row[5]);
      text(card, ".cb-card__summary", row[6]);
      var tags = card.querySelectorAll(".cb-card__tags span");
      if (tags.length === 2) { tags[0].textContent = row[7]; tags[1].textContent = row[8]; }
      var pick = card.querySelector("input[data-cb-pick]");
      if (pick && row[10]) {
        pick.setAttribute("data-cb-pick", row[10]);
        pick.setAttribute("data-cb-industry", row[9].industry || "");
        pick.value = row[11];
      } else if (pick) {
        pick.parentNode.remove();
      }
      return card;
    }

    return function () {
      if (!source || !model) return null;
      if (!loaded) {
        loaded = fetch(source).then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        }).then(function (rows) { return rows.map(build); });
        loaded.catch(function () { loaded = null; });
      }
      return loaded;
    };
  }

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
    var more = target.parentNode.querySelector("[data-cb-more]");
    var noun = form.getAttribute("data-cb-noun") || "items";
    var total = parseInt(form.getAttribute("data-cb-total") || String(items.length), 10);
    var step = parseInt(form.getAttribute("data-cb-step") || "0", 10);
    var limit = step;
    var allCards = cardsFrom(form, target, facets);
    var whole = false;  // every card built (a large library, once a visitor asked for more)

    function selected() {
      var state = {};
      facets.forEach(function (facet) {
        state[facet] = boxes.filter(function (b) { return b.name === facet && b.checked; })
                            .map(function (b) { return b.value; });
      });
      return state;
    }

    function filtering(state) { return facets.some(function (facet) { return state[facet].length > 0; }); }

    function matches(item, state) {
      return facets.every(function (facet) {
        if (!state[facet].length) return true;
        var values = (item.getAttribute("data-" + facet) || "").split(" ");
        return state[facet].some(function (v) { return values.indexOf(v) >= 0; });
      });
    }

    function show(shown, all, matching) {
      status.textContent = t(matching ? "Showing {shown} of {all} matching {noun}" : "Showing {shown} of {all} {noun}",
                             { shown: shown, all: all, noun: t(noun) });
      if (empty) empty.hidden = shown !== 0;
    }

    function render(cards, state) {
      var matching = cards.filter(function (card) { return matches(card, state); });
      target.replaceChildren.apply(target, matching.slice(0, limit));
      if (more) more.parentNode.hidden = matching.length <= limit;
      show(Math.min(limit, matching.length), matching.length, filtering(state));
      target.dispatchEvent(new CustomEvent("cb:cards"));
    }

    function apply(updateUrl) {
      var state = selected();
      var everything = allCards && (whole || filtering(state)) ? allCards() : null;
      if (everything) {
        whole = true;
        everything.then(function (cards) { render(cards, state); }).catch(function () {
          status.textContent = t(noun === "files" ? "The full list did not load: the pages below list every file."
                                                  : "The full list did not load: the pages below list every case study.");
        });
      } else {
        var shown = 0;
        items.forEach(function (item) {
          var ok = matches(item, state);
          item.hidden = !ok;
          if (ok) shown += 1;
        });
        if (more) more.parentNode.hidden = total <= items.length;
        show(shown, total);
      }
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

    form.addEventListener("change", function () { limit = step; apply(true); });
    form.querySelector("[data-cb-clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      limit = step;
      apply(true);
    });
    if (more) more.addEventListener("click", function () { limit += step; whole = true; apply(false); });
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
        script.onerror = function () { pdfLib = null; reject(new Error(t("the PDF library did not load"))); };
        document.head.appendChild(script);
      });
    }
    return pdfLib;
  }

  function fetchBytes(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(t("{url} answered {status}", { url: url, status: response.status }));
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
     write leaves the cover out, and the status says so. For that reason "Prepared for"
     stays English in every language (it is not looked up with t()): a translation such
     as Chinese would be letters the font does not have either, and leave every cover out. */
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
    var chosen = [];  // {value, pdf, industry} in the order ticked: the visitor's own order
    var hint = form.querySelector(".cb-pack__hint");
    var status = form.querySelector(".cb-pack__status");
    var button = form.querySelector("button");

    function update() {
      button.disabled = !chosen.length;
      hint.hidden = chosen.length > 0;
      form.classList.toggle("is-active", chosen.length > 0);
      status.textContent = chosen.length ? tn("{count} story in your PDF", "{count} stories in your PDF", chosen.length, { count: chosen.length }) : "";
    }

    function sync() {  // the boxes on the cards shown now (a filter may have built them anew)
      Array.prototype.forEach.call(target.querySelectorAll("input[data-cb-pick]"), function (box) {
        box.checked = chosen.some(function (entry) { return entry.value === box.value; });
        box.parentNode.hidden = false;
      });
    }

    target.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches("input[data-cb-pick]")) return;
      chosen = chosen.filter(function (entry) { return entry.value !== box.value; });
      if (box.checked) {
        chosen.push({ value: box.value, pdf: box.getAttribute("data-cb-pick"), industry: box.getAttribute("data-cb-industry") });
      }
      update();
    });
    target.addEventListener("cb:cards", sync);
    sync();

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var boxes = chosen.slice();
      var name = form.elements.prospect.value.trim();
      var slugs = boxes.map(function (entry) { return entry.value; });
      var urls = boxes.map(function (entry) { return entry.pdf; });
      if (name) urls.unshift(form.getAttribute("data-cb-cover"));
      var covered = false;
      button.disabled = true;
      status.textContent = tn("Making your PDF of {count} story\u2026", "Making your PDF of {count} stories\u2026", boxes.length, { count: boxes.length });
      loadPdfLib(form.getAttribute("data-cb-lib")).then(function (PDFLib) {
        return Promise.all(urls.map(fetchBytes)).then(function (files) {
          return mergePdfs(PDFLib, files);
        }).then(function (pack) {
          return (name ? writeCover(PDFLib, pack, name, form.getAttribute("data-cb-colour")) : Promise.resolve(false))
            .then(function (written) {
              covered = written;
              pack.setTitle(covered ? t("Customer stories for {name}", { name: name }) : t("Customer stories"));
              pack.setCreator("Casebook");
              return pack.save();
            });
        });
      }).then(function (bytes) {
        var words = (covered ? name : "").toLowerCase().match(/[a-z0-9]+/g);
        saveAs(bytes, "customer-stories" + (words ? "-for-" + words.join("-") : "") + ".pdf");
        var industries = boxes.map(function (entry) { return entry.industry; });
        var same = industries.every(function (key) { return key === industries[0]; });
        send("download", new URL(form.getAttribute("data-cb-name"), window.location.href).href + "?cases=" + slugs.join(","),
             { kind: "pack", industry: same ? industries[0] : "", role: "" }, {});
        var values = { count: boxes.length };
        status.textContent = name && !covered
          ? tn("Downloaded: {count} story, without the cover: its font writes Latin letters only",
               "Downloaded: {count} stories, without the cover: its font writes Latin letters only", boxes.length, values)
          : tn("Downloaded: {count} story", "Downloaded: {count} stories", boxes.length, values);
      }).catch(function (error) {
        status.textContent = t("Your PDF could not be made ({error}). Each story's page has its own PDF.", { error: error.message });
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
    loadStrings();
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
