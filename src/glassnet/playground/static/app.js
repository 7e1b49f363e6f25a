// glassnet playground: the page. It draws what the server's live channel sends; all the
// training and every number are the glassnet library's, computed on the server.
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const PALETTE = ["#e4572e", "#2e86ab", "#76b041", "#ffc914", "#9b5de5",
                 "#f15bb5", "#00bbf9", "#00a896", "#8d6e63", "#607d8b"];
const $ = (id) => document.getElementById(id);
let data = null, frame = null, drawn = true, times = [], angle = 0;

function api(path, body, raw) {
  const opts = { method: "POST", headers: { "X-Glassnet-Token": token } };
  if (raw) { opts.body = raw; } else {
    opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body || {});
  }
  return fetch(path, opts).then((r) => r.json()).then((out) => {
    if (out.error) { say(out.error); } else { say(""); }
    return out;
  }, (err) => { say("the server did not answer: " + err); return { error: String(err) }; });
}

function say(text) {
  $("message").textContent = text;
  $("message").classList.toggle("shown", Boolean(text));
}

function rgb(hex) { return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); }
function bytes(b64) { return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)); }
function mix(a, b, t) { return a.map((v, i) => Math.round(v + (b[i] - v) * t)); }
const ORANGE = rgb("#e4572e"), WHITE = [255, 255, 255], BLUE = rgb("#2e86ab");
function diverging(t) { return t < 0.5 ? mix(ORANGE, WHITE, 2 * t) : mix(WHITE, BLUE, 2 * t - 1); }

function paint(canvas, n, colour) {  // an n x n map, colour(index) -> [r, g, b]
  const small = document.createElement("canvas"); small.width = small.height = n;
  const ctx = small.getContext("2d"), img = ctx.createImageData(n, n);
  for (let k = 0; k < n * n; k++) {
    const c = colour(k); img.data.set([c[0], c[1], c[2], 255], 4 * k);
  }
  ctx.putImageData(img, 0, 0);
  const out = canvas.getContext("2d"); out.imageSmoothingEnabled = true;
  out.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function toPixel(canvas, p) {
  const [x0, x1, y0, y1] = data.extent;
  return [(p[0] - x0) / (x1 - x0) * canvas.width, (y1 - p[1]) / (y1 - y0) * canvas.height];
}

function drawBoundary() {
  const canvas = $("boundary"), cls = bytes(frame.boundary.cls);
  const conf = bytes(frame.boundary.confidence), n = Math.round(Math.sqrt(cls.length));
  paint(canvas, n, (k) => mix(WHITE, rgb(PALETTE[cls[k] % 10]), 0.15 + 0.5 * conf[k] / 255));
  const ctx = canvas.getContext("2d");
  data.points.forEach((p, i) => {
    const [x, y] = toPixel(canvas, p), c = PALETTE[data.labels[i] % 10];
    ctx.beginPath(); ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
    if (data.validation[i]) { ctx.strokeStyle = c; ctx.lineWidth = 2; ctx.stroke(); }
    else { ctx.fillStyle = c; ctx.fill(); ctx.strokeStyle = "#222"; ctx.lineWidth = 0.7; ctx.stroke(); }
  });
}

function drawUnits() {
  const box = $("units");
  const key = data.sizes.join("-");
  if (box.dataset.key !== key) {
    box.dataset.key = key; box.textContent = "";
    data.sizes.slice(1, -1).forEach((h, l) => {
      const row = document.createElement("div"); row.className = "layer";
      row.title = "hidden layer " + (l + 1);
      for (let j = 0; j < h; j++) {
        const c = document.createElement("canvas"); c.width = c.height = 64;
        c.id = "unit-" + l + "-" + j; c.title = "hidden layer " + (l + 1) + ", unit " + (j + 1);
        c.addEventListener("click", () => select({ kind: "unit", layer: l, j: j }, c));
        row.appendChild(c);
      }
      box.appendChild(row);
    });
  }
  frame.units.forEach((u) => {
    const c = $("unit-" + u.layer + "-" + u.unit), m = bytes(u.map);
    if (c) paint(c, Math.round(Math.sqrt(m.length)), (k) => diverging(m[k] / 255));
  });
}

function drawSpace() {
  const canvas = $("space"), ctx = canvas.getContext("2d"), s = frame.space;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!s) {
    $("space-caption").textContent = "The data as a hidden layer sees it: add a hidden layer of 2 or 3 units";
    return;
  }
  const dim = s.points[0].length;
  $("space-caption").textContent = `The data as hidden layer ${s.layer + 1} (${dim} units) sees it` +
    (dim === 3 ? ", turning" : "");
  const lo = [0, 1, 2].map((d) => Math.min(...s.points.map((p) => p[d] ?? 0)));
  const hi = [0, 1, 2].map((d) => Math.max(...s.points.map((p) => p[d] ?? 0)));
  const norm = (p, d) => hi[d] > lo[d] ? ((p[d] - lo[d]) / (hi[d] - lo[d]) - 0.5) : 0;
  const c = Math.cos(angle), sn = Math.sin(angle), W = canvas.width;
  s.points.forEach((p, i) => {
    let x = norm(p, 0), y = norm(p, 1);
    if (dim === 3) { const z = norm(p, 2); [x, y] = [c * x + sn * z, 0.9 * y + 0.3 * (c * z - sn * x)]; }
    ctx.beginPath(); ctx.arc(W / 2 + 0.55 * W * x, W / 2 - 0.55 * W * y, 3, 0, 2 * Math.PI);
    ctx.fillStyle = PALETTE[data.labels[i] % 10]; ctx.fill();
  });
}

