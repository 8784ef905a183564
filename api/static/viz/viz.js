/* baomi-kg viewer: browse the committee system with Cytoscape.js (vendored, see /viz/vendor/cytoscape/LICENSE).
 *
 * The page loads /viz/index.json once (every committee with its guiding committee and search keys), then the
 * parts of the graph it shows from /api/v1/export?format=cytoscape.  Positions come from a compact tree layout
 * computed here (leaf subordinates in a grid under their committee), so expanding any part stays fast. */
"use strict";

(function () {
  const UNIT_X = 190, LEVEL_Y = 300, ROW_Y = 130, WRAP_X = 6000, STABLE_FROM = 1200;
  const SATELLITES = { "office": [45, 45], "party-committee": [-45, 45], "unit": [0, 80] };
  const EDGE_COLOURS = { guidance: "#34495e", reporting: "#2980b9", office: "#7f8c8d", leadership: "#c0392b",
    departmental: "#8e44ad" };
  const EDGE_NAMES = { guidance: "指导监督 guidance", reporting: "报告 reporting", office: "办公室 office",
    leadership: "组建·领导·负责 leadership", departmental: "部门 departmental" };
  const LEVEL_NAMES = { central: "中央 central", provincial: "省级 provincial", municipal: "市级 municipal",
    county: "县级 county", departmental: "部门 departmental" };
  const LOCAL = new Set(["provincial", "municipal", "county"]);
  const COMMITTEES = ".kind-committee, .kind-departmental";

  const state = {
    index: null, byId: new Map(), children: new Map(), expanded: new Set(), kinds: new Set(), lang: "zh",
    selected: null, timings: [], busy: 0, panelToken: 0,
  };
  let cy = null;
  const $ = (id) => document.getElementById(id);

  // -- data ---------------------------------------------------------------------------------------
  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
      throw new Error(`${response.status} ${detail}`);
    }
    return response.json();
  }

  function readIndex(index) {
    const fields = index.fields;
    for (const row of index.committees) {
      const c = {};
      fields.forEach((name, i) => { c[name] = row[i]; });
      c.keyList = c.keys ? c.keys.split(" ") : [];
      state.byId.set(c.id, c);
      if (c.upper) {
        if (!state.children.has(c.upper)) state.children.set(c.upper, []);
        state.children.get(c.upper).push(c.id);
      }
    }
  }

  function chainOf(id) {
    const out = [];
    let c = state.byId.get(id);
    while (c) { out.push(c); c = c.upper ? state.byId.get(c.upper) : null; }
    return out;
  }

  function textWidth(text, size) {
    let w = 0;
    for (const ch of text || "") w += ch.codePointAt(0) > 0x2e80 ? size : size * 0.58;
    return Math.round(w + size);
  }

  function label(c) { return state.lang === "en" ? c.short_en : c.short_zh; }

  // -- graph ------------------------------------------------------------------------------------------
  function exportUrl(format, params) {
    const query = new URLSearchParams({ format, ...params });
    return `/api/v1/export?${query.toString()}`;
  }

  function addElements(elements) {
    const fresh = [];
    for (const group of ["nodes", "edges"]) {
      for (const el of elements[group]) {
        if (!cy.getElementById(el.data.id).empty()) continue;
        if (group === "nodes") {
          // Box sizes from the label's length: measuring every label in the browser is what makes big views slow.
          const size = el.data.kind === "committee" || el.data.kind === "departmental" ? 12 : 9;
          el.data.w_zh = textWidth(el.data.short_zh, size);
          el.data.w_en = textWidth(el.data.short_en, size);
          el.data.h = size * 1.9;
        }
        fresh.push({ group, data: el.data, classes: el.classes });
      }
    }
    return fresh.length ? cy.add(fresh) : cy.collection();
  }

  // Classes are set on the elements that may have changed only: restyling the whole graph is what costs.
  function markExpandable(nodes) {
    cy.batch(() => {
      nodes.filter(COMMITTEES).forEach((n) => {
        const id = n.data("committee");
        const has = (state.children.get(id) || []).length > 0;
        const want = has && !state.expanded.has(id);
        if (n.hasClass("expandable") !== want) n.toggleClass("expandable", want);
      });
    });
  }

  function hiddenKind(e) {
    const on = (k) => state.kinds.has(k);
    if (e.isEdge()) return !on(e.data("kind"));
    switch (e.data("kind")) {
      case "office": return !on("office");
      case "party-committee": return !on("leadership") && !on("reporting");
      case "unit": case "departmental": return !on("departmental");
      default: return false;
    }
  }

  function applyKinds(elements) {
    cy.batch(() => {
      elements.forEach((e) => {
        const want = hiddenKind(e);
        if (e.hasClass("off") !== want) e.toggleClass("off", want);
      });
    });
  }

  function layout() {
    const committees = cy.nodes(COMMITTEES);
    // A large view is laid out as if the whole tree were shown: every committee keeps its place, so expanding or
    // collapsing a part moves nothing else (moving thousands of nodes is what a large view cannot afford).
    const stable = committees.length > STABLE_FROM;
    const present = stable ? new Set([...state.byId.keys()].map((id) => `committee:${id}`))
      : new Set(committees.map((n) => n.id()));
    const kids = new Map(), roots = [];
    for (const key of present) {
      const upper = state.byId.get(key.slice("committee:".length)).upper;
      const parent = upper ? `committee:${upper}` : "";
      if (present.has(parent)) {
        if (!kids.has(parent)) kids.set(parent, []);
        kids.get(parent).push(key);
      } else roots.push(key);
    }
    for (const list of kids.values()) list.sort();  // by code, whatever order the parts were loaded in
    roots.sort();
    const pos = new Map(), sizes = new Map();
    const grid = (n) => {
      if (n === 0) return [0, 0];
      const cols = n <= 4 ? n : Math.max(4, Math.ceil(Math.sqrt(2 * n)));
      return [cols, Math.ceil(n / cols)];
    };
    // Blocks to lay out in rows: subtrees, and one grid of the leaf committees (as graph/scope.py does).
    const items = (children) => {
      const out = children.filter((k) => kids.has(k)).map((k) => ({ key: k, ...size(k) }));
      const leaves = children.filter((k) => !kids.has(k));
      if (leaves.length) {
        const [cols, rows] = grid(leaves.length);
        out.push({ key: "", w: cols * UNIT_X, h: rows * ROW_Y, leaves });
      }
      return out;
    };
    const pack = (list) => {
      const total = list.reduce((a, i) => a + i.w, 0);
      if (total <= WRAP_X) return [list];
      const target = Math.max(Math.max(...list.map((i) => i.w)),
        Math.sqrt(2 * list.reduce((a, i) => a + i.w * i.h, 0)));
      const rows = [[]];
      let width = 0;
      for (const item of list) {
        if (rows[rows.length - 1].length && width + item.w > target) { rows.push([]); width = 0; }
        rows[rows.length - 1].push(item);
        width += item.w;
      }
      return rows;
    };
    const rowWidth = (row) => row.reduce((a, i) => a + i.w, 0);
    const rowHeight = (row) => Math.max(...row.map((i) => i.h)) + ROW_Y / 2;
    function size(id) {
      if (!sizes.has(id)) {
        const rows = pack(items(kids.get(id)));
        sizes.set(id, { w: Math.max(UNIT_X, ...rows.map(rowWidth)), h: LEVEL_Y + rows.reduce((a, r) => a + rowHeight(r), 0) });
      }
      return sizes.get(id);
    }
    function placeRows(rows, left, width, top) {
      let y = top;
      for (const row of rows) {
        let x = left + (width - rowWidth(row)) / 2;
        for (const item of row) {
          if (item.key) {
            pos.set(item.key, { x: x + item.w / 2, y });
            if (kids.has(item.key)) placeRows(pack(items(kids.get(item.key))), x, item.w, y + LEVEL_Y);
          } else {
            const [cols] = grid(item.leaves.length);
            item.leaves.forEach((k, i) => {
              pos.set(k, { x: x + ((i % cols) + 0.5) * UNIT_X, y: y + Math.floor(i / cols) * ROW_Y });
            });
          }
          x += item.w;
        }
        y += rowHeight(row);
      }
    }
    const top = roots.map((r) => (kids.has(r) ? { key: r, ...size(r) } : { key: r, w: UNIT_X, h: ROW_Y }));
    if (top.length) {
      const rows = pack(top);
      placeRows(rows, 0, Math.max(...rows.map(rowWidth)), 0);
    }
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        let p = pos.get(n.id());
        if (!p) {
          const c = pos.get(`committee:${n.data("committee")}`) || { x: 0, y: 0 };
          const [dx, dy] = SATELLITES[n.data("kind")] || [0, 60];
          p = { x: c.x + dx, y: c.y + dy };
        }
        const now = n.position();
        if (now.x !== p.x || now.y !== p.y) n.position(p);  // untouched nodes keep their cached geometry
      });
    });
  }

  function rendered() {
    return new Promise((resolve) => {
      cy.one("render", () => requestAnimationFrame(() => resolve()));
      cy.forceRender();
    });
  }

  async function load(params, markAll, fit) {
    const t0 = performance.now();
    state.busy += 1;
    status("加载中 Loading…");
    try {
      const data = await getJSON(exportUrl("cytoscape", params));
      const t1 = performance.now();
      const fresh = addElements(data.elements);
      const opened = markAll(data);
      for (const id of opened) state.expanded.add(id);
      markExpandable(fresh.nodes().union(cy.nodes().filter((n) => opened.includes(n.data("committee")))));
      applyKinds(fresh);
      const t2 = performance.now();
      layout();
      const t3 = performance.now();
      if (fit) cy.fit(cy.nodes().filter((n) => fit.has(n.data("committee"))), 30);
      await rendered();
      const ms = Math.round(performance.now() - t0);
      const added = fresh.length;
      state.timings.push({ params, added, ms, nodes: cy.nodes().length,
        steps: { fetch: Math.round(t1 - t0), add: Math.round(t2 - t1), layout: Math.round(t3 - t2) } });
      status(`${cy.nodes(COMMITTEES).length} 个委员会 committees · ${cy.nodes().length} 个节点 nodes` +
        ` · ${cy.edges().length} 条边 edges · +${added} in ${ms} ms`);
      return ms;
    } catch (err) {
      status(`出错 Error: ${err.message}`);
      throw err;
    } finally {
      state.busy -= 1;
    }
  }

  function committeesIn(data) {
    return data.elements.nodes.filter((n) => n.data.kind === "committee").map((n) => n.data.committee)
      .filter((id) => (state.children.get(id) || []).length > 0);
  }

  function expand(id) {
    return load({ root: id, depth: "1" }, () => [id]);
  }

  function expandAll(id) {
    const subtree = new Set([id]);
    const walk = (cid) => { for (const k of state.children.get(cid) || []) { subtree.add(k); walk(k); } };
    walk(id);
    return load({ root: id }, committeesIn, subtree);
  }

  async function collapse(id) {
    const gone = new Set();
    const walk = (cid) => { for (const k of state.children.get(cid) || []) { gone.add(k); walk(k); } };
    walk(id);
    cy.batch(() => cy.nodes().filter((n) => gone.has(n.data("committee"))).remove());
    for (const g of gone) state.expanded.delete(g);
    state.expanded.delete(id);
    markExpandable(cy.getElementById(`committee:${id}`));
    layout();
    await rendered();
  }

  async function jumpTo(id) {
    const chain = chainOf(id);
    if (!chain.length) return;
    const ancestors = chain.slice(1).map((c) => c.id).reverse();
    const missing = ancestors.filter((a) => !state.expanded.has(a));
    if (missing.length) {
      await load({ root: "central", depth: "0", expand: ancestors.join(",") }, () => ancestors);
    }
    const node = cy.getElementById(`committee:${id}`);
    if (node.nonempty()) {
      cy.$(":selected").unselect();
      node.select();
      cy.zoom({ level: 1.1, renderedPosition: node.renderedPosition() });
      cy.center(node);
    }
    await showPanel(id);
  }

  // -- side panel -------------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else if (k === "on") e.addEventListener("click", v); else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  function chainList(ids) {
    const ol = el("ol", { id: "panel-chain" });
    for (const cid of ids) {
      const c = state.byId.get(cid);
      const a = el("a", { href: "#", text: c ? c.name_zh : cid, "data-id": cid });
      a.addEventListener("click", (ev) => { ev.preventDefault(); jumpTo(cid); });
      ol.append(el("li", {}, a, el("span", { class: "en", text: ` ${cid}` })));
    }
    return ol;
  }

  async function showPanel(id) {
    state.selected = id;
    const token = ++state.panelToken;
    const c = state.byId.get(id);
    const panel = $("panel");
    panel.replaceChildren();
    if (!c) return;
    const node = cy.getElementById(`committee:${id}`);
    const colour = state.index.colours[c.level];
    panel.append(
      el("h2", { id: "panel-title", text: c.name_zh }),
      el("div", { class: "en", id: "panel-title-en", text: node.nonempty() ? node.data("name_en") : c.short_en }),
      el("p", {}, el("span", { class: "badge", style: `background:${colour}`, text: LEVEL_NAMES[c.level] }),
        el("span", { class: "en", text: `  id ${id}` })),
    );
    const actions = el("div", { class: "actions" });
    if ((state.children.get(id) || []).length) {
      actions.append(
        el("button", { type: "button", id: "expand-subtree", text: "展开全部下级 Expand all below",
          on: () => expandAll(id) }),
        el("button", { type: "button", id: "collapse", text: "收起 Collapse", on: () => collapse(id) }));
    }
    panel.append(actions);
    const q = c.level === "departmental" ? c.unit : id;
    const rest = `/api/v1/jurisdiction?q=${encodeURIComponent(q)}`;
    const iri = node.nonempty() ? node.data("iri") : "";
    const sparql = `/sparql?query=${encodeURIComponent(`DESCRIBE <${iri}>`)}&format=turtle`;
    let answer = null;
    try { answer = await getJSON(rest); } catch (err) { answer = null; }
    if (token !== state.panelToken) return;  // another node was picked meanwhile
    const office = answer ? answer.office : null;
    const officeNode = cy.getElementById(`office:${id}`);
    panel.append(el("h3", { text: "办公室 Office" }),
      el("p", { id: "panel-office" },
        document.createTextNode(office ? office.name_zh : (officeNode.nonempty() ? officeNode.data("name_zh") : "—")),
        office && office.second_nameplate ? el("span", { class: "en", text: `（${office.second_nameplate}）` }) : null,
        el("br"), el("span", { class: "en", text: office ? office.name_en : "" })));
    if (answer && answer.party_committee) {
      panel.append(el("h3", { text: "同级党委 Party committee" }),
        el("p", { id: "panel-party" }, document.createTextNode(answer.party_committee.name_zh), el("br"),
          el("span", { class: "en", text: answer.party_committee.name_en })));
    }
    if (answer) {
      const r = answer.region;
      const path = r.path.map((p) => p.name).concat([r.name]).join(" › ");
      panel.append(el("h3", { text: "地区 Region" }),
        el("p", { id: "panel-region" }, document.createTextNode(`${path}`),
          el("span", { class: "en", text: ` ${r.code} · ${r.type} · ${r.name_en}` })));
    }
    if (c.level === "departmental") {
      panel.append(el("h3", { text: "单位 Unit" }), el("p", { id: "panel-unit", text: c.unit }));
    }
    const chainIds = (answer ? answer.chain : chainOf(id)).map((x) => x.id);
    panel.append(el("h3", { text: "指导链 Guiding chain" }), chainList(chainIds));
    if (LOCAL.has(c.level)) {
      const list = el("ol", { id: "panel-duties" });
      for (const d of state.index.duties) {
        list.append(el("li", {}, el("details", {}, el("summary", { text: `${d.label_zh} · ${d.label_en}` }),
          el("div", { text: d.text_zh }), el("div", { class: "en", text: `${d.text_en} (${d.passage})` }))));
      }
      panel.append(el("h3", { text: "职责 Duties" }), list);
    }
    const links = el("ul", { id: "panel-links" },
      el("li", {}, el("a", { href: rest, target: "_blank", text: "REST: jurisdiction answer (JSON)" })),
      iri ? el("li", {}, el("a", { href: sparql, target: "_blank", text: "SPARQL: DESCRIBE (Turtle)" })) : null,
      el("li", {}, el("a", { href: exportUrl("svg", { chain: id }), target: "_blank", text: "Chain picture (SVG)" })),
      el("li", {}, el("a", { href: exportUrl("graphml", { root: id, depth: "1" }), text: "Subtree (GraphML)" })),
      el("li", {}, el("a", { href: exportUrl("turtle", { root: id, depth: "1" }), text: "Subtree (Turtle)" })));
    panel.append(el("h3", { text: "链接 Links" }), links);
  }

  // -- search ---------------------------------------------------------------------------------------------
  function normalisePinyin(text) {
    return text.toLowerCase().normalize("NFKD").replace(/u\u0308/g, "v").replace(/ü/g, "v").replace(/[^a-z]/g, "");
  }

  function search(text) {
    const q = text.trim();
    if (!q) return [];
    const order = state.index.levels;
    const scored = [];
    if (/^\d+$/.test(q)) {
      for (const c of state.byId.values()) if (c.id.startsWith(q)) scored.push([c.id === q ? 0 : 1, c]);
    } else if (/^[\x00-\x7f\u00c0-\u024f\s'’]+$/.test(q)) {
      const key = normalisePinyin(q);
      if (!key) return [];
      for (const c of state.byId.values()) {
        if (c.id.toLowerCase() === q.toLowerCase()) scored.push([0, c]);
        else if (c.keyList.includes(key)) scored.push([1, c]);
        else if (c.keyList.some((k) => k.startsWith(key))) scored.push([2, c]);
      }
    } else {
      for (const c of state.byId.values()) {
        if (c.short_zh === q || c.name_zh === q || c.unit === q) scored.push([0, c]);
        else if (c.short_zh.startsWith(q) || c.unit.startsWith(q)) scored.push([1, c]);
        else if (c.name_zh.includes(q) || c.unit.includes(q)) scored.push([2, c]);
      }
    }
    scored.sort((a, b) => a[0] - b[0] || order.indexOf(a[1].level) - order.indexOf(b[1].level) ||
      (a[1].id < b[1].id ? -1 : 1));
    return scored.slice(0, 30).map((s) => s[1]);
  }

  function showResults(found) {
    const list = $("results");
    list.replaceChildren();
    list.hidden = found.length === 0;
    found.forEach((c, i) => {
      const path = chainOf(c.id).slice(1, -1).reverse().map((x) => x.short_zh).join(" › ");
      const li = el("li", { role: "option", "data-id": c.id, class: i === 0 ? "active" : "" },
        document.createTextNode(c.short_zh), el("span", { class: "code", text: c.id }),
        el("span", { class: "path", text: path || LEVEL_NAMES[c.level] }));
      li.addEventListener("click", () => pick(c.id));
      list.append(li);
    });
  }

  function pick(id) {
    $("results").hidden = true;
    $("search").value = state.byId.get(id).short_zh;
    jumpTo(id);
  }

  // -- exports of the view ----------------------------------------------------------------------------------
  function viewParams() {
    const params = new URLSearchParams({ root: "central", depth: "0", lang: state.lang });
    if (state.expanded.size) params.set("expand", [...state.expanded].join(","));
    params.set("edges", [...state.kinds].join(","));
    return params;
  }

  function updateExportLink() {
    const params = viewParams();
    params.set("format", $("format").value);
    $("export-link").href = `/api/v1/export?${params.toString()}`;
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function pngBlob() {
    // Natural size, at most 3000 px a side (Cytoscape.js draws an empty image when ``scale`` is combined with a
    // ``maxWidth`` the scaled view exceeds).
    const uri = cy.png({ output: "base64uri", full: true, bg: "#ffffff", maxWidth: 3000, maxHeight: 3000 });
    const data = atob(uri.slice(uri.indexOf(",") + 1));
    if (!data.length) throw new Error("the browser could not draw the view as PNG");
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i += 1) bytes[i] = data.charCodeAt(i);
    return new Blob([bytes], { type: "image/png" });
  }

  function escapeXml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function svgText() {
    const nodes = cy.nodes().filter((n) => n.visible());
    const edges = cy.edges().filter((e) => e.visible());
    const bb = nodes.boundingBox();
    const pad = 20;
    const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${bb.x1 - pad} ${bb.y1 - pad} ${bb.w + 2 * pad} ` +
      `${bb.h + 2 * pad}" width="${Math.round(bb.w + 2 * pad)}" height="${Math.round(bb.h + 2 * pad)}" ` +
      `font-family="Noto Sans CJK SC, sans-serif">`,
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" " +
      "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>",
      `<rect x="${bb.x1 - pad}" y="${bb.y1 - pad}" width="${bb.w + 2 * pad}" height="${bb.h + 2 * pad}" fill="#fff"/>`];
    edges.forEach((e) => {
      const s = e.sourceEndpoint(), t = e.targetEndpoint();
      const dash = { reporting: "6 4", leadership: "2 3", departmental: "6 4" }[e.data("kind")] || "";
      out.push(`<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}" ` +
        `stroke="${EDGE_COLOURS[e.data("kind")]}" stroke-width="1.2"${dash ? ` stroke-dasharray="${dash}"` : ""} ` +
        `marker-end="url(#arrow)"><title>${escapeXml(e.data("label"))}</title></line>`);
    });
    nodes.forEach((n) => {
      const b = n.boundingBox({ includeLabels: false });
      const fill = n.style("background-color"), stroke = n.style("border-color");
      const text = n.style("color");
      out.push(`<g><title>${escapeXml(n.data("name"))}</title><rect x="${b.x1.toFixed(1)}" y="${b.y1.toFixed(1)}" ` +
        `width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="5" fill="${fill}" stroke="${stroke}"/>` +
        `<text x="${n.position("x").toFixed(1)}" y="${n.position("y").toFixed(1)}" text-anchor="middle" ` +
        `dominant-baseline="central" font-size="${parseFloat(n.style("font-size"))}" fill="${text}">` +
        `${escapeXml(label({ short_zh: n.data("short_zh"), short_en: n.data("short_en") }))}</text></g>`);
    });
    out.push("</svg>");
    return out.join("\n");
  }

  // -- page ----------------------------------------------------------------------------------------------------
  function status(text) { $("status").textContent = text; }

  function styleSheet() {
    const colours = state.index.colours;
    const sheet = [
      { selector: "node", style: {
        "label": `data(short_${state.lang})`, "font-size": 12, "text-valign": "center", "text-halign": "center",
        "width": `data(w_${state.lang})`, "height": "data(h)", "shape": "round-rectangle", "border-width": 1,
        "min-zoomed-font-size": 7, "text-wrap": "none", "color": "#fff" } },
      { selector: "node.kind-office", style: { "shape": "rectangle", "background-color": "#f8f9f9", "border-color": "#7f8c8d",
        "color": "#1b2631", "font-size": 9 } },
      { selector: "node.kind-party-committee", style: { "shape": "round-rectangle", "background-color": "#fdedec",
        "border-color": "#c0392b", "color": "#641e16", "font-size": 9 } },
      { selector: "node.kind-unit", style: { "shape": "rhomboid", "background-color": "#f5eef8", "border-color": "#8e44ad",
        "color": "#4a235a", "font-size": 9 } },
      { selector: "node.expandable", style: { "border-width": 3, "border-style": "double", "border-color": "#1b2631" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f1c40f", "border-style": "solid" } },
      { selector: "edge", style: { "width": 1.2, "curve-style": "haystack", "haystack-radius": 0,
        "line-color": "#34495e" } },
      // Arrows where the direction is not plain from the layout; haystack lines (no arrow) draw fastest.
      { selector: "edge.guidance, edge.departmental", style: { "curve-style": "straight",
        "target-arrow-shape": "triangle", "arrow-scale": 0.7 } },
      { selector: ".off", style: { "display": "none" } },
    ];
    for (const [level, colour] of Object.entries(colours)) {
      sheet.splice(1, 0, { selector: `node.level-${level}.kind-committee, node.level-${level}.kind-departmental`,
        style: { "background-color": colour, "border-color": colour } });
    }
    for (const [kind, colour] of Object.entries(EDGE_COLOURS)) {
      const line = { reporting: "dashed", leadership: "dotted", departmental: "dashed" }[kind] || "solid";
      sheet.splice(sheet.length - 1, 0, { selector: `edge.${kind}`, style: { "line-color": colour,
        "target-arrow-color": colour, "line-style": line, "width": kind === "guidance" ? 2 : 1 } });
    }
    return sheet;
  }

  function controls() {
    const box = $("edge-kinds");
    for (const kind of state.index.edge_kinds) {
      const input = el("input", { type: "checkbox", id: `kind-${kind}`, value: kind });
      input.checked = true;
      input.addEventListener("change", () => {
        if (input.checked) state.kinds.add(kind); else state.kinds.delete(kind);
        applyKinds(cy.elements());
        updateExportLink();
      });
      box.append(el("label", { for: `kind-${kind}` }, input,
        el("span", { class: "swatch", style: `background:${EDGE_COLOURS[kind]}` }),
        document.createTextNode(EDGE_NAMES[kind].split(" ")[0])));
    }
    const legend = $("legend");
    for (const [level, colour] of Object.entries(state.index.colours)) {
      legend.append(el("span", {}, el("i", { style: `background:${colour}` }), document.createTextNode(LEVEL_NAMES[level])));
    }
    for (const f of state.index.formats) $("format").append(el("option", { value: f.name, text: f.name, title: f.description }));
    $("format").addEventListener("change", updateExportLink);
    $("lang").addEventListener("change", () => {
      state.lang = $("lang").value;
      cy.style(styleSheet());
      updateExportLink();
    });
    $("export-png").addEventListener("click", () => download(pngBlob(), "baomi-kg-view.png"));
    $("export-svg").addEventListener("click", () =>
      download(new Blob([svgText()], { type: "image/svg+xml" }), "baomi-kg-view.svg"));
    $("reset").addEventListener("click", reset);
    $("whole").addEventListener("click", () => expandAll("central"));
    const input = $("search");
    input.addEventListener("input", () => showResults(search(input.value)));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        const first = $("results").querySelector("li.active") || $("results").querySelector("li");
        if (first) pick(first.getAttribute("data-id"));
      } else if (ev.key === "Escape") $("results").hidden = true;
    });
    cy.on("tap", "node", (ev) => {
      const id = ev.target.data("committee");
      cy.$(":selected").unselect();
      cy.getElementById(`committee:${id}`).select();
      showPanel(id);
      if (!state.expanded.has(id) && (state.children.get(id) || []).length) expand(id).then(updateExportLink);
    });
  }

  async function reset() {
    cy.elements().remove();
    state.expanded.clear();
    await expand("central");
    cy.fit(undefined, 30);
    updateExportLink();
    await showPanel("central");
  }

  async function init() {
    state.index = await getJSON("/viz/index.json");
    readIndex(state.index);
    state.kinds = new Set(state.index.edge_kinds);
    cy = cytoscape({
      container: $("cy"), style: styleSheet(), elements: [], minZoom: 0.01, maxZoom: 4,
      textureOnViewport: true, hideEdgesOnViewport: true, motionBlur: false, boxSelectionEnabled: false,
      autoungrabify: true,
    });
    controls();
    await reset();
    document.body.setAttribute("data-ready", "true");
  }

  window.viz = {
    state, expand, expandAll, collapse, jumpTo, search, svgText, pngBlob,
    get cy() { return cy; },
  };
  init().catch((err) => { status(`出错 Error: ${err.message}`); throw err; });
})();
