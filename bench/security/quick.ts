// `npx tsx bench/security/quick.ts [--quick]`: the security section alone (see bench/README.md).
import { measureSecurity, SECURITY_PLANS } from './measure-security';

const t0 = Date.now();
const result = await measureSecurity(SECURITY_PLANS[process.argv.includes('--quick') ? 'quick' : 'full'], (m) => console.log(`[security bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`));
console.log(JSON.stringify(result, null, 2));