function drawWeights() {
  const box = $("weights"), key = data.sizes.join("-");
  if (box.dataset.key !== key) {
    box.dataset.key = key; box.textContent = "";
    frame.weights.forEach((W, l) => {
      const c = document.createElement("canvas"), n = W.length, m = W[0].length;
      const cell = Math.max(3, Math.min(28, Math.floor(320 / Math.max(n, m))));
      c.width = m * cell; c.height = n * cell; c.id = "weights-" + l; c.dataset.cell = cell;
      c.title = `layer ${l + 1}: ${n} inputs (rows) to ${m} units (columns)`;
      c.addEventListener("click", (e) => {
        const r = c.getBoundingClientRect();
        const j = Math.floor((e.clientX - r.left) / cell), i = Math.floor((e.clientY - r.top) / cell);
        select({ kind: "weight", layer: l, i: i, j: j }, null);
      });
      box.appendChild(c);
    });
  }
  frame.weights.forEach((W, l) => {
    const c = $("weights-" + l), ctx = c.getContext("2d"), cell = +c.dataset.cell;
    const top = Math.max(1e-12, ...W.map((row) => Math.max(...row.map(Math.abs))));
    ctx.clearRect(0, 0, c.width, c.height);
    W.forEach((row, i) => row.forEach((w, j) => {
      const side = cell * Math.sqrt(Math.abs(w) / top);
      ctx.fillStyle = w >= 0 ? "#2e86ab" : "#e4572e";
      ctx.fillRect(j * cell + (cell - side) / 2, i * cell + (cell - side) / 2, side, side);
    }));
  });
}

