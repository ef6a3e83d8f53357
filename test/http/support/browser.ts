/**
 * A few lines of browser: follows redirects by hand and keeps a cookie jar per host, so the
 * install flow runs over real HTTP the way a person's browser would take it.
 */
export interface Visit {
  status: number;
  url: string;
  body: string;
  headers: Headers;
  /** Every URL passed through, the first one included. */
  hops: string[];
}

export class Browser {
  /** host → cookie name → value */
  readonly jar = new Map<string, Map<string, string>>();

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)?.set(name, value);
  }

  async visit(url: string, maxHops = 5): Promise<Visit> {
    const hops: string[] = [];
    let current = url;
    for (;;) {
      hops.push(current);
      const target = new URL(current);
      const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await fetch(current, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
      for (const line of res.headers.getSetCookie()) this.store(target.host, line);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && hops.length <= maxHops) {
        await res.arrayBuffer();
        current = new URL(location, current).toString();
        continue;
      }
      return { status: res.status, url: current, body: await res.text(), headers: res.headers, hops };
    }
  }

  private store(host: string, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const at = (pair ?? '').indexOf('=');
    if (at <= 0) return;
    const name = (pair ?? '').slice(0, at).trim();
    const value = (pair ?? '').slice(at + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
    if (expired || value === '') this.jar.get(host)?.delete(name);
    else this.setCookie(host, name, value);
  }
}
