namespace ConcertBooking.Messaging.Operations;

/// <summary>
/// Plain HTML and a few lines of script, served by the service itself: no CDN, nothing to install. The page holds no
/// data and is served to anyone; it asks for the operations key, keeps it in the tab's session storage (gone when the
/// tab closes, never in a URL, a cookie or the browser's history) and sends it in the X-Api-Key header of each fetch.
/// </summary>
internal static class StatusPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ConcertBooking status</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 2rem; color: #1d2330; background: #f7f8fa; }
  h1 { font-size: 1.4rem; margin: 0 0 .2rem; } h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
  .muted { color: #667; } .cards { display: flex; gap: 1rem; flex-wrap: wrap; }
  .card { background: #fff; border: 1px solid #dde; border-radius: 8px; padding: .8rem 1rem; min-width: 9rem; }
  .card b { display: block; font-size: 1.5rem; } .bad b { color: #b3261e; } .ok b { color: #1b6e3a; } .warn b { color: #8a5a00; }
  table { border-collapse: collapse; background: #fff; width: 100%; }
  td, th { border: 1px solid #dde; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eef0f4; } td.err { font-family: ui-monospace, monospace; font-size: 12px; }
  #key-form { background: #fff; border: 1px solid #dde; border-radius: 8px; padding: 1rem; max-width: 34rem; }
  #key-form input { width: 20rem; } #key-message { color: #b3261e; } [hidden] { display: none !important; }
</style>
</head>
<body>
<h1>ConcertBooking · <span id="service">…</span></h1>
<form id="key-form" hidden>
  <p>This page shows the service's messaging to operators. Enter the operations key (<code>Ops:ApiKey</code>; with
  <code>make up</code> it is in <code>.run/ops-key</code>). It is kept in this tab only, until you close it.</p>
  <label>Operations key <input id="key-input" type="password" autocomplete="off" required></label>
  <button type="submit">Show status</button>
  <p id="key-message"></p>
</form>
<div id="status" hidden>
<div class="muted">Updated <span id="updated">never</span> · refreshes every 2 s · <button id="forget-key" type="button">Forget the key</button></div>
<h2>Health (database, broker, outbox)</h2>
<div class="cards" id="health"></div>
<h2>Outbox backlog</h2>
<div class="cards">
  <div class="card" id="card-pending">Pending<b id="pending">–</b></div>
  <div class="card" id="card-oldest">Oldest pending<b id="oldest">–</b></div>
  <div class="card" id="card-failing">Failing<b id="failing">–</b></div>
  <div class="card" id="card-parked">Parked<b id="parked">–</b></div>
  <div class="card">Dispatched (retained)<b id="dispatched">–</b></div>
</div>
<h2>Parked outbox messages (each holds back its key: retry or discard at /ops/outbox/parked)</h2>
<table><thead><tr><th>Message</th><th>Type</th><th>Attempts</th><th>Last error</th><th>Parked at</th></tr></thead><tbody id="parked-rows"></tbody></table>
<h2>Delivery lag (ms, outbox write to consumer commit, latest <span id="lag-samples">0</span> messages consumed here)</h2>
<div class="cards">
  <div class="card">p50<b id="lag-p50">–</b></div>
  <div class="card">p95<b id="lag-p95">–</b></div>
  <div class="card">p99<b id="lag-p99">–</b></div>
  <div class="card">max<b id="lag-max">–</b></div>
</div>
<h2>Dead letters</h2>
<table><thead><tr><th>Message</th><th>Queue</th><th>Type</th><th>Reason</th><th>At</th></tr></thead><tbody id="dead-letters"></tbody></table>
<h2>Recent failures</h2>
<table><thead><tr><th>At</th><th>Where</th><th>Message</th><th>Error</th></tr></thead><tbody id="failures"></tbody></table>
</div>
<script>
const keyName = "concertbooking.ops-key";
let key = sessionStorage.getItem(keyName);
let timer = null;
const text = (id, value) => document.getElementById(id).textContent = value;
const ms = v => v == null ? "–" : v.toFixed(1);
const cell = (tr, value, cls) => { const td = tr.insertCell(); td.textContent = value ?? ""; if (cls) td.className = cls; };
function rows(id, items, fill) {
  const body = document.getElementById(id); body.replaceChildren();
  if (!items.length) { const tr = body.insertRow(); cell(tr, "none"); tr.cells[0].colSpan = 5; return; }
  for (const item of items) fill(body.insertRow(), item);
}
function askForKey(message) {
  clearInterval(timer); timer = null; key = null; sessionStorage.removeItem(keyName);
  document.getElementById("status").hidden = true;
  document.getElementById("key-form").hidden = false;
  text("key-message", message ?? "");
  document.getElementById("key-input").focus();
}
function showStatus() {
  document.getElementById("key-form").hidden = true;
  document.getElementById("status").hidden = false;
  refresh(); timer = setInterval(refresh, 2000);
}
document.getElementById("key-form").addEventListener("submit", event => {
  event.preventDefault();
  const input = document.getElementById("key-input");
  key = input.value; input.value = "";
  sessionStorage.setItem(keyName, key);
  showStatus();
});
document.getElementById("forget-key").addEventListener("click", () => askForKey());
async function refresh() {
  try {
    const response = await fetch("status.json", { headers: { "X-Api-Key": key } });
    if (response.status === 401) { askForKey("That key was refused."); return; }
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    const s = await response.json();
    text("service", s.service); text("updated", new Date(s.at).toLocaleTimeString());
    const capped = n => n >= s.outbox.countCap ? s.outbox.countCap + "+" : n;
    text("pending", capped(s.outbox.pending)); text("failing", capped(s.outbox.failing)); text("parked", capped(s.outbox.parked));
    text("dispatched", capped(s.outbox.dispatchedInRetention));
    text("oldest", s.outbox.oldestPendingAge ?? "none");
    document.getElementById("card-failing").className = "card " + (s.outbox.failing ? "bad" : "ok");
    document.getElementById("card-parked").className = "card " + (s.outbox.parked ? "bad" : "ok");
    const health = document.getElementById("health"); health.replaceChildren();
    for (const h of s.health) {
      const card = document.createElement("div");
      card.className = "card " + (h.status === "Healthy" ? "ok" : h.status === "Degraded" ? "warn" : "bad");
      card.id = "health-" + h.name; card.title = h.description ?? "";
      card.append(h.name); const b = document.createElement("b"); b.textContent = h.status; card.append(b);
      health.append(card);
    }
    rows("parked-rows", s.outbox.parkedRows, (tr, p) => { cell(tr, p.messageId); cell(tr, p.messageType); cell(tr, p.attempts);
      cell(tr, p.lastError, "err"); cell(tr, p.parkedAt); });
    text("lag-samples", s.deliveryLagMs.samples);
    text("lag-p50", ms(s.deliveryLagMs.p50)); text("lag-p95", ms(s.deliveryLagMs.p95));
    text("lag-p99", ms(s.deliveryLagMs.p99)); text("lag-max", ms(s.deliveryLagMs.max));
    rows("dead-letters", s.deadLetters, (tr, d) => { cell(tr, d.messageId); cell(tr, d.queue); cell(tr, d.messageType);
      cell(tr, (d.exceptionType ?? "") + ": " + (d.reason ?? ""), "err"); cell(tr, d.faultedAt); });
    rows("failures", s.recentFailures, (tr, f) => { cell(tr, f.at); cell(tr, f.where); cell(tr, f.messageType + " " + (f.messageId ?? ""));
      cell(tr, f.error, "err"); });
  } catch (error) {
    text("updated", "failed: " + error.message);
  }
}
if (key) showStatus(); else askForKey();
</script>
</body>
</html>
""";
}
