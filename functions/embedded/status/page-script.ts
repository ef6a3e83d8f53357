// The status page's script, sent inline: no build step. Everything it writes goes through
// textContent, so link ids and Slack error strings can never become markup.
export const PAGE_SCRIPT = `
(() => {
  const boot = JSON.parse(document.getElementById('boot').textContent);
  const tbody = document.querySelector('#links tbody');
  const feed = document.getElementById('feed');
  const ago = (ms) => { const s = Math.max(0, Math.round(ms / 1000)); return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : Math.floor(s / 3600) + ' h'; };
  const cell = (tr, cls, text) => { tr.querySelector('td.' + cls).textContent = text; };
  function upsert(row) {
    let tr = document.getElementById('link-' + row.id);
    if (!tr) {
      if (tbody.rows.length >= boot.maxRows) return;
      tr = document.createElement('tr');
      tr.id = 'link-' + row.id;
      for (const cls of ['state', 'id', 'attempt', 'error', 'owner', 'since']) { const td = document.createElement('td'); td.className = cls; tr.appendChild(td); }
      tr.querySelector('td.state').appendChild(document.createElement('span'));
      tbody.prepend(tr);
    }
    const pill = tr.querySelector('td.state span');
    pill.className = 'pill ' + row.state;
    pill.textContent = row.state;
    tr.dataset.state = row.state;
    tr.dataset.since = String(row.stateSince);
    cell(tr, 'id', row.id); cell(tr, 'attempt', String(row.attempt)); cell(tr, 'error', row.lastError || ''); cell(tr, 'owner', row.owner || '');
  }
  function line(at, text, kind) {
    const li = document.createElement('li');
    li.className = kind;
    const time = document.createElement('time');
    time.textContent = new Date(at).toISOString().slice(11, 19);
    li.append(time, ' ' + text);
    feed.prepend(li);
    while (feed.children.length > 200) feed.lastChild.remove();
  }
  function counts(c) { for (const [state, n] of Object.entries(c)) { const el = document.getElementById('count-' + state); if (el) el.textContent = String(n); } }
  function tick() { const now = Date.now(); for (const tr of tbody.rows) tr.querySelector('td.since').textContent = ago(now - Number(tr.dataset.since)); }
  async function poll() {
    try {
      const status = await (await fetch('/status.json')).json();
      counts(status.links);
      document.getElementById('workers').textContent = status.workers.map((w) => w.workerId + (w.pid ? ' (pid ' + w.pid + ', ' + (w.linkCount ?? 0) + (w.capacity ? '/' + w.capacity : '') + ' links' + (w.draining ? ', draining' : '') + ')' : ' (' + w.state + ')')).join(', ');
      document.getElementById('events').textContent = String(status.eventsDelivered);
      if (status.mode === 'real' && status.summary) document.getElementById('mode').textContent = status.summary;
      // The charts from the poll too: behind a proxy that buffers or cuts the live feed they would
      // otherwise stay as the page was served.
      if (status.history) { for (const b of status.history.buckets) history.set(b.at, b); draw(); }
      if (status.streams && status.http) document.getElementById('limits').textContent = 'live feeds: ' + status.streams.open + '/' + status.streams.max + ' open, ' + status.streams.closedStuck + ' closed for not reading, ' + status.streams.refused + ' refused · slow requests cut: ' + (status.http.requestsTimedOut + status.http.bodiesTimedOut) + ', aborted bodies: ' + status.http.bodiesAborted + ', connections evicted: ' + status.http.connectionsEvicted;
    } catch { /* the stream's error handler shows the outage */ }
  }
  const stream = new EventSource('/events/stream');
  const live = (ok) => { document.getElementById('live-dot').style.background = ok ? '#2eb67d' : '#e01e5a'; document.getElementById('live-text').textContent = ok ? 'live' : 'reconnecting…'; };
  stream.onopen = () => live(true);
  stream.onerror = () => live(false);
  stream.addEventListener('counts', (e) => counts(JSON.parse(e.data)));
  stream.addEventListener('row', (e) => upsert(JSON.parse(e.data)));
  stream.addEventListener('transition', (e) => { const t = JSON.parse(e.data); line(t.at, t.linkId + ': ' + (t.from || 'new') + ' → ' + t.to + (t.lastError ? ' (' + t.lastError + ')' : ''), 'transition'); });
  stream.addEventListener('note', (e) => { const n = JSON.parse(e.data); line(n.at, n.text, 'note'); });
  // The charts: inline SVG drawn here (no library, nothing fetched), one bar per minute of the last hour.
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = { connecting: '#36c5f0', open: '#2eb67d', backoff: '#ecb22e', inactive: '#999999', revoked: '#e01e5a' };
  const MINUTE = boot.history.bucketMs;
  const history = new Map(boot.history.buckets.map((b) => [b.at, b]));
  const rect = (svg, x, y, h, fill, cls, title) => {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', String(x + 1)); r.setAttribute('y', String(y)); r.setAttribute('width', '8'); r.setAttribute('height', String(h));
    r.setAttribute('fill', fill); r.setAttribute('class', cls);
    const t = document.createElementNS(SVG, 'title'); t.textContent = title; r.appendChild(t);
    svg.appendChild(r);
  };
  const hhmm = (at) => new Date(at).toISOString().slice(11, 16);
  function bars(id, buckets, first, value, fill, unit) {
    const svg = document.getElementById(id);
    svg.replaceChildren();
    const max = Math.max(1, ...buckets.map(value));
    let points = 0, total = 0;
    for (const b of buckets) {
      const v = value(b);
      if (v <= 0) continue;
      const h = Math.max(2, Math.round((v / max) * 76));
      rect(svg, ((b.at - first) / MINUTE) * 10, 80 - h, h, fill, 'bar', hhmm(b.at) + ': ' + v + ' ' + unit);
      points += 1; total += v;
    }
    svg.dataset.points = String(points); svg.dataset.total = String(total);
    document.getElementById(id + '-scale').textContent = 'max ' + max + '/min · ' + total + ' in the hour';
  }
  function stacked(buckets, first) {
    const svg = document.getElementById('chart-links');
    svg.replaceChildren();
    const sum = (b) => Object.values(b.links).reduce((a, n) => a + n, 0);
    const max = Math.max(1, ...buckets.map(sum));
    for (const b of buckets) {
      let y = 80;
      for (const [state, fill] of Object.entries(COLORS)) {
        const n = b.links[state] || 0;
        if (n <= 0) continue;
        const h = (n / max) * 76;
        y -= h;
        rect(svg, ((b.at - first) / MINUTE) * 10, y, h, fill, 'bar ' + state, hhmm(b.at) + ': ' + n + ' ' + state);
      }
    }
    svg.dataset.points = String(buckets.length);
    svg.dataset.total = String(buckets.length ? sum(buckets[buckets.length - 1]) : 0);
    document.getElementById('chart-links-scale').textContent = 'max ' + max;
  }
  function draw() {
    const now = Date.now();
    const first = now - (now % MINUTE) - 60 * MINUTE;
    for (const at of history.keys()) if (at < first) history.delete(at);
    const buckets = [...history.values()].sort((a, b) => a.at - b.at);
    stacked(buckets, first);
    bars('chart-reconnects', buckets, first, (b) => b.reconnects, '#e01e5a', 'reconnects');
    bars('chart-events', buckets, first, (b) => b.events, '#4a154b', 'events');
  }
  stream.addEventListener('history', (e) => { const b = JSON.parse(e.data); history.set(b.at, b); draw(); });
  draw();
  setInterval(draw, 10000);
  tick(); poll();
  setInterval(tick, 1000);
  setInterval(poll, 2000);
})();
`;
