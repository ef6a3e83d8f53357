export const PAGE_STYLE = `
:root { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1d1c1d; background: #f8f8f8; }
body { margin: 0 auto; max-width: 1200px; padding: 16px 24px; }
header { display: flex; align-items: center; justify-content: space-between; }
h1 { margin: 0; font-size: 28px; } h2 { font-size: 16px; margin: 8px 0; }
.add-to-slack { background: #4a154b; color: #fff; padding: 10px 18px; border-radius: 6px; text-decoration: none; font-weight: 600; }
.banner { margin: 12px 0; padding: 8px 12px; border-radius: 6px; }
.banner.sim { background: #fff4d6; border: 1px solid #e8c35a; } .banner.real { background: #e3f4ea; border: 1px solid #6cbf8a; }
.counts { display: flex; gap: 12px; margin: 12px 0; }
.count { flex: 1; background: #fff; border-radius: 8px; padding: 12px; border-top: 4px solid #999; box-shadow: 0 1px 2px #0002; }
.count .n { display: block; font-size: 32px; font-weight: 700; } .count .label { color: #555; }
.count.open { border-color: #2eb67d; } .count.connecting { border-color: #36c5f0; } .count.backoff { border-color: #ecb22e; }
.count.inactive { border-color: #888; } .count.revoked { border-color: #e01e5a; }
.live { color: #555; font-size: 14px; } #live-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #2eb67d; }
main { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; }
table { width: 100%; border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; } td.id { font-family: ui-monospace, monospace; }
.pill { padding: 1px 8px; border-radius: 10px; font-size: 12px; color: #fff; background: #888; }
.pill.open { background: #2eb67d; } .pill.connecting { background: #36c5f0; } .pill.backoff { background: #ecb22e; color: #1d1c1d; } .pill.revoked { background: #e01e5a; }
#feed { list-style: none; padding: 0; margin: 0; font-size: 13px; background: #fff; max-height: 640px; overflow: auto; }
#feed li { padding: 3px 8px; border-bottom: 1px solid #f0f0f0; } #feed li.note { background: #fffaf0; }
#feed time { color: #888; font-family: ui-monospace, monospace; }
.charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 12px 0; }
.chart { margin: 0; background: #fff; border-radius: 8px; padding: 8px 12px; box-shadow: 0 1px 2px #0002; }
.chart figcaption { font-size: 13px; font-weight: 600; } .chart .scale, .chart .legend { font-weight: 400; color: #666; font-size: 12px; }
.chart svg { width: 100%; height: 80px; display: block; background: #fafafa; }
.chart .axis { display: flex; justify-content: space-between; font-size: 11px; color: #888; }
.key { display: inline-block; width: 9px; height: 9px; margin: 0 3px 0 6px; background: #999; }
.key.connecting { background: #36c5f0; } .key.open { background: #2eb67d; } .key.backoff { background: #ecb22e; } .key.revoked { background: #e01e5a; }
`;
