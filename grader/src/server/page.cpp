// The page at `/`: one self-contained document. Student text is only ever set with
// textContent, never parsed as HTML; the class dashboard is the HTML report in a sandboxed frame.

#include "service.hpp"

namespace grader::detail {

std::string_view page_html() {
  static constexpr std::string_view kPage = R"PAGE(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>grader</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }
  header { background: #1d2430; color: #fff; padding: .7em 1.2em; display: flex; gap: 1em; align-items: center; }
  header h1 { font-size: 1.1em; margin: 0; flex: 1; }
  main { max-width: 60em; margin: 1.2em auto; padding: 0 1em; }
  section { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; padding: 1em 1.2em; margin-bottom: 1em; }
  h2 { font-size: 1.05em; margin: 0 0 .6em; }
  input[type=password], select { font: inherit; padding: .3em .4em; min-width: 22em; }
  button { font: inherit; padding: .3em .9em; cursor: pointer; }
  #drop { border: 2px dashed #9aa3b2; border-radius: 6px; padding: 1.2em; text-align: center; color: #4a5568; margin: .6em 0; }
  #drop.over { background: #eef4ff; border-color: #3b6fd8; }
  table { border-collapse: collapse; width: 100%; margin: .5em 0; }
  th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #e4e7ec; vertical-align: top; }
  .passed { color: #166534; } .failed { color: #b42318; } .muted { color: #667085; }
  .state { display: inline-block; padding: .05em .6em; border-radius: 1em; background: #eef0f3; font-size: .9em; }
  .state.done { background: #dcfce7; } .state.running { background: #fef3c7; }
  pre { background: #f2f4f7; padding: .6em; overflow-x: auto; white-space: pre-wrap; }
  #score { font-size: 1.4em; font-weight: 600; }
  .hint { background: #fff7e6; border-left: 4px solid #f59e0b; padding: .5em .8em; }
  .error { color: #b42318; }
  iframe { width: 100%; height: 70vh; border: 1px solid #d8dce3; border-radius: 6px; background: #fff; }
  .hidden { display: none; }
  li button { margin-left: .5em; }
</style>
</head>
<body>
<header><h1>grader</h1><span id="who"></span><button id="signout" class="hidden">Sign out</button></header>
<main>
<section id="signin-box">
  <h2>Sign in</h2>
  <p>Paste the token your instructor gave you.</p>
  <input id="token" type="password" autocomplete="off" placeholder="gt_...">
  <button id="signin">Sign in</button>
  <p id="signin-error" class="error"></p>
</section>
<div id="app" class="hidden">
  <section>
    <h2>Hand in</h2>
    <label>Exercise <select id="exercise"></select></label>
    <p id="rules" class="muted"></p>
    <div id="drop">Drop your source files (or one .zip) here, or
      <input id="files" type="file" multiple></div>
    <button id="submit">Submit</button>
    <span id="upload-error" class="error"></span>
  </section>
  <section id="result-box" class="hidden">
    <h2>Result <span id="state" class="state"></span></h2>
    <div id="score"></div>
    <p id="late" class="muted"></p>
    <p id="withheld" class="muted"></p>
    <div id="feedback"></div>
  </section>
  <section>
    <h2>Your submissions</h2>
    <ul id="history"></ul>
  </section>
  <section id="dashboard-box" class="hidden">
    <h2>Class dashboard <span class="muted">(refreshes every 10 s)</span></h2>
    <iframe id="dashboard" sandbox="allow-scripts" title="class report"></iframe>
  </section>
  <section id="similarity-box" class="hidden">
    <h2>Similarity <span class="muted">(each student's counted submission)</span></h2>
    <button id="similarity-run">check the class</button> <span id="similarity-error" class="failed"></span>
    <iframe id="similarity" sandbox="" title="similar submissions"></iframe>
  </section>
</div>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("grader-token") || "";
let me = null;
let polling = null;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function api(path, options) {
  options = options || {};
  options.headers = Object.assign({"Authorization": "Bearer " + token}, options.headers || {});
  const response = await fetch(path, options);
  const type = response.headers.get("Content-Type") || "";
  const body = type.startsWith("application/json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error((body && body.error) || ("HTTP " + response.status));
  return body;
}

async function signIn() {
  $("signin-error").textContent = "";
  try {
    me = await api("/api/v1/me");
  } catch (e) {
    $("signin-error").textContent = e.message;
    sessionStorage.removeItem("grader-token");
    return;
  }
  sessionStorage.setItem("grader-token", token);
  $("who").textContent = me.id + (me.instructor ? " (instructor)" : "");
  $("signin-box").classList.add("hidden");
  $("app").classList.remove("hidden");
  $("signout").classList.remove("hidden");
  const list = await api("/api/v1/exercises");
  const select = $("exercise");
  select.textContent = "";
  for (const ex of list.exercises) {
    const option = el("option", ex.id + " - " + ex.title);
    option.value = ex.id;
    option.dataset.rules = JSON.stringify(ex);
    select.appendChild(option);
  }
  exerciseChanged();
}

function exerciseChanged() {
  const option = $("exercise").selectedOptions[0];
  if (!option) return;
  const ex = JSON.parse(option.dataset.rules);
  const parts = [];
  if (ex.due) parts.push("due " + new Date(ex.due).toLocaleString());
  if (ex.penalty_per_day) parts.push("late: -" + Math.round(ex.penalty_per_day * 100) + "% per day");
  if (ex.cutoff) parts.push("closes " + new Date(ex.cutoff).toLocaleString());
  if (ex.hidden_feedback_per_day) parts.push(ex.hidden_feedback_per_day + " submissions a day with hidden-case results");
  $("rules").textContent = parts.join(" · ");
  loadHistory();
  if (me.instructor) {
    $("dashboard-box").classList.remove("hidden");
    $("similarity-box").classList.remove("hidden");
    loadDashboard();
  }
}

let pickedFiles = [];
function setFiles(files) {
  pickedFiles = Array.from(files);
  $("drop").firstChild.textContent = pickedFiles.map((f) => f.name).join(", ") + " ";
}

async function submit() {
  $("upload-error").textContent = "";
  const files = pickedFiles.length ? pickedFiles : Array.from($("files").files);
  if (!files.length) { $("upload-error").textContent = "choose files first"; return; }
  const form = new FormData();
  for (const f of files) form.append("files", f, f.name);
  const exercise = $("exercise").value;
  try {
    const answer = await api("/api/v1/submissions?exercise=" + encodeURIComponent(exercise),
                             {method: "POST", body: form});
    show(answer.id);
  } catch (e) {
    $("upload-error").textContent = e.message;
  }
}

async function show(id) {
  if (polling) clearTimeout(polling);
  $("result-box").classList.remove("hidden");
  let s;
  try {
    s = await api("/api/v1/submissions/" + encodeURIComponent(id));
  } catch (e) {
    $("feedback").textContent = e.message;
    return;
  }
  render(s);
  if (s.state !== "done") polling = setTimeout(() => show(id), 500);
  else loadHistory();
}

function formatValue(v) { return typeof v === "object" ? JSON.stringify(v) : String(v); }

function render(s) {
  const state = $("state");
  state.textContent = s.state;
  state.className = "state " + s.state;
  $("score").textContent = "";
  $("late").textContent = "";
  $("withheld").textContent = "";
  const feedback = $("feedback");
  feedback.textContent = "";
  if (s.state !== "done") {
    feedback.appendChild(el("p", s.state === "queued" ? "Waiting for a worker..." : "Grading...", "muted"));
    return;
  }
  $("score").textContent = s.score === null || s.score === undefined
      ? "Score: withheld" : "Score: " + s.score + " / " + s.max_score;
  if (s.late && s.late.days_late > 0) {
    $("late").textContent = "Late by " + s.late.days_late + " day(s): penalty " +
        Math.round(s.late.penalty * 100) + "% of the maximum" +
        (s.score_before_penalty !== undefined ? " (score before penalty " + s.score_before_penalty + ")" : "");
  }
  if (s.hidden_feedback) $("withheld").textContent = s.hidden_feedback.reason;
  if (s.status !== "graded") {
    feedback.appendChild(el("p", s.status.replace("_", " ") + (s.message ? ": " + s.message : ""), "failed"));
    if (s.compile_output) feedback.appendChild(el("pre", s.compile_output));
    return;
  }
  const table = el("table");
  const head = el("tr");
  for (const h of ["Task", "Score", "Cases passed"]) head.appendChild(el("th", h));
  table.appendChild(head);
  for (const t of s.tasks) {
    const row = el("tr");
    const passed = t.cases.filter((c) => c.status === "passed").length;
    row.appendChild(el("td", t.id));
    row.appendChild(el("td", t.score === null ? "withheld" : t.score + " / " + t.max_score,
                       t.score === t.max_score ? "passed" : "failed"));
    row.appendChild(el("td", passed + " / " + t.cases.length));
    table.appendChild(row);
  }
  feedback.appendChild(table);
  for (const t of s.tasks) {
    const failing = t.cases.find((c) => c.visibility === "visible" && c.status !== "passed");
    if (!failing && !t.diagnosis) continue;
    const box = el("div");
    box.appendChild(el("h3", t.id));
    if (failing) {
      const args = Object.entries(failing.inputs || {}).map(([k, v]) => k + "=" + formatValue(v)).join(", ");
      box.appendChild(el("p", failing.id + ": " + t.id + "(" + args + ") - " + failing.status.replace("_", " ")));
      const pre = el("pre", "expected: " + formatValue(failing.expected) +
                     "\nactual:   " + (failing.actual === undefined ? "(none)" : formatValue(failing.actual)) +
                     (failing.message ? "\n" + failing.message : ""));
      box.appendChild(pre);
    }
    if (t.diagnosis && t.diagnosis.hint) box.appendChild(el("p", "Hint: " + t.diagnosis.hint, "hint"));
    feedback.appendChild(box);
  }
}

async function loadHistory() {
  const exercise = $("exercise").value;
  const ul = $("history");
  let list;
  try {
    list = await api("/api/v1/submissions?exercise=" + encodeURIComponent(exercise));
  } catch (e) { return; }
  ul.textContent = "";
  for (const s of list.submissions.slice().reverse().slice(0, 50)) {
    const li = el("li", s.submitted_at + " " + (me.instructor ? s.user + " " : "") + s.state +
                  (s.state === "done" ? " " + (s.score === null ? "withheld" : s.score + "/" + s.max_score) : ""));
    const button = el("button", "show");
    button.addEventListener("click", () => show(s.id));
    li.appendChild(button);
    if (s.chosen) li.appendChild(el("span", " counts for the grade", "passed"));
    if (!me.instructor && s.state === "done" && !s.chosen) {
      const choose = el("button", "count this one");
      choose.addEventListener("click", async () => {
        try {
          await api("/api/v1/submissions/" + encodeURIComponent(s.id) + "/choose", {method: "POST"});
        } catch (e) { $("upload-error").textContent = e.message; }
        loadHistory();
      });
      li.appendChild(choose);
    }
    ul.appendChild(li);
  }
}

async function loadDashboard() {
  if (!me || !me.instructor) return;
  try {
    const html = await api("/api/v1/reports/" + encodeURIComponent($("exercise").value) + "?format=html");
    $("dashboard").srcdoc = html;
  } catch (e) { /* shown again at the next refresh */ }
}

$("similarity-run").addEventListener("click", async () => {
  $("similarity-error").textContent = "";
  try {
    $("similarity").srcdoc = await api("/api/v1/similarity/" + encodeURIComponent($("exercise").value) + "?format=html");
  } catch (e) { $("similarity-error").textContent = e.message; }
});
$("signin").addEventListener("click", () => { token = $("token").value.trim(); signIn(); });
$("token").addEventListener("keydown", (e) => { if (e.key === "Enter") $("signin").click(); });
$("signout").addEventListener("click", () => { sessionStorage.removeItem("grader-token"); location.reload(); });
$("exercise").addEventListener("change", exerciseChanged);
$("submit").addEventListener("click", submit);
$("files").addEventListener("change", () => setFiles($("files").files));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); setFiles(e.dataTransfer.files); });
setInterval(loadDashboard, 10000);
if (token) signIn();
</script>
</body>
</html>
)PAGE";
  return kPage;
}

}  // namespace grader::detail
