// kg view: draws the graph embedded in this page on a canvas, with search and an evidence panel.
// Written for kg, no libraries. Every string from the data reaches the page through textContent.
(() => {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const { nodes, edges, labels } = data;
  const $ = (id) => document.getElementById(id);
  const canvas = $("graph");
  const ctx = canvas.getContext("2d");

  const MIN_LABEL_RADIUS = 7; // screen pixels a node needs before its name is drawn unasked
  const LABEL_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  const ALWAYS_NAMED = 12; // the most connected nodes are named at any zoom
  const MAX_HITS_LISTED = 12;
  const LONG_TEXT = 240; // longer property values start folded

  const incident = nodes.map(() => []);
  edges.forEach((e, i) => {
    incident[e.s].push(i);
    if (e.t !== e.s) incident[e.t].push(i);
  });
  const byKey = new Map(nodes.map((n, i) => [n.key, i]));
  const searchText = nodes.map((n) => [n.name, ...n.aliases, n.key].join("\n").toLowerCase());
  // Hubs are drawn last, on top of their leaves, and win the room for a name when names would overlap.
  const drawOrder = nodes.map((_, i) => i).sort((a, b) => nodes[a].degree - nodes[b].degree || a - b);
  const labelPriority = [...drawOrder].reverse();

  const camera = { x: 0, y: 0, scale: 1 };
  let width = 0;
  let height = 0;
  let ratio = 1;
  let minScale = 0.01;
  let selected = -1;
  let hovered = -1;
  let neighbours = new Set();
  let hits = [];
  let hitSet = new Set();
  let activeHit = 0;
  let drawPending = false;
  const hiddenLabels = new Set();

  // ---- small DOM helpers: text only, never markup ----
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function dot(label) {
    const d = element("span", "dot");
    d.style.background = label.fill;
    d.style.borderColor = label.border;
    return d;
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "\u2026" : text;
  }

  // ---- geometry ----
  function visible(i) {
    return !hiddenLabels.has(nodes[i].label);
  }

  function toScreen(n) {
    return [(n.x - camera.x) * camera.scale + width / 2, (n.y - camera.y) * camera.scale + height / 2];
  }

  function toWorld(sx, sy) {
    return [(sx - width / 2) / camera.scale + camera.x, (sy - height / 2) / camera.scale + camera.y];
  }

  function nodeAt(sx, sy) {
    const [wx, wy] = toWorld(sx, sy);
    const slack = 3 / camera.scale;
    for (const i of labelPriority) {
      const n = nodes[i];
      if (!visible(i)) continue;
      const dx = n.x - wx;
      const dy = n.y - wy;
      if (dx * dx + dy * dy <= (n.r + slack) * (n.r + slack)) return i;
    }
    return -1;
  }

  function fit() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach((n, i) => {
      if (!visible(i)) return;
      x0 = Math.min(x0, n.x - n.r);
      y0 = Math.min(y0, n.y - n.r);
      x1 = Math.max(x1, n.x + n.r);
      y1 = Math.max(y1, n.y + n.r);
    });
    if (x0 === Infinity) return;
    camera.x = (x0 + x1) / 2;
    camera.y = (y0 + y1) / 2;
    camera.scale = Math.min(4, 0.92 * Math.min(width / Math.max(x1 - x0, 1), height / Math.max(y1 - y0, 1)));
    minScale = camera.scale / 4;
    redraw();
  }

  function zoomAt(sx, sy, factor) {
    const [wx, wy] = toWorld(sx, sy);
    camera.scale = Math.max(minScale, Math.min(12, camera.scale * factor));
    camera.x = wx - (sx - width / 2) / camera.scale;
    camera.y = wy - (sy - height / 2) / camera.scale;
    redraw();
  }

  function centreOn(i) {
    camera.x = nodes[i].x;
    camera.y = nodes[i].y;
    camera.scale = Math.max(camera.scale, 1.2);
    redraw();
  }

  // ---- drawing ----
  function redraw() {
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(draw);
    }
  }

  function resize() {
    ratio = window.devicePixelRatio || 1;
    width = canvas.clientWidth;
    height = canvas.clientHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    redraw();
  }

  function dimmed(i) {
    return selected >= 0 && i !== selected && !neighbours.has(i);
  }

  function draw() {
    drawPending = false;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    const s = camera.scale;
    ctx.setTransform(ratio * s, 0, 0, ratio * s, ratio * (width / 2 - camera.x * s), ratio * (height / 2 - camera.y * s));

    ctx.lineWidth = 1 / s;
    ctx.strokeStyle = selected >= 0 ? "rgba(120, 126, 140, 0.12)" : "rgba(120, 126, 140, 0.45)";
    ctx.beginPath();
    for (const e of edges) {
      if (!visible(e.s) || !visible(e.t) || e.s === selected || e.t === selected) continue;
      ctx.moveTo(nodes[e.s].x, nodes[e.s].y);
      ctx.lineTo(nodes[e.t].x, nodes[e.t].y);
    }
    ctx.stroke();
    if (selected >= 0) {
      ctx.strokeStyle = "#3b4049";
      ctx.fillStyle = "#3b4049";
      ctx.lineWidth = 1.5 / s;
      for (const k of incident[selected]) {
        const e = edges[k];
        if (visible(e.s) && visible(e.t)) arrow(nodes[e.s], nodes[e.t], s);
      }
    }

    for (const i of drawOrder) {
      if (!visible(i)) continue;
      const n = nodes[i];
      const label = labels[n.label];
      ctx.globalAlpha = dimmed(i) ? 0.2 : 1;
      ctx.beginPath();
      ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI);
      ctx.fillStyle = label.fill;
      ctx.fill();
      ctx.lineWidth = 1.5 / s;
      ctx.strokeStyle = label.border;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    for (const i of hitSet) ring(i, "#1a5fb4", 3, s);
    if (hovered >= 0) ring(hovered, "#22252b", 2, s);
    if (selected >= 0) ring(selected, "#22252b", 3, s);

    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawNames();
  }

  function arrow(from, to, s) {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const ux = dx / length;
    const uy = dy / length;
    const tipX = to.x - ux * (to.r + 1 / s);
    const tipY = to.y - uy * (to.r + 1 / s);
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(tipX, tipY);
    ctx.stroke();
    const head = 7 / s;
    ctx.beginPath();
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - ux * head - uy * head * 0.5, tipY - uy * head + ux * head * 0.5);
    ctx.lineTo(tipX - ux * head + uy * head * 0.5, tipY - uy * head - ux * head * 0.5);
    ctx.closePath();
    ctx.fill();
  }

  function ring(i, colour, pixels, s) {
    if (!visible(i)) return;
    const n = nodes[i];
    ctx.beginPath();
    ctx.arc(n.x, n.y, n.r + (pixels + 1) / s, 0, 2 * Math.PI);
    ctx.lineWidth = pixels / s;
    ctx.strokeStyle = colour;
    ctx.stroke();
  }

  // Names of the selected node, its neighbours, search hits and nodes big enough on screen;
  // a name that would overlap one already drawn is left out.
  function drawNames() {
    ctx.font = LABEL_FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    const wanted = [];
    if (selected >= 0) wanted.push(selected);
    if (hovered >= 0) wanted.push(hovered);
    wanted.push(...hits.slice(0, 50), ...neighbours);
    labelPriority.forEach((i, rank) => {
      if ((rank < ALWAYS_NAMED || nodes[i].r * camera.scale >= MIN_LABEL_RADIUS) && !dimmed(i)) wanted.push(i);
    });
    const taken = [];
    const done = new Set();
    for (const i of wanted) {
      if (done.has(i) || !visible(i)) continue;
      done.add(i);
      const n = nodes[i];
      const [x, y] = toScreen(n);
      const top = y + n.r * camera.scale + 2;
      if (x < -200 || x > width + 200 || top < -20 || top > height + 20) continue;
      const text = shorten(n.name, 48);
      const w = ctx.measureText(text).width;
      const box = [x - w / 2 - 2, top, x + w / 2 + 2, top + 15];
      const forced = i === selected || i === hovered;
      if (!forced && taken.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      taken.push(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.strokeText(text, x, top);
      ctx.fillStyle = "#22252b";
      ctx.fillText(text, x, top);
      if (taken.length > 400) break;
    }
  }

  // ---- selection and the side panel ----
  function select(i, centre) {
    if (i < 0) {
      clearSelection();
      return;
    }
    hiddenLabels.delete(nodes[i].label);
    renderLegend();
    selected = i;
    neighbours = new Set(incident[i].map((k) => (edges[k].s === i ? edges[k].t : edges[k].s)));
    neighbours.delete(i);
    showPanel(i);
    resize(); // the panel takes room from the drawing
    if (centre) centreOn(i);
    try {
      history.replaceState(null, "", "#" + encodeURIComponent(nodes[i].key));
    } catch (_) {
      // some browsers refuse history changes on file: pages; the hash is only a convenience
    }
    redraw();
  }

  function clearSelection() {
    selected = -1;
    neighbours = new Set();
    $("panel").hidden = true;
    resize();
  }

  function formatValue(name, value) {
    if (Array.isArray(value)) {
      if (value.length > 3 && value.some((v) => String(v).length > 40)) {
        const list = element("ul");
        for (const v of value) list.appendChild(element("li", "", v));
        return list;
      }
      return document.createTextNode(value.join(", "));
    }
    const text = String(value);
    if (name === "url" && /^https?:\/\//i.test(text)) {
      const link = element("a", "", text);
      link.href = text;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }
    if (text.length > LONG_TEXT) {
      const details = element("details");
      details.appendChild(element("summary", "", shorten(text, 120)));
      details.appendChild(element("div", "", text));
      return details;
    }
    return document.createTextNode(text);
  }

  function showPanel(i) {
    const n = nodes[i];
    const label = labels[n.label];
    $("panel").hidden = false;
    const chip = $("panel-label");
    chip.textContent = label.name;
    chip.style.background = label.fill;
    chip.style.color = label.text;
    $("panel-name").textContent = n.name;
    $("panel-key").textContent = n.key;
    const table = $("panel-props");
    table.replaceChildren();
    for (const [name, value] of n.props) {
      const row = table.insertRow();
      row.appendChild(element("th", "", name));
      const cell = row.insertCell();
      cell.appendChild(formatValue(name, value));
    }
    $("panel-rels-title").textContent = `Relationships (${incident[i].length})`;
    const groups = new Map();
    for (const k of incident[i]) {
      const e = edges[k];
      const heading = e.s === i ? `\u2192 ${e.type}` : `\u2190 ${e.type}`;
      if (!groups.has(heading)) groups.set(heading, []);
      groups.get(heading).push(k);
    }
    const box = $("panel-rels");
    box.replaceChildren();
    for (const heading of [...groups.keys()].sort()) {
      const group = element("section", "rel-group");
      const ks = groups.get(heading);
      group.appendChild(element("h4", "", `${heading} (${ks.length})`));
      const list = element("ul");
      const other = (k) => (edges[k].s === i ? edges[k].t : edges[k].s);
      ks.sort((a, b) => compareText(nodes[other(a)].name, nodes[other(b)].name) || a - b);
      for (const k of ks) list.appendChild(relationshipItem(edges[k], other(k)));
      group.appendChild(list);
      box.appendChild(group);
    }
    $("panel").scrollTop = 0;
  }

  function relationshipItem(e, otherIndex) {
    const item = element("li", "rel");
    const other = nodes[otherIndex];
    const button = element("button", "other");
    button.type = "button";
    button.title = other.key;
    button.appendChild(dot(labels[other.label]));
    button.appendChild(element("span", "", shorten(other.name, 160)));
    button.addEventListener("click", () => select(otherIndex, true));
    item.appendChild(button);
    if (e.evidence) {
      const [before, span, after] = e.evidence;
      const quote = element("blockquote", "evidence");
      quote.appendChild(document.createTextNode(before));
      if (span) quote.appendChild(element("mark", "", span));
      quote.appendChild(document.createTextNode(after));
      item.appendChild(quote);
    }
    if (e.props.length) {
      const meta = e.props.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`).join(" \u00b7 ");
      item.appendChild(element("div", "meta", meta));
    }
    return item;
  }

  function compareText(a, b) {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // ---- search ----
  function search(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const scored = [];
    nodes.forEach((n, i) => {
      const name = n.name.toLowerCase();
      let rank;
      if (name === q || n.key.toLowerCase() === q) rank = 0;
      else if (n.aliases.some((a) => a.toLowerCase() === q)) rank = 1;
      else if (name.startsWith(q)) rank = 2;
      else if (searchText[i].includes(q)) rank = 3;
      else return;
      scored.push([rank, i]);
    });
    scored.sort((a, b) => a[0] - b[0] || nodes[b[1]].degree - nodes[a[1]].degree || compareText(nodes[a[1]].name, nodes[b[1]].name));
    return scored.map(([, i]) => i);
  }

  function showHits() {
    const list = $("hits");
    list.replaceChildren();
    if (!$("search").value.trim()) {
      list.hidden = true;
      return;
    }
    hits.slice(0, MAX_HITS_LISTED).forEach((i, position) => {
      const n = nodes[i];
      const item = element("li", position === activeHit ? "active" : "");
      item.setAttribute("role", "option");
      item.appendChild(dot(labels[n.label]));
      item.appendChild(element("span", "name", n.name));
      item.appendChild(element("span", "kind", labels[n.label].name));
      item.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus in the box
        choose(i);
      });
      list.appendChild(item);
    });
    const rest = hits.length - MAX_HITS_LISTED;
    if (hits.length === 0) list.appendChild(element("li", "more", "no match"));
    else if (rest > 0) list.appendChild(element("li", "more", `\u2026 and ${rest} more, ringed in the drawing`));
    list.hidden = false;
  }

  function choose(i) {
    $("hits").hidden = true;
    select(i, true);
  }

  $("search").addEventListener("input", (event) => {
    hits = search(event.target.value);
    hitSet = new Set(hits);
    activeHit = 0;
    showHits();
    redraw();
  });
  $("search").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && hits.length) {
      choose(hits[Math.min(activeHit, hits.length - 1)]);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const shown = Math.min(hits.length, MAX_HITS_LISTED);
      if (shown) activeHit = (activeHit + (event.key === "ArrowDown" ? 1 : shown - 1)) % shown;
      showHits();
    } else if (event.key === "Escape") {
      event.target.value = "";
      hits = [];
      hitSet = new Set();
      showHits();
      redraw();
    }
  });
  $("search").addEventListener("blur", () => {
    $("hits").hidden = true;
  });
  $("search").addEventListener("focus", () => {
    if (hits.length) showHits();
  });

  // ---- legend ----
  function renderLegend() {
    const legend = $("legend");
    legend.replaceChildren();
    labels.forEach((label, index) => {
      const item = element("li", hiddenLabels.has(index) ? "off" : "");
      item.title = hiddenLabels.has(index) ? "Show" : "Hide";
      item.appendChild(dot(label));
      item.appendChild(element("span", "", label.name));
      item.appendChild(element("span", "count", label.count));
      item.addEventListener("click", () => {
        if (hiddenLabels.has(index)) hiddenLabels.delete(index);
        else hiddenLabels.add(index);
        if (selected >= 0 && hiddenLabels.has(nodes[selected].label)) clearSelection();
        renderLegend();
        redraw();
      });
      legend.appendChild(item);
    });
  }

  // ---- pointer and keyboard ----
  let drag = null;
  canvas.addEventListener("pointerdown", (event) => {
    drag = { x: event.offsetX, y: event.offsetY, cx: camera.x, cy: camera.y, moved: false };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (drag) {
      const dx = event.offsetX - drag.x;
      const dy = event.offsetY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      canvas.classList.add("dragging");
      camera.x = drag.cx - dx / camera.scale;
      camera.y = drag.cy - dy / camera.scale;
      redraw();
      return;
    }
    hover(nodeAt(event.offsetX, event.offsetY), event.offsetX, event.offsetY);
  });
  canvas.addEventListener("pointerup", (event) => {
    if (drag && !drag.moved) select(nodeAt(event.offsetX, event.offsetY), false);
    drag = null;
    canvas.classList.remove("dragging");
  });
  canvas.addEventListener("pointerleave", () => hover(-1, 0, 0));
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    zoomAt(event.offsetX, event.offsetY, Math.exp(-event.deltaY * 0.0015));
  }, { passive: false });

  function hover(i, sx, sy) {
    const tip = $("tooltip");
    canvas.classList.toggle("over-node", i >= 0);
    if (i !== hovered) {
      hovered = i;
      redraw();
    }
    if (i < 0) {
      tip.hidden = true;
      return;
    }
    const n = nodes[i];
    tip.textContent = `${shorten(n.name, 200)} \u00b7 ${labels[n.label].name} \u00b7 ${n.degree} links`;
    tip.hidden = false;
    tip.style.left = `${Math.min(sx + 14, width - tip.offsetWidth - 4)}px`;
    tip.style.top = `${Math.min(sy + 14, height - tip.offsetHeight - 4)}px`;
  }

  $("zoom-in").addEventListener("click", () => zoomAt(width / 2, height / 2, 1.5));
  $("zoom-out").addEventListener("click", () => zoomAt(width / 2, height / 2, 1 / 1.5));
  $("zoom-fit").addEventListener("click", fit);
  $("panel-close").addEventListener("click", clearSelection);
  document.addEventListener("keydown", (event) => {
    if (event.target === $("search")) return;
    if (event.key === "Escape") clearSelection();
    else if (event.key === "/") {
      event.preventDefault();
      $("search").focus();
    }
  });
  window.addEventListener("resize", resize);

  // ---- header, notice, start ----
  function describe() {
    $("title").textContent = `kg view \u00b7 ${data.title}`;
    $("counts").textContent = `${nodes.length} nodes \u00b7 ${edges.length} relationships`;
    const notes = [];
    if (data.centres.length) {
      const names = data.centres.map((i) => `${nodes[i].name} (${labels[nodes[i].label].name})`).join(", ");
      notes.push(`Around ${names}, ${data.depth} ${data.depth === 1 ? "step" : "steps"} out.`);
    }
    const leftOut = Object.entries(data.leftOut);
    if (leftOut.length) {
      const total = leftOut.reduce((sum, [, count]) => sum + count, 0);
      const parts = leftOut.map(([label, count]) => `${label} ${count}`).join(", ");
      notes.push(
        `Showing ${nodes.length} of ${data.candidates} nodes: left out the ${total} least connected (${parts}) ` +
        `and ${data.leftOutEdges} relationships; kg view --max-nodes draws more.`
      );
    }
    if (notes.length) {
      $("notice").textContent = notes.join(" ");
      $("notice").hidden = false;
    }
  }

  describe();
  renderLegend();
  let fromHash;
  try {
    fromHash = byKey.get(decodeURIComponent(location.hash.slice(1)));
  } catch (_) {
    fromHash = undefined; // a malformed hash selects nothing
  }
  const first = fromHash !== undefined ? fromHash : data.centres.length === 1 ? data.centres[0] : -1;
  if (first >= 0) select(first, false); // opens the panel first, so the drawing fits beside it
  resize();
  fit();
  if (fromHash !== undefined) centreOn(fromHash);

  // A small read-only handle for scripts and tests: where a node is drawn, what is selected.
  window.kgView = {
    screenPosition: (key) => (byKey.has(key) ? toScreen(nodes[byKey.get(key)]) : null),
    selected: () => (selected >= 0 ? nodes[selected].key : null),
    select: (key) => select(byKey.has(key) ? byKey.get(key) : -1, true),
  };
  requestAnimationFrame(() => {
    document.documentElement.dataset.ready = "true";
  });
})();