function chart(canvas, x, series, fixed) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height, pad = 30;
  ctx.clearRect(0, 0, W, H);
  const all = series.flatMap((s) => s.values).filter((v) => v !== null);
  if (!all.length) return;
  const lo = fixed ? 0 : Math.min(...all), hi = fixed ? 1 : Math.max(...all);
  const xmax = Math.max(1, x[x.length - 1]);
  const px = (e) => pad + (W - pad - 5) * e / xmax;
  const py = (v) => H - 15 - (H - 25) * (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  ctx.strokeStyle = "#999"; ctx.strokeRect(pad, 10, W - pad - 5, H - 25);
  ctx.fillStyle = "#444"; ctx.font = "10px sans-serif";
  ctx.fillText(hi.toPrecision(3), 0, 14); ctx.fillText(lo.toPrecision(3), 0, H - 15);
  ctx.fillText("epoch " + xmax, W - 60, H - 2);
  series.forEach((s) => {
    ctx.beginPath(); ctx.setLineDash(s.dash ? [4, 3] : []); ctx.strokeStyle = s.colour;
    s.values.forEach((v, k) => { if (v !== null) ctx.lineTo(px(x[k]), py(v)); });
    ctx.stroke();
  });
  ctx.setLineDash([]);
}

function pct(v) { return v === null || v === undefined ? "–" : (100 * v).toFixed(1) + "%"; }

function drawStatus() {
  const h = frame.history, last = h.loss.length - 1;
  $("epoch").textContent = frame.epoch; $("steps").textContent = frame.steps;
  $("loss").textContent = last >= 0 ? h.loss[last].toPrecision(4) : "–";
  $("train-acc").textContent = last >= 0 ? pct(h.accuracy[last]) : "–";
  $("val-acc").textContent = last >= 0 ? pct(h.val_accuracy[last]) : "–";
  $("play").textContent = frame.playing ? "pause" : "play";
  $("status").textContent = frame.playing ? "training" : "paused";
  if (frame.message) say(frame.message);
  chart($("loss-chart"), h.epoch, [{ values: h.loss, colour: "#243447" },
                                   { values: h.val_loss, colour: "#e4572e", dash: true }]);
  chart($("acc-chart"), h.epoch, [{ values: h.accuracy, colour: "#243447" },
                                  { values: h.val_accuracy, colour: "#e4572e", dash: true }], true);
  const d = frame.diagnostics;
  const health = d.health.map((x, l) => `hidden layer ${l + 1}: ` +
    (x.kind === "none" ? "no saturation measure" : `${(100 * x.fraction).toFixed(1)}% ${x.kind}`));
  $("diagnostics").textContent = [
    "gradient norm per layer: " + d.grad_norms.map((g) => g.toExponential(2)).join(", "),
    ...health, d.plateaus, `frame computed in ${frame.compute_ms} ms`].join("\n");
}

function render() {
  if (!drawn && data && frame) {
    drawn = true;
    drawBoundary(); drawUnits(); drawWeights(); drawStatus();
  }
  if (data && frame) { angle += 0.01; drawSpace(); }
  requestAnimationFrame(render);
}

function showSettings(s) {
  document.querySelectorAll("[data-setting]").forEach((el) => {
    const v = s[el.dataset.setting];
    if (el.type === "checkbox") el.checked = Boolean(v);
    else if (el.id === "hidden") el.value = v.join(",");
    else if (el.id === "columns") el.value = v !== null ? v.join(",") : (data.features.length > 2 ? "pca" : "0,1");
    else if (el.id !== "target") el.value = v;
  });
}

function onData(d) {
  data = d; drawn = false;
  $("source").textContent = "data: " + d.source + ` (${d.n_train} training, ${d.n_val} validation rows)`;
  $("plane").textContent = "picture plane: " + d.plane;
  const cols = $("columns"); cols.textContent = "";
  const opt = (value, text) => { const o = document.createElement("option"); o.value = value; o.textContent = text; cols.appendChild(o); };
  if (d.features.length > 2) opt("pca", "PCA projection");
  for (let i = 0; i < Math.min(d.features.length, 12); i++)
    for (let j = i + 1; j < Math.min(d.features.length, 12); j++) opt(i + "," + j, d.features[i] + " × " + d.features[j]);
  if (d.settings.data === "file") setTargets(d.columns || null, d.settings.target);
  showSettings(d.settings);
}

function setTargets(columns, target) {
  const sel = $("target");
  if (columns) { sel.textContent = ""; columns.forEach((c) => { const o = document.createElement("option"); o.textContent = c; sel.appendChild(o); }); }
  sel.value = target;
}

