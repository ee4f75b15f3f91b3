// symjac web checker: forms -> JSON API -> verdict, diagnosis, typeset steps, picture.
// Everything is drawn with textContent or KaTeX (trust off): no text from a server or a user
// is ever inserted as HTML.
"use strict";

const EXAMPLES = {
  integral: {
    original: "x*y",
    region: "1 <= x**2/y <= 4, 2 <= y**2/x <= 3, x > 0, y > 0",
    sub: "u = x**2/y, v = y**2/x",
    claimed: "Integral(3*u*v, (u, 1, 4), (v, 2, 3))",
  },
  density: { pdf: "exp(-x**2/2)/sqrt(2*pi)", vars: "x", support: "-oo < x < oo", map: "y = x**2" },
  jacobian: { equations: "u = x**2/y, v = y**2/x", domain: "x > 0, y > 0",
              "jacobian-region": "1 <= u <= 4, 2 <= v <= 3" },
};

const VERDICT_WORDS = {
  correct: "Correct", incorrect: "Not correct", inconclusive: "Undecided", undecided: "Undecided",
  passed: "Checked: passed", failed: "Checked: failed", error: "Could not be checked",
};

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function typeset(tex, display) {
  const holder = el(display ? "div" : "span", null, display ? "math" : "inline-math");
  if (window.katex) {
    try {
      window.katex.render(tex, holder, { displayMode: display, throwOnError: true, trust: false,
                                         strict: "ignore" });
      return holder;
    } catch (err) {
      // KaTeX cannot read this piece: show the LaTeX itself rather than nothing
    }
  }
  const code = el("code", tex);
  holder.appendChild(code);
  return holder;
}

function renderBlocks(blocks, into) {
  for (const block of blocks) {
    if (block.kind === "math") {
      into.appendChild(typeset(block.tex, true));
    } else {
      const p = el("p", null, "text");
      for (const part of block.parts) {
        p.appendChild("math" in part ? typeset(part.math, false) : document.createTextNode(part.text));
      }
      into.appendChild(p);
    }
  }
}

// --- tabs
function showTab(name) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === "tab-" + name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    $(tab.getAttribute("aria-controls")).hidden = !on;
  }
  $("answer").hidden = true;
}

// --- live preview of what symjac reads in a field
const timers = {};
function schedulePreview(input) {
  clearTimeout(timers[input.id]);
  timers[input.id] = setTimeout(() => preview(input), 350);
}

async function preview(input) {
  const box = document.querySelector(`.preview[data-for="${input.id}"]`);
  if (!box) return;
  const text = input.value.trim();
  if (!text) { box.textContent = ""; box.classList.remove("error"); return; }
  let reply;
  try {
    const response = await fetch("/api/preview", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: input.dataset.preview, text }),
    });
    reply = await response.json();
  } catch (err) {
    return;  // the preview is a help, not the answer: stay quiet when the server is away
  }
  if (input.value.trim() !== text) return;  // typed on meanwhile
  box.textContent = "";
  if (reply.latex !== undefined) {
    box.classList.remove("error");
    box.appendChild(typeset(reply.latex, false));
  } else if (reply.error) {
    box.classList.add("error");
    box.textContent = reply.error.message;
  }
}

// --- the request a form makes
function fieldsOf(form) {
  const fields = {};
  for (const input of form.querySelectorAll("input[name], textarea[name], select[name]")) {
    const value = input.value.trim();
    if (value) fields[input.name] = value;
  }
  return fields;
}

function requestFor(form) {
  let tool = form.dataset.tool;
  const fields = fieldsOf(form);
  if (tool === "integral") {
    if (fields.claimed) tool = "check";
    else fields.integral = fields.original;
    if (!fields.claimed) delete fields.original;
  }
  return { tool, body: { ...fields, latex: true, picture: true } };
}

