// Pipeline's page: search, document, story, entity and pipeline views over the read API. No framework, no build step.
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
  const storyHref = (id) => "#/stories/" + encodeURIComponent(id);
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const percent = (x) => `${Math.round(x * 100)}%`;
  const fmtDate = (iso) => iso || "undated";
  const fmtTime = (iso) => new Date(iso).toLocaleString();

  function route() {
    if (timer) { clearInterval(timer); timer = null; }
    const hash = location.hash || "#/";
    const [path, queryString] = hash.slice(1).split("?");
    const params = new URLSearchParams(queryString || "");
    const section = path.startsWith("/entities") ? "entities" : path.startsWith("/stories") ? "stories" : path.startsWith("/pipeline") ? "pipeline" : "search";
    for (const a of document.querySelectorAll("nav a")) {
      if (a.dataset.section === section) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    }
    let m;
    if ((m = path.match(/^\/documents\/([0-9a-f]{64})$/))) return documentView(m[1]);
    if ((m = path.match(/^\/entities\/(.+)$/))) return entityView(decodeURIComponent(m[1]));
    if ((m = path.match(/^\/stories\/(.+)$/))) return storyView(decodeURIComponent(m[1]));
    if (path === "/stories") return storiesView(params);
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
        h("p", { class: "meta" }, fmtDate(hit.publishedOn),
          hit.storyId ? [" · ", h("a", { href: storyHref(hit.storyId) }, "story")] : null,
          hit.duplicateOf ? [" · ", h("a", { href: documentHref(hit.duplicateOf) }, "reprint of another report")] : null),
        h("p", { class: "snippet", html: hit.snippet }),
        hit.reprints.length === 0 ? null : h("details", { class: "reprints" },
          h("summary", {}, `+${plural(hit.reprints.length, "reprint")}`),
          h("ul", { class: "plain" }, hit.reprints.map((r) => h("li", {},
            h("a", { href: documentHref(r.documentId) }, r.title || "(untitled)"), h("span", { class: "meta" }, ` ${fmtDate(r.publishedOn)}`))))))));
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
        h("a", { href: entityHref(e.archiveEntityId || e.entityId) }, text.slice(e.start, e.end)),
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
      const rel = d.relation;
      // Related: the archive's entities, one per person however written; else one per name in this document.
      const people = new Map();
      if (rel) for (const e of rel.entities) people.set(e.entityId, { ...e, id: e.entityId });
      else for (const e of d.entities) people.set(e.entityId, { ...e, id: e.entityId });
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
              rel ? [h("h2", {}, "Story"),
                h("p", {}, h("a", { href: storyHref(rel.storyId) }, rel.storyTitle || "(untitled)")),
                rel.duplicateOf ? h("p", { class: "meta" }, "A reprint of ", h("a", { href: documentHref(rel.duplicateOf) }, "the original report"), ".") : null,
                rel.reprints.length ? h("p", { class: "meta" }, `Reprinted ${rel.reprints.length === 1 ? "once" : rel.reprints.length + " times"}.`) : null,
                evidence(rel.evidence)] : null,
              d.keywords.length ? [h("h2", {}, "Keywords"), h("ul", { class: "tags" }, d.keywords.map((k) => h("li", {}, h("a", { href: "#/search?q=" + encodeURIComponent(`"${k}"`) }, k))))] : null,
              h("h2", {}, "Entities"),
              h("ul", { class: "entity-list" }, [...people.values()].map((e) =>
                h("li", {}, h("mark", { class: `entity ${e.type}` }, e.type), " ", h("a", { href: entityHref(e.id) }, e.name))))))));
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
          h("td", {}, h("a", { href: entityHref(e.id) }, e.name), e.aliases.length ? h("span", { class: "meta" }, ` also ${e.aliases.join(", ")}`) : null),
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
          h("p", { class: "meta" }, `${plural(e.mentions, "mention")} in ${plural(e.documentCount, "document")}`,
            e.names.length ? `; also known as ${e.names.join(", ")}.` : "."),
          e.entityId ? h("div", { class: "columns" },
            h("section", { "aria-labelledby": "h-stories" }, h("h2", { id: "h-stories" }, "Stories"),
              h("ul", { class: "plain" }, e.stories.map((s) => h("li", {}, h("a", { href: storyHref(s.storyId) }, s.title || "(untitled)"),
                h("span", { class: "meta" }, ` ${s.firstDate === s.lastDate ? s.firstDate : `${s.firstDate} – ${s.lastDate}`} · ${plural(s.documents, "report")}`))))),
            h("section", { "aria-labelledby": "h-roles" }, h("h2", { id: "h-roles" }, "Roles over time"),
              e.roles.length === 0 ? h("p", { class: "meta" }, "No roles given.") :
              h("ol", { class: "plain roles" }, e.roles.map((r) => h("li", {}, h("span", { class: "meta" }, `${r.date} `), r.role, " ",
                h("a", { href: documentHref(r.documentId), title: r.title }, "→")))))) : null,
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

  // ---- stories --------------------------------------------------------------------------------------------
  function entityChips(entities) {
    return h("ul", { class: "tags" }, entities.map((e) =>
      h("li", {}, h("mark", { class: `entity ${e.type}` }, h("a", { href: entityHref(e.entityId) }, e.name)))));
  }

  const span = (first, last) => first === last ? first : `${first} – ${last}`;

  async function storiesView(params) {
    const status = h("p", { class: "status", role: "status" }, "Loading…");
    const list = h("ol", { class: "results" });
    const pager = h("nav", { class: "pager", "aria-label": "Story pages" });
    show("Stories", h("h1", {}, "Stories"), status, list, pager);
    try {
      const data = await api("/api/stories?" + params.toString());
      status.textContent = data.total === 0 ? "No stories yet: the relate stage groups documents into stories as they are stored."
        : `${plural(data.total, "story")}, the latest first.`;
      list.replaceChildren(...data.stories.map((s) => h("li", { class: "hit story" },
        h("h2", {}, h("a", { href: storyHref(s.storyId) }, s.title || "(untitled)")),
        h("p", { class: "meta" }, `${span(s.firstDate, s.lastDate)} · ${plural(s.reports, "report")}`, s.reprints ? ` · +${plural(s.reprints, "reprint")}` : ""),
        entityChips(s.entities))));
      const page = (n) => { const p = new URLSearchParams(params); p.set("page", n); return "#/stories?" + p.toString(); };
      pager.replaceChildren(
        data.page > 1 ? h("a", { href: page(data.page - 1), rel: "prev" }, "← Later stories") : "",
        data.page < data.pages ? h("a", { href: page(data.page + 1), rel: "next" }, "Earlier stories →") : "");
    } catch (error) {
      status.replaceChildren(failure(error));
    }
  }

  // Why the relate stage put a document where it did, in a reader's words and with its figures.
  function evidence(ev) {
    const s = ev.story;
    const why = s.rule === "opened" ? "Opened this story: no earlier story was close enough"
      : s.rule === "reprint" ? "Joined with the report it reprints"
      : "Joined this story";
    return h("details", { class: "evidence" },
      h("summary", {}, "Why it is here"),
      h("dl", {},
        row("Rule", `${why} (${s.rule}).`),
        s.candidates ? row("Score", `${s.score.toFixed(2)}, best of ${plural(s.candidates, "candidate story")}`) : null,
        s.candidates ? row("Text similarity", percent(s.textSimilarity)) : null,
        s.candidates ? row("Entity similarity", percent(s.entitySimilarity)) : null,
        s.daysApart !== null && s.daysApart !== undefined ? row("Days apart", String(s.daysApart)) : null,
        s.sharedEntities.length ? row("Shared", s.sharedEntities.join(", ")) : null,
        s.adjustments && s.adjustments.length ? row("Adjusted", s.adjustments.join("; ")) : null,
        ev.duplicate ? row("Copy", `${ev.duplicate.rule}: ${percent(ev.duplicate.containment)} of its 5-word runs found, similarity ${percent(ev.duplicate.similarity)}`) : null));
  }

  // What a reprint changed, from the server's sentence comparison.
  function changes(c) {
    const notes = [];
    if (c.newHeadline) notes.push(h("li", {}, "New headline: ", h("q", {}, c.newHeadline)));
    if (c.cutAfterWords !== null) notes.push(h("li", {}, `Cut after ${c.cutAfterWords} of the original's ${c.originalWords} words.`));
    else if (c.words !== c.originalWords) notes.push(h("li", {}, `${c.words} words, ${c.words > c.originalWords ? "+" : ""}${c.words - c.originalWords} on the original.`));
    if (c.addedSentences) notes.push(h("li", {}, `Added ${plural(c.addedSentences, "sentence")}: `, c.added.map((t, i) => [i ? " " : "", h("q", {}, t)])));
    const changed = c.removed.length;
    if (changed) notes.push(h("li", {}, `Dropped or reworded ${plural(changed, "sentence")}: `, c.removed.map((t, i) => [i ? " " : "", h("q", {}, t)])));
    if (notes.length === 0) notes.push(h("li", {}, "Same headline and text."));
    return h("ul", { class: "changes" }, notes);
  }

  async function storyView(id) {
    show("Story", h("p", { class: "status" }, "Loading…"));
    try {
      const s = await api("/api/stories/" + encodeURIComponent(id));
      const byType = (type) => s.entities.filter((e) => e.type === type);
      const group = (title, type) => byType(type).length === 0 ? null : [h("h3", {}, title),
        h("ul", { class: "entity-list" }, byType(type).map((e) => h("li", {},
          h("a", { href: entityHref(e.entityId) }, e.name), h("span", { class: "meta" }, ` ${plural(e.documents, "report")}, ${e.mentions}×`))))];
      show(s.title,
        h("article", { class: "story-view" },
          h("p", { class: "crumbs" }, h("a", { href: "#/stories" }, "← All stories")),
          h("h1", {}, s.title || "(untitled)"),
          h("p", { class: "meta" }, `${span(s.firstDate, s.lastDate)} · ${plural(s.reports, "report")}`, s.reprints ? ` · ${plural(s.reprints, "reprint")} folded under the reports they copy` : ""),
          h("div", { class: "columns" },
            h("section", { "aria-labelledby": "h-timeline" }, h("h2", { id: "h-timeline" }, "Timeline"),
              h("ol", { class: "timeline" }, s.timeline.map((r) => h("li", { class: "report" },
                h("p", { class: "meta" }, h("time", { datetime: r.date }, r.date), r.outlet ? ` · ${r.outlet}` : "", ` · ${r.words} words`),
                h("h3", {}, h("a", { href: documentHref(r.documentId) }, r.title || "(untitled)")),
                evidence(r.evidence),
                r.reprints.length === 0 ? null : h("ul", { class: "reprint-list", "aria-label": `Reprints of ${r.title}` }, r.reprints.map((c) => h("li", { class: "reprint" },
                  h("p", {}, h("span", { class: "badge" }, "reprint"), " ", h("a", { href: documentHref(c.documentId) }, c.title || "(untitled)"),
                    h("span", { class: "meta" }, ` ${c.date}${c.outlet ? " · " + c.outlet : ""}`)),
                  changes(c.changes),
                  c.evidence ? h("p", { class: "meta" }, `Copy by ${c.evidence.rule}: ${percent(c.evidence.containment)} of its 5-word runs are in the original.`) : null))))))),
            h("aside", { class: "side", "aria-labelledby": "h-involved" }, h("h2", { id: "h-involved" }, "Involved"),
              s.entities.length === 0 ? h("p", { class: "meta" }, "No people, organisations or places named.") : null,
              group("People", "person"), group("Organisations", "organization"), group("Places", "location"), group("Other", "misc")))));
    } catch (error) {
      show("Story", failure(error));
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
