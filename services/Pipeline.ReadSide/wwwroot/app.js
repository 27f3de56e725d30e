// Pipeline's page: search, document, entity and pipeline views over the read API. No framework, no build step.
"use strict";

(() => {
  const main = document.getElementById("main");
  const TYPES = ["person", "organization", "location", "misc"];
  let timer = null;

  // h("a", {href: "#"}, "text", child...): a DOM element; children that are strings become text nodes.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "html") el.innerHTML = v; // only for server snippets: escaped text plus <mark>
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body && (body.detail || body.title) || response.statusText;
      const errors = body && body.errors ? Object.values(body.errors).flat().join(" ") : "";
      throw new Error(errors ? `${detail} ${errors}` : detail);
    }
    return body;
  }

  function show(title, ...content) {
    document.title = title ? `${title} — Pipeline` : "Pipeline — news archive";
    main.replaceChildren(...content);
  }

  function failure(error) {
    return h("p", { class: "error", role: "alert" }, error.message || String(error));
  }

  const entityHref = (id) => "#/entities/" + encodeURIComponent(id);
  const documentHref = (id) => "#/documents/" + id;
  const fmtDate = (iso) => iso || "undated";
  const fmtTime = (iso) => new Date(iso).toLocaleString();

  function route() {
    if (timer) { clearInterval(timer); timer = null; }
    const hash = location.hash || "#/";
    const [path, queryString] = hash.slice(1).split("?");
    const params = new URLSearchParams(queryString || "");
    const section = path.startsWith("/entities") ? "entities" : path.startsWith("/pipeline") ? "pipeline" : "search";
    for (const a of document.querySelectorAll("nav a")) {
      if (a.dataset.section === section) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    let m;
    if ((m = path.match(/^\/documents\/([0-9a-f]{64})$/))) return documentView(m[1]);
    if ((m = path.match(/^\/entities\/(.+)$/))) return entityView(decodeURIComponent(m[1]));
    if (path === "/entities") return entitiesView(params);
    if (path === "/pipeline") return pipelineView();
    return searchView(params);
  }

  // ---- search ---------------------------------------------------------------------------------------------
  function field(label, name, value, attrs) {
    const id = "f-" + name;
    return h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, name, value: value || "", ...attrs }));
  }

  async function searchView(params) {
    const form = h("form", { class: "search", role: "search", onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
      location.hash = "#/search?" + next.toString();
    } },
      h("div", { class: "query" },
        h("label", { for: "f-q", class: "visually-hidden" }, "Search the archive"),
        h("input", { id: "f-q", name: "q", type: "search", value: params.get("q") || "", placeholder: "Search news: words, \"a phrase\", -exclude", autofocus: true }),
        h("button", { type: "submit" }, "Search")),
      h("details", { class: "filters", open: ["person", "org", "place", "from", "to"].some((k) => params.get(k)) || null },
        h("summary", {}, "Filters"),
        h("div", { class: "grid" },
          field("Person", "person", params.get("person")),
          field("Organisation", "org", params.get("org")),
          field("Place", "place", params.get("place")),
          field("Published from", "from", params.get("from"), { type: "date" }),
          field("Published to", "to", params.get("to"), { type: "date" }),
          h("div", { class: "field" }, h("label", { for: "f-sort" }, "Sort by"),
            h("select", { id: "f-sort", name: "sort" },
              h("option", { value: "", selected: params.get("sort") !== "date" || null }, "Relevance"),
              h("option", { value: "date", selected: params.get("sort") === "date" || null }, "Date"))))));
    const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    const results = h("ol", { class: "results" });
    const pager = h("nav", { class: "pager", "aria-label": "Result pages" });
    show(params.get("q") ? `Search: ${params.get("q")}` : "Search", h("h1", { class: "visually-hidden" }, "Search"), form, status, results, pager);

    try {
      const data = await api("/api/documents?" + params.toString());
      status.textContent = data.total === 0 ? "No documents found."
        : `${data.total} document${data.total === 1 ? "" : "s"}` + (data.pages > 1 ? ` — page ${data.page} of ${data.pages}` : "") + `, by ${data.sort}.`;
      results.replaceChildren(...data.hits.map((hit) => h("li", { class: "hit" },
        h("h2", {}, h("a", { href: documentHref(hit.documentId) }, hit.title || "(untitled)")),
        h("p", { class: "meta" }, fmtDate(hit.publishedOn)),
        h("p", { class: "snippet", html: hit.snippet }))));
      const page = (n) => { const p = new URLSearchParams(params); p.set("page", n); return "#/search?" + p.toString(); };
      pager.replaceChildren(
        data.page > 1 ? h("a", { href: page(data.page - 1), rel: "prev" }, "← Newer results") : "",
        data.page < data.pages ? h("a", { href: page(data.page + 1), rel: "next" }, "More results →") : "");
    } catch (error) {
      status.replaceChildren(failure(error));
    }
  }

  // ---- document -------------------------------------------------------------------------------------------
  function markedText(text, entities) {
    const out = [];
    let at = 0;
    const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
    for (const e of sorted) {
      if (e.start < at || e.end > text.length || e.end <= e.start) continue; // overlapping or out of range
      out.push(text.slice(at, e.start));
      out.push(h("mark", { class: `entity ${e.type}`, "data-type": e.type, title: `${e.type}: ${e.name}` },
        h("a", { href: entityHref(e.entityId) }, text.slice(e.start, e.end)),
        h("span", { class: "visually-hidden" }, ` (${e.type})`)));
      at = e.end;
    }
    out.push(text.slice(at));
    return out;
  }

  function legend() {
    return h("ul", { class: "legend", "aria-label": "Entity types" },
      TYPES.map((t) => h("li", {}, h("mark", { class: `entity ${t}` }, t))));
  }

  function row(term, ...value) {
    return value.length === 0 || value[0] === null || value[0] === undefined || value[0] === "" ? null
      : [h("dt", {}, term), h("dd", {}, ...value)];
  }

  async function documentView(id) {
    show("Document", h("p", { class: "status" }, "Loading…"));
    try {
      const d = await api("/api/documents/" + id);
      const md = d.metadata || {};
      const dl = d.dateline;
      const people = new Map();
      for (const e of d.entities) people.set(e.entityId, e);
      show(d.title,
        h("article", { class: "document" },
          h("p", { class: "crumbs" }, h("a", { href: "#/", onclick: (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } } }, "← Back to results")),
          h("h1", {}, d.title || "(untitled)"),
          h("div", { class: "columns" },
            h("div", { class: "text-column" },
              d.summary ? h("p", { class: "summary" }, d.summary) : null,
              legend(),
              h("div", { class: "article-text" }, markedText(d.text, d.entities))),
            h("aside", { class: "side", "aria-label": "About this document" },
              h("h2", {}, "Details"),
              h("dl", {},
                row("Published", d.publishedOn),
                row("Dateline", dl ? [dl.place, dl.agency && `(${dl.agency})`, dl.date].filter(Boolean).join(" ") : null),
                row("Site", md.siteName),
                row("Authors", (md.authors || []).join(", ")),
                row("Language", d.language),
                row("Format", d.format),
                row("File", d.fileName),
                row("Original", h("a", { href: d.raw.url }, `raw file (${d.raw.bytes.toLocaleString()} bytes)`)),
                row("Stored", fmtTime(d.storedAt))),
              d.keywords.length ? [h("h2", {}, "Keywords"), h("ul", { class: "tags" }, d.keywords.map((k) => h("li", {}, h("a", { href: "#/search?q=" + encodeURIComponent(`"${k}"`) }, k))))] : null,
              h("h2", {}, "Entities"),
              h("ul", { class: "entity-list" }, [...people.values()].map((e) =>
                h("li", {}, h("mark", { class: `entity ${e.type}` }, e.type), " ", h("a", { href: entityHref(e.entityId) }, e.name))))))));
    } catch (error) {
      show("Document", failure(error));
    }
  }

  // ---- entities -------------------------------------------------------------------------------------------
  async function entitiesView(params) {
    const form = h("form", { class: "search", onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
      location.hash = "#/entities?" + next.toString();
    } },
      h("div", { class: "query" },
        h("label", { for: "e-q", class: "visually-hidden" }, "Entity name"),
        h("input", { id: "e-q", name: "q", type: "search", value: params.get("q") || "", placeholder: "Name contains…" }),
        h("label", { for: "e-type", class: "visually-hidden" }, "Type"),
        h("select", { id: "e-type", name: "type" }, h("option", { value: "" }, "All types"),
          TYPES.map((t) => h("option", { value: t, selected: params.get("type") === t || null }, t))),
        h("button", { type: "submit" }, "Find")));
    const list = h("table", { class: "table" });
    show("Entities", h("h1", {}, "Entities"), form, list);
    try {
      const p = new URLSearchParams(params); p.set("limit", "100");
      const data = await api("/api/entities?" + p.toString());
      list.replaceChildren(
        h("caption", { class: "visually-hidden" }, "Entities, the most widespread first"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col", class: "num" }, "Documents"), h("th", { scope: "col", class: "num" }, "Mentions"))),
        h("tbody", {}, data.entities.map((e) => h("tr", {},
          h("td", {}, h("a", { href: entityHref(e.id) }, e.name)),
          h("td", {}, h("mark", { class: `entity ${e.type}` }, e.type)),
          h("td", { class: "num" }, e.documents), h("td", { class: "num" }, e.mentions)))));
    } catch (error) {
      list.replaceWith(failure(error));
    }
  }

  async function entityView(id) {
    show("Entity", h("p", { class: "status" }, "Loading…"));
    try {
      const e = await api("/api/entities/" + encodeURIComponent(id).replace(/%3A/g, ":"));
      show(e.name,
        h("section", { class: "entity-view" },
          h("p", { class: "crumbs" }, h("a", { href: "#/entities" }, "← All entities")),
          h("h1", {}, e.name, " ", h("mark", { class: `entity ${e.type}` }, e.type)),
          h("p", { class: "meta" }, `${e.mentions} mention${e.mentions === 1 ? "" : "s"} in ${e.documentCount} document${e.documentCount === 1 ? "" : "s"}.`),
          h("div", { class: "columns three" },
            h("section", { "aria-labelledby": "h-docs" }, h("h2", { id: "h-docs" }, "Documents"),
              h("ul", { class: "plain" }, e.documents.map((d) => h("li", {}, h("a", { href: documentHref(d.documentId) }, d.title || "(untitled)"), h("span", { class: "meta" }, ` ${fmtDate(d.publishedOn)} · ${d.mentions}×`))))),
            h("section", { "aria-labelledby": "h-co" }, h("h2", { id: "h-co" }, "Appears with"),
              e.coOccurring.length === 0 ? h("p", { class: "meta" }, "No other entities.") :
              h("ol", { class: "plain co-occurring" }, e.coOccurring.map((c) => h("li", {},
                h("mark", { class: `entity ${c.type}` }, c.type), " ", h("a", { href: entityHref(c.id) }, c.name),
                h("span", { class: "meta" }, ` in ${c.sharedDocuments} document${c.sharedDocuments === 1 ? "" : "s"}`))))),
            h("section", { "aria-labelledby": "h-alias" }, h("h2", { id: "h-alias" }, "Written as"),
              h("ul", { class: "plain" }, e.aliases.map((a) => h("li", {}, a.text, h("span", { class: "meta" }, ` ${a.mentions}×`))))),
          ),
          h("p", {}, h("a", { href: "#/search?" + new URLSearchParams({ [e.type === "person" ? "person" : e.type === "organization" ? "org" : e.type === "location" ? "place" : "q"]: e.name }).toString() }, `Search documents mentioning ${e.name} →`))));
    } catch (error) {
      show("Entity", failure(error));
    }
  }

  // ---- pipeline -------------------------------------------------------------------------------------------
  function chart(points, bucketSeconds) {
    const W = 720, H = 180, pad = 28;
    const max = Math.max(1, ...points.map((p) => Math.max(p.ingested, p.stored)));
    const bw = (W - pad * 2) / points.length;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const total = points.reduce((s, p) => s + p.stored, 0);
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `Documents stored per ${bucketSeconds} seconds over the last ${Math.round(points.length * bucketSeconds / 60)} minutes: ${total} in all.`);
    svg.classList.add("chart");
    const el = (name, attrs) => { const n = document.createElementNS(svg.namespaceURI, name); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); svg.append(n); return n; };
    el("line", { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: "axis" });
    el("text", { x: 4, y: pad, class: "label" }).textContent = String(max);
    el("text", { x: 4, y: H - pad, class: "label" }).textContent = "0";
    points.forEach((p, i) => {
      const hS = (H - pad * 2) * p.stored / max;
      const r = el("rect", { x: pad + i * bw + 1, y: H - pad - hS, width: Math.max(1, bw - 2), height: hS, class: "stored" });
      const t = document.createElementNS(svg.namespaceURI, "title"); t.textContent = `${new Date(p.at).toLocaleTimeString()}: ${p.stored} stored, ${p.ingested} ingested`; r.append(t);
    });
    const line = points.map((p, i) => `${pad + i * bw + bw / 2},${H - pad - (H - pad * 2) * p.ingested / max}`).join(" ");
    el("polyline", { points: line, class: "ingested" });
    el("text", { x: pad, y: H - 6, class: "label" }).textContent = "−10 min";
    el("text", { x: W - pad - 24, y: H - 6, class: "label" }).textContent = "now";
    return svg;
  }

  function pipelineView() {
    const summary = h("p", { class: "status" }, "Loading…");
    const table = h("table", { class: "table stages" });
    const chartBox = h("figure", { class: "chart-box" });
    const failures = h("div");
    show("Pipeline", h("h1", {}, "Pipeline"), summary, table,
      h("h2", {}, "Throughput"), chartBox,
      h("h2", {}, "Recent failures"), failures);
    const num = (v) => h("td", { class: "num" }, v === null || v === undefined ? "—" : v.toLocaleString());
    async function refresh() {
      try {
        const p = await api("/api/pipeline");
        summary.textContent = `${p.documents.toLocaleString()} documents stored. Bus: ${p.transport}; queue figures from ${p.queueSource === "monitor" ? "this process's counts" : "the RabbitMQ management API"}; counting since ${fmtTime(p.since)}.${p.queueWarning ? " " + p.queueWarning : ""}`;
        table.replaceChildren(
          h("caption", {}, "Per-stage counts (live)"),
          h("thead", {}, h("tr", {}, ["Stage", "Received", "Done", "Failed", "In flight", "Queue", "Waiting", "Consumers", "Error queue"].map((c, i) => h("th", { scope: "col", class: i > 0 && i !== 5 ? "num" : null }, c)))),
          h("tbody", {}, p.stages.map((s) => h("tr", {},
            h("th", { scope: "row" }, s.name), num(s.received), num(s.done), num(s.failed), num(s.inFlight),
            h("td", {}, s.queue ? s.queue.name : "drop folder"), num(s.queue && s.queue.messages), num(s.queue && s.queue.consumers),
            num(s.errorQueue && s.errorQueue.messages)))));
        chartBox.replaceChildren(chart(p.throughput, p.throughputBucketSeconds),
          h("figcaption", {}, h("span", { class: "key stored" }, "■"), ` stored per ${p.throughputBucketSeconds} s  `, h("span", { class: "key ingested" }, "—"), " ingested"));
        failures.replaceChildren(p.recentFailures.length === 0 ? h("p", { class: "meta" }, "None.") :
          h("table", { class: "table" },
            h("thead", {}, h("tr", {}, ["When", "Stage", "File", "Reason"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, p.recentFailures.map((f) => h("tr", {}, h("td", {}, fmtTime(f.at)), h("td", {}, f.stage),
              h("td", {}, f.documentId ? h("a", { href: documentHref(f.documentId) }, f.fileName) : f.fileName), h("td", {}, f.reason))))));
      } catch (error) {
        summary.replaceChildren(failure(error));
      }
    }
    refresh();
    timer = setInterval(refresh, 2000);
  }

  window.addEventListener("hashchange", () => { route(); main.focus({ preventScroll: true }); window.scrollTo(0, 0); });
  route();
})();