async function submit(form) {
  const { tool, body } = requestFor(form);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  $("working").hidden = false;
  $("answer").hidden = true;
  let payload;
  try {
    const response = await fetch("/api/" + tool, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    payload = await response.json();
  } catch (err) {
    payload = { error: { message: "The server did not answer (" + err.message + "). Is symjac serve still running?" } };
  } finally {
    button.disabled = false;
    $("working").hidden = true;
  }
  showAnswer(tool, payload);
}

// --- the answer
function verdictOf(tool, p) {
  if (p.error) return "error";
  if (tool === "check") return p.verdict;
  if (tool === "integral") return p.check ? p.check.verdict : null;
  if (tool === "density") return p.verification ? p.verification.verdict : null;
  return null;
}

function diagnosisOf(tool, p) {
  if (p.error) {
    const where = p.error.column ? ` (at column ${p.error.column})` : "";
    const hint = p.error.hint && !p.error.message.includes(p.error.hint) ? " " + p.error.hint : "";
    return p.error.message + where + hint;
  }
  if (tool === "check") return p.diagnosis;
  if (tool === "integral") return p.check ? p.check.reason : "";
  if (tool === "density") return p.verification ? p.verification.reason : "";
  return "";
}

function summaryOf(tool, p) {
  const rows = [];
  if (tool === "check" && p.expected) rows.push(["the correct integral", p.expected]);
  if (tool === "integral") {
    rows.push(["the new integral", p.integral]);
    if (p.value) rows.push(["its value", p.value]);
  }
  if (tool === "density" && p.density) {
    if (p.density.family) rows.push(["family", p.density.family.text || String(p.density.family)]);
    rows.push(["density", p.density.pdf]);
  }
  if (tool === "jacobian") {
    if (p.determinant) rows.push(["det J", p.determinant]);
    if (p.volume_element) rows.push(["|det J|", p.volume_element]);
  }
  return rows;
}

function download(id, text, type) {
  const link = $(id);
  if (link.href && link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  if (!text) { link.hidden = true; return; }
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.hidden = false;
}

function showAnswer(tool, p) {
  const verdict = verdictOf(tool, p);
  const badge = $("verdict");
  badge.className = "verdict " + (verdict || "");
  badge.textContent = verdict ? (VERDICT_WORDS[verdict] || verdict) : (tool === "jacobian" ? "Jacobian" : "Done");
  badge.dataset.verdict = verdict || "";
  $("diagnosis").textContent = diagnosisOf(tool, p) || "";
  const summary = $("summary");
  summary.textContent = "";
  const rows = summaryOf(tool, p);
  if (rows.length) {
    const dl = el("dl");
    for (const [name, value] of rows) { dl.appendChild(el("dt", name)); dl.appendChild(el("dd", value)); }
    summary.appendChild(dl);
  }
  const steps = $("steps");
  steps.textContent = "";
  const latex = p.latex || {};
  if (latex.blocks && latex.blocks.length) {
    steps.appendChild(el("h2", "The worked steps"));
    renderBlocks(latex.blocks, steps);
  } else if (latex.note) {
    steps.appendChild(el("p", latex.note, "hint"));
  }
  $("picture").hidden = !p.picture;
  if (p.picture) {
    $("picture-img").src = p.picture;
    $("picture-caption").textContent = p.picture_note || "";
  }
  $("picture-note").textContent = !p.picture && p.picture_note ? p.picture_note : "";
  download("download-latex", latex.document, "application/x-tex");
  const plain = { ...p };
  delete plain.latex; delete plain.picture; delete plain.picture_note;
  download("download-json", JSON.stringify(plain, null, 2), "application/json");
  $("answer").hidden = false;
}

// --- the systems menus
async function loadSystems() {
  try {
    const reply = await (await fetch("/api/systems")).json();
    for (const select of document.querySelectorAll("select.systems")) {
      for (const s of reply.systems || []) {
        const option = el("option", s.name);
        option.value = s.name;
        option.title = s.description;
        select.appendChild(option);
      }
    }
  } catch (err) {
    // the menu stays with its blank entry; equations still work
  }
}

// --- a class's file
async function uploadBatch() {
  const file = $("batch-file").files[0];
  const status = $("batch-status");
  status.hidden = false;
  $("batch-summary").textContent = "";
  $("batch-table").tBodies[0].textContent = "";
  $("batch-download").hidden = true;
  if (!file) { $("batch-count").textContent = "Choose a file first."; return; }
  const text = await file.text();
  const format = file.name.toLowerCase().endsWith(".csv") ? "csv" : "jsonl";
  let state = await (await fetch("/api/batch", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ format, text }),
  })).json();
  while (!state.error) {
    showBatch(state);
    if (state.finished) return;
    await new Promise((resolve) => setTimeout(resolve, 700));
    state = await (await fetch("/api/batch/" + encodeURIComponent(state.id))).json();
  }
  $("batch-count").textContent = state.error.message;
}

function showBatch(state) {
  $("batch-progress").max = state.total;
  $("batch-progress").value = state.done;
  $("batch-count").textContent = `${state.done} of ${state.total} checked`;
  const body = $("batch-table").tBodies[0];
  body.textContent = "";
  for (const r of state.results) {
    const row = el("tr");
    row.appendChild(el("td", r.id === null || r.id === undefined ? "" : String(r.id)));
    row.appendChild(el("td", VERDICT_WORDS[r.verdict] || r.verdict, "verdict-cell " + r.verdict));
    row.appendChild(el("td", r.diagnosis));
    body.appendChild(row);
  }
  if (state.summary) {
    const parts = Object.entries(state.summary.verdicts).map(([v, n]) => `${n} ${VERDICT_WORDS[v] || v}`);
    const mistakes = Object.entries(state.summary.mistakes).map(([m, n]) => `${m.replaceAll("_", " ")}: ${n}`);
    $("batch-summary").textContent = `${state.summary.total} submissions in ${state.seconds} s: ${parts.join(", ")}.`
      + (mistakes.length ? " Mistakes: " + mistakes.join(", ") + "." : "");
    download("batch-download", state.results.map((r) => JSON.stringify(r)).join("\n") + "\n",
             "application/x-ndjson");
  }
}

// --- wiring
document.addEventListener("DOMContentLoaded", () => {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("click", () => showTab(tab.id.slice(4)));
  }
  for (const input of document.querySelectorAll("[data-preview]")) {
    input.addEventListener("input", () => schedulePreview(input));
  }
  for (const form of document.querySelectorAll("form[data-tool]")) {
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(form); });
  }
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      for (const [id, value] of Object.entries(EXAMPLES[button.dataset.example])) {
        $(id).value = value;
        schedulePreview($(id));
      }
    });
  }
  $("form-batch").addEventListener("submit", (event) => { event.preventDefault(); uploadBatch(); });
  loadSystems();
});
