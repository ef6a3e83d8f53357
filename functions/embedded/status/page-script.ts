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
      document.getElementById('workers').textContent = status.workers.map((w) => w.workerId + (w.pid ? ' (pid ' + w.pid + ', ' + (w.linkCount ?? 0) + ' links)' : ' (' + w.state + ')')).join(', ');
      document.getElementById('events').textContent = String(status.eventsDelivered);
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
  tick(); poll();
  setInterval(tick, 1000);
  setInterval(poll, 2000);
})();
`;
