/* Casebook's web editor: Decap CMS (decap-cms.js beside this file, started by hand so the
   preview can take the site's own style sheets first) with previews in the site's layout.
   The style sheets are the ones the site's home page links, so the preview follows any
   theme change; the taxonomy labels come from the page (#cb-editor-data).

   Saving: Decap's own front matter format writes every line again (quotes, lists, line
   breaks) and drops comments. The "casebook-frontmatter" format below edits the file as it
   was opened instead (with the YAML library vendored beside this file, as CasebookYAML):
   a value that did not change keeps its text, quotes, comment and place; an emptied
   optional field is removed rather than written as ""; nothing Decap does not know is
   dropped. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cb-editor-data").textContent);
  var SOURCE = "__casebook_source";  // the file as opened, carried in the entry (never saved)
  var STYLE = { lineWidth: 0, flowCollectionPadding: false };

  function split(content) {
    var lines = content.split("\n");
    if (lines[0].trim() !== "---") return null;
    for (var i = 1; i < lines.length; i++) {
      if (lines[i].trim() === "---" || lines[i].trim() === "...") {
        return { open: lines[0], front: lines.slice(1, i).join("\n") + "\n", close: lines[i], body: lines.slice(i + 1).join("\n") };
      }
    }
    return null;
  }

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }
  function isEmpty(value) {
    return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0) ||
      (isObject(value) && Object.keys(value).every(function (key) { return isEmpty(value[key]); }));
  }
  function canonical(value) {
    if (Array.isArray(value)) return value.map(canonical);
    if (!isObject(value)) return value;
    var out = {};
    Object.keys(value).sort().forEach(function (key) { out[key] = canonical(value[key]); });
    return out;
  }
  function same(a, b) { return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b)); }
  // Without its empty fields, and (for what is written new) keys in the model's order.
  function withoutEmpty(value, path) {
    path = path || "";
    if (Array.isArray(value)) return value.map(function (item) { return withoutEmpty(item, path); });
    if (!isObject(value)) return value;
    var order = data.order[path] || [];
    var rank = function (key) { var at = order.indexOf(key); return at < 0 ? order.length : at; };
    var out = {};
    Object.keys(value).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (key) {
      if (!isEmpty(value[key])) out[key] = withoutEmpty(value[key], path ? path + "." + key : key);
    });
    return out;
  }
  function schemaPath(path) {
    return path.filter(function (key) { return typeof key === "string"; }).join(".");
  }

  function edit(doc, path, before, after) {
    if (same(before, after)) return;
    if (isObject(before) && isObject(after)) {
      Object.keys(after).forEach(function (key) {
        var had = Object.prototype.hasOwnProperty.call(before, key);
        if (isEmpty(after[key])) {
          if (had && !isEmpty(before[key])) doc.deleteIn(path.concat(key));
          return;
        }
        edit(doc, path.concat(key), had ? before[key] : undefined, after[key]);
      });
      return;
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
      after.forEach(function (item, i) { edit(doc, path.concat(i), before[i], item); });
      return;
    }
    var node = doc.getIn(path, true);
    if (CasebookYAML.isScalar(node) && !isObject(after) && !Array.isArray(after)) {
      var scalar = new CasebookYAML.Scalar(after);
      if (typeof after === "string" && typeof node.value === "string") scalar.type = node.type;
      scalar.comment = node.comment;
      doc.setIn(path, scalar);
      return;
    }
    var created = doc.createNode(withoutEmpty(after, schemaPath(path)));
    if (CasebookYAML.isCollection(node) && CasebookYAML.isCollection(created)) created.flow = node.flow;
    doc.setIn(path, created);
  }

  var frontMatter = {
    fromFile: function (content) {
      var parts = split(content);
      if (!parts) return { body: content };
      var values = CasebookYAML.parseDocument(parts.front).toJS() || {};
      values.body = parts.body;
      values[SOURCE] = content;
      return values;
    },
    toFile: function (values) {
      var after = Object.assign({}, values);
      var body = after.body == null ? "" : String(after.body);
      var parts = after[SOURCE] ? split(after[SOURCE]) : null;
      delete after[SOURCE];
      delete after.body;
      if (!parts) return "---\n" + CasebookYAML.stringify(withoutEmpty(after), STYLE) + "---\n\n" + body.replace(/\n*$/, "\n");
      var doc = CasebookYAML.parseDocument(parts.front);
      if (doc.errors.length) throw new Error("the file's front matter has a YAML error; fix it in the repository first");
      edit(doc, [], doc.toJS() || {}, after);
      if (body !== parts.body && /\n$/.test(parts.body)) body = body.replace(/\n*$/, "\n");  // the editor trims the end
      return parts.open + "\n" + doc.toString(STYLE) + parts.close + "\n" + body;
    }
  };

  function label(facet, key) { return (data.labels[facet] || {})[key] || key; }
  function plain(value) { return value && value.toJS ? value.toJS() : value; }
  function field(entry, name) { return plain(entry.getIn(["data", name])); }
  function list(value) { return Array.isArray(value) ? value : []; }

  function metrics(results) {
    var columns = { gridTemplateColumns: "repeat(auto-fit, minmax(9rem, 1fr))" };
    return h("section", { className: "cb-results", style: columns, "aria-label": "Results" }, list(results).map(function (r, i) {
      r = r || {};
      return h("div", { className: "cb-metric", key: i },
        h("p", { className: "cb-metric__value" }, String(r.value == null ? "" : r.value)),
        h("p", { className: "cb-metric__label" }, r.metric || ""),
        r.before && r.after ? h("p", { className: "cb-metric__change" }, r.before + " \u2192 " + r.after) : null);
    }));
  }

  function facts(rows) {
    return h("dl", { className: "cb-facts" }, rows.filter(function (row) { return row[1]; }).map(function (row, i) {
      return [h("dt", { key: "t" + i }, row[0]), h("dd", { key: "d" + i }, row[1])];
    }));
  }

  function page(kind, children) {
    return h("div", { className: "md-typeset", style: { padding: "1rem 1.5rem" } }, h("div", { className: "cb-page cb-" + kind }, children));
  }

  var CasePreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var customer = field(entry, "customer") || {};
      var quote = field(entry, "quote");
      var logo = customer.logo ? this.props.getAsset(customer.logo) : null;
      return page("case", [
        h("nav", { className: "cb-breadcrumb", key: "nav" }, "Case studies \u203a " + label("industries", customer.industry)),
        h("h1", { key: "h1" }, field(entry, "title")),
        h("p", { className: "cb-lead", key: "lead" }, field(entry, "summary")),
        h("div", { key: "results" }, metrics(field(entry, "results"))),
        quote && quote.text ? h("figure", { className: "cb-quote cb-quote--feature", key: "quote" },
          h("blockquote", null, h("p", null, quote.text)),
          h("figcaption", null, h("strong", null, quote.author), quote.title ? ", " + quote.title : "", ", " + (customer.name || ""))) : null,
        h("div", { className: "cb-columns", key: "columns" },
          h("aside", { className: "cb-facts-box", "aria-label": "Customer facts" },
            logo ? h("img", { className: "cb-logo", src: logo.toString(), alt: "" }) : null,
            facts([["Customer", customer.name], ["Industry", label("industries", customer.industry)],
                   ["Company size", label("sizes", customer.size)], ["Region", customer.region],
                   ["Growth stage", field(entry, "stage") ? label("stages", field(entry, "stage")) : ""],
                   ["Products", list(field(entry, "products")).join(", ")],
                   ["For", list(field(entry, "roles")).map(function (r) { return label("roles", r); }).join(", ")]])),
          h("div", { className: "cb-body" }, this.props.widgetFor("body")))
      ]);
    }
  });

  var PaperPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var kind = entry.get("collection") === "kits" ? "kit" : "whitepaper";
      return page(kind, [
        h("p", { className: "cb-card__kind", key: "kind" }, kind === "kit" ? "Solution kit" : "White paper"),
        h("h1", { key: "h1" }, field(entry, "title")),
        h("p", { className: "cb-lead", key: "lead" }, field(entry, "summary")),
        h("div", { className: "cb-body", key: "body" }, this.props.widgetFor("body"))
      ]);
    }
  });

  function start() {
    CMS.registerCustomFormat("casebook-frontmatter", "md", frontMatter);
    CMS.registerPreviewTemplate("cases", CasePreview);
    CMS.registerPreviewTemplate("whitepapers", PaperPreview);
    CMS.registerPreviewTemplate("kits", PaperPreview);
    CMS.init();
  }

  // The site's style sheets, as its home page links them (Material's, the brand's, Casebook's).
  fetch(data.home).then(function (response) { return response.text(); }).then(function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(doc.querySelectorAll('link[rel="stylesheet"]'), function (link) {
      var href = new URL(link.getAttribute("href"), new URL(data.home, window.location.href));
      if (href.origin === window.location.origin) CMS.registerPreviewStyle(href.href);  // never a third party's
    });
  }).catch(function () { /* the preview falls back to Decap's own look */ }).then(start);
})();
