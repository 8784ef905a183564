/* baomi-kg viewer: browse the committee system with Cytoscape.js (vendored, see /viz/vendor/cytoscape/LICENSE).
 *
 * The page loads /viz/index.json once (every committee with its guiding committee and search keys, and what it
 * draws with: the names of levels and edge kinds, the palette, the rules of the tree layout, the export formats),
 * then the parts of the graph it shows from /api/v1/export?format=cytoscape.  The date control redraws the tree as
 * it stood at the end of a past day: the index, the exports and the answers of the panel are then asked with
 * ``as_of`` (the page's own address keeps it, ``/viz?as_of=2009-12-31``).  Positions come from a compact tree
 * layout computed here by the server's rules (leaf subordinates in a grid under their committee) with the sizes
 * of the labels as this browser draws them, so expanding any part stays fast.  Every
 * committee takes a cell: its box with its Party committee and office side by side under it (a departmental body's
 * unit below those), sized from the labels of the language shown; a grid is never wider than the screen at the
 * zoom where every label is readable, which is the zoom the page opens at. */
"use strict";

(function () {
  const STABLE_FROM = 1200;
  // Gaps (model px) between boxes of a cell, between cells of a grid, and below a committee for its edges' fan.
  const GAP = 6, HGAP = 24, VGAP = 30, FAN = 80;
  const FONT = { committee: 12, satellite: 10 }, WRAP = { committee: 150, satellite: 112 }, LINE = 1.2;
  const FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  // At zoom 1 the smallest label (an office's) is drawn at 10 px: the page opens no smaller than this.
  const READABLE_ZOOM = 1, FIRST_ZOOM_MAX = 1.4, MARGIN = 16;
  // A view of more than STABLE_FROM committees is laid out as if the whole tree were shown, so its cells cannot
  // be measured from what is loaded: these hold every cell of the whole graph (measured on it, both languages).
  const STABLE_CELL = { zh: { w: 250, h: 88 }, en: { w: 254, h: 204 } };
  // How the bodies beside a committee are drawn here (their colours are the palette's).
  const SHAPES = { office: "rectangle", "party-committee": "round-rectangle", unit: "rhomboid", bureau: "cut-rectangle" };
  const DASHES = { dashed: "6 4", dotted: "2 3" };  // a line style of the palette, in SVG
  const COMMITTEES = ".kind-committee, .kind-departmental";

  const state = {
    index: null, byId: new Map(), children: new Map(), expanded: new Set(), kinds: new Set(), lang: "zh",
    selected: null, timings: [], busy: 0, panelToken: 0, wrapWidth: 1000, results: [], chosen: false, asOf: "",
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

  // A request's query with the day the page shows, when it shows a past day.
  function withDay(params) {
    const query = new URLSearchParams(params);
    if (state.asOf) query.set("as_of", state.asOf);
    return query;
  }

  async function loadIndex() {
    state.index = await getJSON(`/viz/index.json?${withDay({}).toString()}`);
    state.asOf = state.index.as_of || "";  // a year or a month is its last day
    state.byId.clear();
    state.children.clear();
    readIndex(state.index);
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

  // -- labels -----------------------------------------------------------------------------------------------
  // Labels are measured on a canvas with the font Cytoscape.js draws them in and broken into lines here, so the
  // boxes and the layout know their real size (Cytoscape.js sizing boxes to labels itself is what makes big
  // views slow).
  const measurer = { ctx: null, font: "" };
  function measure(text, size) {
    if (!measurer.ctx) measurer.ctx = document.createElement("canvas").getContext("2d");
    const font = `${size}px ${FAMILY}`;
    if (measurer.font !== font) { measurer.ctx.font = font; measurer.font = font; }
    return measurer.ctx.measureText(text).width;
  }

  function wrapLines(text, size, width) {
    if (measure(text, size) <= width) return [text];
    const lines = [];
    let line = "";
    // Chinese breaks between any two characters, other scripts between words.
    for (const token of text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+/g) || []) {
      const next = line + token;
      if (line.trim() && measure(next.trimEnd(), size) > width) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else line = next;
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  const isCommittee = (kind) => kind === "committee" || kind === "departmental";

  // The label, box width and height of a node in ``lang`` (data fields lab_*, w_*, h_*).
  function shape(data, lang) {
    const size = isCommittee(data.kind) ? FONT.committee : FONT.satellite;
    const limit = isCommittee(data.kind) ? WRAP.committee : WRAP.satellite;
    const lines = wrapLines((lang === "en" ? data.short_en : data.short_zh) || "", size, limit);
    const width = Math.max(0, ...lines.map((l) => measure(l, size)));
    return { [`lab_${lang}`]: lines.join("\n"), [`w_${lang}`]: Math.ceil(width + size * 1.2),
      [`h_${lang}`]: Math.ceil(lines.length * size * LINE + size * 0.8) };
  }

  function label(c) { return state.lang === "en" ? c.short_en : c.short_zh; }

  // -- graph ------------------------------------------------------------------------------------------
  function exportUrl(format, params) {
    return `/api/v1/export?${withDay({ format, ...params }).toString()}`;
  }

  function addElements(elements) {
    const fresh = [];
    for (const group of ["nodes", "edges"]) {
      for (const el of elements[group]) {
        if (!cy.getElementById(el.data.id).empty()) continue;
        if (group === "nodes") Object.assign(el.data, shape(el.data, state.lang));
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
      case "bureau": return !on("administrative");
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

  // Each committee's cell: its box on top, then a row of its Party committee and office, then its unit.
  function cells() {
    const lang = state.lang;
    const around = new Map();
    cy.nodes().forEach((n) => {
      if (isCommittee(n.data("kind"))) return;
      const key = `committee:${n.data("committee")}`;
      if (!around.has(key)) around.set(key, []);
      around.get(key).push(n);
    });
    const order = { "party-committee": 0, "office": 1, "bureau": 2 };
    const out = new Map();
    cy.nodes(COMMITTEES).forEach((n) => {
      const near = around.get(n.id()) || [];
      const rows = [near.filter((m) => m.data("kind") in order)
        .sort((a, b) => order[a.data("kind")] - order[b.data("kind")]), near.filter((m) => !(m.data("kind") in order))]
        .filter((row) => row.length)
        .map((row) => ({ nodes: row, w: row.reduce((a, m) => a + m.data(`w_${lang}`), 0) + GAP * (row.length - 1),
          h: Math.max(...row.map((m) => m.data(`h_${lang}`))) }));
      const top = n.data(`h_${lang}`);
      out.set(n.id(), { node: n, top, rows, w: Math.max(n.data(`w_${lang}`), ...rows.map((r) => r.w)),
        h: top + rows.reduce((a, r) => a + GAP + r.h, 0) });
    });
    return out;
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
    const geometry = cells();
    let cellW = 0, cellH = 0;
    if (stable) ({ w: cellW, h: cellH } = STABLE_CELL[state.lang]);
    else for (const g of geometry.values()) { cellW = Math.max(cellW, g.w); cellH = Math.max(cellH, g.h); }
    const UNIT_X = cellW + HGAP, ROW_Y = cellH + VGAP, LEVEL_Y = ROW_Y + FAN;
    const pos = new Map(), sizes = new Map();
    const widthOf = (k) => (stable ? cellW : geometry.get(k).w) + HGAP;
    // The server's rules (graph/export/layout.py), with this page's cells and screen.
    const rules = state.index.layout;
    // Leaves in columns as wide as their widest cell, as many columns as fit in the screen's width.
    const grid = (leaves) => {
      let cols = leaves.length <= rules.row ? leaves.length
        : Math.max(rules.row, Math.ceil(Math.sqrt(rules.aspect * leaves.length)));
      for (;;) {
        const widths = new Array(cols).fill(0);
        leaves.forEach((k, i) => { widths[i % cols] = Math.max(widths[i % cols], widthOf(k)); });
        const w = widths.reduce((a, b) => a + b, 0);
        if (cols === 1 || w <= state.wrapWidth + HGAP) return { cols, rows: Math.ceil(leaves.length / cols), widths, w };
        cols -= 1;
      }
    };
    // Blocks to lay out in rows: subtrees, and one grid of the leaf committees.
    const items = (children) => {
      const out = children.filter((k) => kids.has(k)).map((k) => ({ key: k, ...size(k) }));
      const leaves = children.filter((k) => !kids.has(k));
      if (leaves.length) {
        const g = grid(leaves);
        out.push({ key: "", w: g.w, h: g.rows * ROW_Y, leaves, grid: g });
      }
      return out;
    };
    const pack = (list) => {
      const total = list.reduce((a, i) => a + i.w, 0);
      if (total <= rules.wrap) return [list];
      const target = Math.max(Math.max(...list.map((i) => i.w)),
        Math.sqrt(rules.aspect * list.reduce((a, i) => a + i.w * i.h, 0)));
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
            const { cols, widths } = item.grid;
            const centres = [];
            widths.reduce((left, w) => { centres.push(left + w / 2); return left + w; }, x);
            item.leaves.forEach((k, i) => {
              pos.set(k, { x: centres[i % cols], y: y + Math.floor(i / cols) * ROW_Y });
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
    const move = (n, x, y) => {
      const now = n.position();
      if (now.x !== x || now.y !== y) n.position({ x, y });  // untouched nodes keep their cached geometry
    };
    const lang = state.lang;
    cy.batch(() => {
      for (const [key, g] of geometry) {
        const p = pos.get(key) || { x: 0, y: 0 };  // a cell's top centre
        move(g.node, p.x, p.y + g.top / 2);
        let y = p.y + g.top;
        for (const row of g.rows) {
          let x = p.x - row.w / 2;
          for (const n of row.nodes) {
            const w = n.data(`w_${lang}`);
            move(n, x + w / 2, y + GAP + row.h / 2);
            x += w + GAP;
          }
          y += GAP + row.h;
        }
      }
    });
  }

  // Pan so that ``node`` is drawn where it was (``before``, rendered coordinates) before the view changed.
  function keepInPlace(node, before) {
    if (!before || node.empty()) return;
    const after = node.renderedPosition();
    cy.panBy({ x: before.x - after.x, y: before.y - after.y });
  }

  const screenPosition = (node) => (node && node.nonempty() ? { ...node.renderedPosition() } : null);

  function rendered() {
    return new Promise((resolve) => {
      cy.one("render", () => requestAnimationFrame(() => resolve()));
      cy.forceRender();
    });
  }

  async function load(params, markAll, fit, anchor) {
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
      const anchorNode = anchor ? cy.getElementById(`committee:${anchor}`) : null;
      const before = screenPosition(anchorNode);
      layout();
      const t3 = performance.now();
      if (fit) cy.fit(cy.nodes().filter((n) => fit.has(n.data("committee"))), 30);
      else keepInPlace(anchorNode, before);
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

  // The expanded committee stays where it is drawn; its subordinates are laid out under it.
  function expand(id) {
    return load({ root: id, depth: "1" }, () => [id], null, id);
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
    const node = cy.getElementById(`committee:${id}`);
    markExpandable(node);
    const before = screenPosition(node);
    layout();
    keepInPlace(node, before);
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

  // The Linked Data page of an IRI under the base (an article, a bureau), from the index; else the IRI itself.
  function page(iri) {
    const pages = state.index.pages;
    return pages && iri.startsWith(pages.iri) ? pages.path + iri.slice(pages.iri.length) : iri;
  }

  // The secrecy bureau of the answer: its names, whether it is one body with this committee's office (the office's
  // second nameplate), and the articles and sources it rests on, each linked to its page.
  function bureauSection(answer) {
    const b = answer.bureau;
    const own = answer.office && answer.office.second_nameplate === b.name_zh;
    const basis = el("ul", { id: "panel-basis" });
    for (const iri of answer.bureau_basis || []) {
      const cited = state.index.citations[iri] || { zh: iri, en: "" };
      basis.append(el("li", {}, el("a", { href: page(iri), target: "_blank", text: cited.zh, "data-iri": iri }),
        el("span", { class: "en", text: ` ${cited.en}` })));
    }
    return [el("h3", { text: "保密局 Secrecy bureau" }),
      el("p", { id: "panel-bureau" },
        el("a", { href: page(b.iri), target: "_blank", text: b.name_zh, "data-iri": b.iri }), el("br"),
        el("span", { class: "en", text: b.name_en }), el("br"),
        el("span", { class: "hint", id: "panel-bureau-body", text: own
          ? "与办公室一个机构、两块牌子 · one body with the office (two nameplates)"
          : "所在地区的保密局 · the bureau of the region it falls under" })),
      el("h3", { text: "依据 Basis" }), basis];
  }

  // What an answer as of a past day says of that day: the region's name today, what the source leaves open, and
  // the texts of today's law it applies that were not in force then.
  function asOfSection(note) {
    const lines = el("p", { id: "panel-as-of" }, document.createTextNode(`截至 ${note.date}`));
    if (note.today) lines.append(el("br"), el("span", { class: "en", text: `today 今 ${note.today.name} ${note.today.code}` }));
    for (const said of [note.note, note.law]) if (said) lines.append(el("br"), el("span", { class: "hint", text: said }));
    return [el("h3", { text: "日期 As of" }), lines];
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
    const panel = $("panel-body");
    panel.replaceChildren();
    $("panel-peek").textContent = c ? c.name_zh : "";
    if (!c) return;
    const node = cy.getElementById(`committee:${id}`);
    const colour = state.index.palette.levels[c.level];
    panel.append(
      el("h2", { id: "panel-title", text: c.name_zh }),
      el("div", { class: "en", id: "panel-title-en", text: node.nonempty() ? node.data("name_en") : c.short_en }),
      el("p", {}, el("span", { class: "badge", style: `background:${colour}`, text: levelName(c.level) }),
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
    const rest = `/api/v1/jurisdiction?${withDay({ q }).toString()}`;
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
    if (answer && answer.bureau) panel.append(...bureauSection(answer));
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
    if (answer && answer.as_of) panel.append(...asOfSection(answer.as_of));
    if (c.level === "departmental") {
      panel.append(el("h3", { text: "单位 Unit" }), el("p", { id: "panel-unit", text: c.unit }));
    }
    const chainIds = (answer ? answer.chain : chainOf(id)).map((x) => x.id);
    panel.append(el("h3", { text: "指导链 Guiding chain" }), chainList(chainIds));
    if (state.index.duty_levels.includes(c.level)) {
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

  // Committees matching ``text``, best first, each with its score (lower is better; equal scores are equal matches).
  function ranked(text) {
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
    return scored.slice(0, 30).map(([score, c]) => ({ score, c }));
  }

  function search(text) { return ranked(text).map((r) => r.c); }

  // Several matches as good as the best (溪湖区 and two 西湖区 for "xihu"): the user chooses, the page does not.
  const ambiguous = (found) => found.length > 1 && found[1].score === found[0].score;

  function showResults(found, explain) {
    const list = $("results");
    list.replaceChildren();
    list.hidden = found.length === 0;
    state.results = found;
    state.chosen = false;
    const tie = ambiguous(found);
    list.dataset.ambiguous = tie ? "true" : "false";
    if (tie && explain) {
      const equal = found.filter((r) => r.score === found[0].score).length;
      list.append(el("li", { class: "note", role: "presentation",
        text: `${equal} 个同等匹配，请选择 · ${equal} equal matches, pick one` }));
    }
    found.forEach(({ c }, i) => {
      const path = chainOf(c.id).slice(1, -1).reverse().map((x) => x.short_zh.replace(/保密委$/, "")).join(" › ");
      const li = el("li", { role: "option", "data-id": c.id, class: i === 0 && !tie ? "active" : "" },
        document.createTextNode(c.short_zh), el("span", { class: "code", text: c.id }),
        el("span", { class: "path", text: path || levelName(c.level) }));
      li.addEventListener("click", () => pick(c.id));
      list.append(li);
    });
  }

  function moveActive(step) {
    const items = [...$("results").querySelectorAll("li[data-id]")];
    if (!items.length) return;
    const now = items.findIndex((li) => li.classList.contains("active"));
    const next = now < 0 ? (step > 0 ? 0 : items.length - 1) : (now + step + items.length) % items.length;
    items.forEach((li, i) => li.classList.toggle("active", i === next));
    items[next].scrollIntoView({ block: "nearest" });
    state.chosen = true;
  }

  function enter() {
    const active = $("results").querySelector("li.active");
    if (state.chosen && active) { pick(active.getAttribute("data-id")); return; }
    const found = ranked($("search").value);
    if (found.length && !ambiguous(found)) pick(found[0].c.id);
    else showResults(found, true);
  }

  function pick(id) {
    $("results").hidden = true;
    $("search").value = state.byId.get(id).short_zh;
    jumpTo(id);
  }

  // -- exports of the view ----------------------------------------------------------------------------------
  function viewParams() {
    const params = withDay({ root: "central", depth: "0", lang: state.lang });
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
      const style = state.index.palette.edges[e.data("kind")];
      const dash = DASHES[style.line] || "";
      out.push(`<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}" ` +
        `stroke="${style.colour}" stroke-width="1.2"${dash ? ` stroke-dasharray="${dash}"` : ""} ` +
        `marker-end="url(#arrow)"><title>${escapeXml(e.data("label"))}</title></line>`);
    });
    nodes.forEach((n) => {
      const b = n.boundingBox({ includeLabels: false });
      const fill = n.style("background-color"), stroke = n.style("border-color");
      const text = n.style("color");
      const size = parseFloat(n.style("font-size"));
      const lines = String(n.data(`lab_${state.lang}`) || label(n.data())).split("\n");
      const x = n.position("x").toFixed(1), y0 = n.position("y") - ((lines.length - 1) * size * LINE) / 2;
      const spans = lines.map((line, i) => `<tspan x="${x}" y="${(y0 + i * size * LINE).toFixed(1)}">` +
        `${escapeXml(line)}</tspan>`).join("");
      out.push(`<g><title>${escapeXml(n.data("name"))}</title><rect x="${b.x1.toFixed(1)}" y="${b.y1.toFixed(1)}" ` +
        `width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" rx="5" fill="${fill}" stroke="${stroke}"/>` +
        `<text text-anchor="middle" dominant-baseline="central" font-size="${size}" fill="${text}">${spans}</text></g>`);
    });
    out.push("</svg>");
    return out.join("\n");
  }

  // -- page ----------------------------------------------------------------------------------------------------
  function status(text) { $("status").textContent = text; }

  // Cytoscape.js styles in the server's palette: committees in their level's colour, the bodies beside them in
  // their kind's, edges in their kind's colour, line and width.
  function styleSheet() {
    const palette = state.index.palette;
    const levels = Object.entries(palette.levels).map(([level, colour]) => ({
      selector: `node.level-${level}.kind-committee, node.level-${level}.kind-departmental`,
      style: { "background-color": colour, "border-color": colour } }));
    const kinds = Object.entries(palette.nodes).map(([kind, c]) => ({ selector: `node.kind-${kind}`,
      style: { "shape": SHAPES[kind], "background-color": c.fill, "border-color": c.stroke, "color": c.text,
        "font-size": FONT.satellite } }));
    const edges = Object.entries(palette.edges).map(([kind, e]) => ({ selector: `edge.${kind}`,
      style: { "line-color": e.colour, "target-arrow-color": e.colour, "line-style": e.line, "width": e.width } }));
    return [
      { selector: "node", style: {
        "label": `data(lab_${state.lang})`, "font-size": FONT.committee, "font-family": FAMILY,
        "text-valign": "center", "text-halign": "center", "text-wrap": "wrap", "text-max-width": 1000,
        "line-height": LINE, "width": `data(w_${state.lang})`, "height": `data(h_${state.lang})`,
        "shape": "round-rectangle", "border-width": 1, "min-zoomed-font-size": 8, "color": "#fff" } },
      ...levels,
      ...kinds,
      { selector: "node.expandable", style: { "border-width": 3, "border-style": "double", "border-color": "#1b2631" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#f1c40f", "border-style": "solid" } },
      { selector: "edge", style: { "width": 1.2, "curve-style": "haystack", "haystack-radius": 0,
        "line-color": palette.edges.guidance.colour } },
      // Arrows where the direction is not plain from the layout; haystack lines (no arrow) draw fastest.
      { selector: "edge.guidance, edge.departmental", style: { "curve-style": "straight",
        "target-arrow-shape": "triangle", "arrow-scale": 0.7 } },
      ...edges,
      { selector: ".off", style: { "display": "none" } },
    ];
  }

  // A level's name, or an edge kind's, from the server: 省级 provincial.
  const levelName = (level) => `${state.index.labels.levels[level].zh} ${state.index.labels.levels[level].en}`;

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
        el("span", { class: "swatch", style: `background:${state.index.palette.edges[kind].colour}` }),
        document.createTextNode(state.index.labels.edges[kind].zh)));
    }
    const legend = $("legend");
    for (const [level, colour] of Object.entries(state.index.palette.levels)) {
      const { zh, en } = state.index.labels.levels[level];
      legend.append(el("span", {}, el("i", { style: `background:${colour}` }), document.createTextNode(zh),
        el("span", { class: "en-name", text: ` ${en}` })));
    }
    for (const f of state.index.formats) $("format").append(el("option", { value: f.name, text: f.name, title: f.description }));
    $("format").addEventListener("change", updateExportLink);
    $("lang").addEventListener("change", () => setLang($("lang").value));
    $("export-png").addEventListener("click", () => download(pngBlob(), "baomi-kg-view.png"));
    $("export-svg").addEventListener("click", () =>
      download(new Blob([svgText()], { type: "image/svg+xml" }), "baomi-kg-view.svg"));
    $("reset").addEventListener("click", reset);
    $("as-of").max = new Date().toISOString().slice(0, 10);
    $("as-of").value = state.asOf;
    $("as-of").addEventListener("change", () => setDay($("as-of").value));
    $("today").addEventListener("click", () => setDay(""));
    $("whole").addEventListener("click", () => expandAll("central"));
    $("fit").addEventListener("click", () => cy.fit(cy.nodes(":visible"), MARGIN));
    toggle("tools-toggle", "tools-open");
    toggle("panel-toggle", "panel-open");
    const input = $("search");
    input.addEventListener("input", () => showResults(ranked(input.value), false));
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { ev.preventDefault(); enter(); }
      else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        moveActive(ev.key === "ArrowDown" ? 1 : -1);
      } else if (ev.key === "Escape") $("results").hidden = true;
    });
    document.addEventListener("click", (ev) => {
      if (!$("search-box").contains(ev.target)) $("results").hidden = true;
    });
    // The graph's box changes when the tools fold out or the window turns: Cytoscape.js follows only the window.
    new ResizeObserver(() => cy.resize()).observe($("cy"));
    cy.on("tap", "node", (ev) => {
      const id = ev.target.data("committee");
      cy.$(":selected").unselect();
      cy.getElementById(`committee:${id}`).select();
      showPanel(id);
      if (!state.expanded.has(id) && (state.children.get(id) || []).length) expand(id).then(updateExportLink);
    });
  }

  // A button that opens and closes a part of the page (the tools, the details sheet) on a narrow screen.
  function toggle(button, open) {
    const b = $(button), closed = b.textContent;
    b.addEventListener("click", () => {
      const on = document.body.classList.toggle(open);
      b.setAttribute("aria-expanded", String(on));
      b.textContent = on && b.dataset.close ? b.dataset.close : closed;
    });
  }

  // Labels of the other language take another room: the view is laid out again, the picked committee kept in place.
  async function setLang(lang) {
    state.lang = lang;
    const anchor = cy.getElementById(`committee:${state.selected || "central"}`);
    const before = screenPosition(anchor);
    cy.batch(() => {
      cy.nodes().forEach((n) => { if (n.data(`lab_${lang}`) === undefined) n.data(shape(n.data(), lang)); });
    });
    cy.style(styleSheet());
    layout();
    keepInPlace(anchor, before);
    updateExportLink();
    await rendered();
  }

  // The first view: the whole of it if its labels are readable so, else the top of it at the readable zoom (the
  // layout keeps it no wider than the screen), to be scrolled down like a page.
  function firstView() {
    const nodes = cy.nodes(":visible");
    cy.fit(nodes, MARGIN);
    if (cy.zoom() < READABLE_ZOOM) {
      const bb = nodes.boundingBox();
      cy.zoom(READABLE_ZOOM);
      cy.pan({ x: cy.width() / 2 - ((bb.x1 + bb.x2) / 2) * READABLE_ZOOM, y: MARGIN - bb.y1 * READABLE_ZOOM });
    } else if (cy.zoom() > FIRST_ZOOM_MAX) {
      cy.zoom(FIRST_ZOOM_MAX);
      cy.center(nodes);
    }
  }

  async function reset() {
    $("search").value = "";
    $("results").hidden = true;
    cy.elements().remove();
    state.expanded.clear();
    state.wrapWidth = Math.max(200, cy.width() / READABLE_ZOOM - 2 * MARGIN);
    await expand("central");
    firstView();
    updateExportLink();
    await showPanel("central");
  }

  // The tree as it stood at the end of ``day`` (YYYY-MM-DD; "" for today): the index of that day, then a fresh view.
  async function setDay(day) {
    if (day === state.asOf) return;
    const before = state.asOf;
    state.asOf = day;
    state.busy += 1;  // the whole switch counts as one load for whoever waits for the page to settle
    try {
      try {
        await loadIndex();
      } catch (err) {
        state.asOf = before;
        $("as-of").value = before;
        status(`出错 Error: ${err.message}`);
        return;
      }
      $("as-of").value = state.asOf;
      const address = new URL(window.location.href);
      if (state.asOf) address.searchParams.set("as_of", state.asOf); else address.searchParams.delete("as_of");
      window.history.replaceState(null, "", address);
      document.body.toggleAttribute("data-past", Boolean(state.asOf));
      await reset();
    } finally {
      state.busy -= 1;
    }
  }

  async function init() {
    state.asOf = new URLSearchParams(window.location.search).get("as_of") || "";
    await loadIndex();
    document.body.toggleAttribute("data-past", Boolean(state.asOf));
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
    state, expand, expandAll, collapse, jumpTo, search, ranked, setLang, setDay, svgText, pngBlob,
    get cy() { return cy; },
  };
  init().catch((err) => { status(`出错 Error: ${err.message}`); throw err; });
})();