function readSettings() {
  const out = {};
  document.querySelectorAll("[data-setting]").forEach((el) => {
    const k = el.dataset.setting;
    if (el.type === "checkbox") out[k] = el.checked;
    else if (k === "hidden") out[k] = el.value.split(",").map((x) => parseInt(x, 10));
    else if (k === "columns") out[k] = el.value === "pca" || el.value === "" ? null : el.value.split(",").map(Number);
    else if (el.type === "number") out[k] = Number(el.value);
    else out[k] = el.value;
  });
  if (out.data !== "file") delete out.target;
  return out;
}

function select(q, canvas) {
  document.querySelectorAll("#units canvas.selected").forEach((c) => c.classList.remove("selected"));
  if (canvas) canvas.classList.add("selected");
  api("/api/select", q).then((out) => { if (out.text) $("formula").textContent = out.text; });
}

function connect() {
  const source = new EventSource("/api/events?token=" + encodeURIComponent(token));
  source.addEventListener("data", (e) => onData(JSON.parse(e.data)));
  source.addEventListener("frame", (e) => {
    frame = JSON.parse(e.data); drawn = false;
    const now = performance.now(); times.push(now);
    times = times.filter((t) => now - t < 2000);
    $("rate").textContent = (times.length / 2).toFixed(1);
  });
  source.onerror = () => { $("status").textContent = "reconnecting…"; };
}

function setup() {
  document.querySelectorAll("[data-setting]").forEach((el) =>
    el.addEventListener("change", () => api("/api/settings", readSettings())));
  $("play").addEventListener("click", () => api("/api/control", { action: frame && frame.playing ? "pause" : "play" }));
  $("step").addEventListener("click", () => api("/api/control", { action: "step" }));
  $("reset").addEventListener("click", () => api("/api/control", { action: "reset" }));
  $("boundary").addEventListener("click", (e) => {  // the output unit of the class there
    if (!frame || !data) return;
    const c = $("boundary"), r = c.getBoundingClientRect(), cls = bytes(frame.boundary.cls);
    const n = Math.round(Math.sqrt(cls.length));
    const col = Math.min(n - 1, Math.floor((e.clientX - r.left) / r.width * n));
    const row = Math.min(n - 1, Math.floor((e.clientY - r.top) / r.height * n));
    const outputs = data.sizes[data.sizes.length - 1];
    select({ kind: "unit", layer: data.sizes.length - 2, j: outputs === 1 ? 0 : cls[row * n + col] }, null);
  });
  $("gradcheck").addEventListener("click", () => {
    $("gradcheck-table").textContent = "checking…";
    api("/api/gradcheck").then((out) => { $("gradcheck-table").textContent = out.text || ""; });
  });
  $("upload").addEventListener("change", () => {
    const file = $("upload").files[0];
    if (!file) return;
    api("/api/upload?name=" + encodeURIComponent(file.name), null, file).then((out) => {
      if (!out.error && out.columns.length) setTargets(out.columns, out.target);
      $("upload").value = "";
    });
  });
  const q = "?token=" + encodeURIComponent(token);
  $("download-model").href = "/download/model.npz" + q;
  $("download-report").href = "/download/report.html" + q;
  $("download-settings").href = "/download/settings.json" + q;
  $("link").addEventListener("click", (e) => {
    e.preventDefault();
    history.replaceState(null, "", location.search + "#" + encodeURIComponent(JSON.stringify(readSettings())));
    say("");
    $("source").textContent += " — the address now holds these settings";
  });
  if (location.hash.length > 1) {
    try { api("/api/settings", JSON.parse(decodeURIComponent(location.hash.slice(1)))); }
    catch (err) { say("the link's settings are malformed"); }
  }
  connect();
  requestAnimationFrame(render);
}

document.addEventListener("DOMContentLoaded", setup);
