// Runs after `tsc -p tsconfig.bolt.json` (npm run build): the declarations tsc emits keep the
// sources' extensionless relative imports (`from './receiver'`), which a consumer resolving with
// `moduleResolution: node16`/`nodenext` (ESM) cannot follow. Each relative specifier is rewritten
// to the file it names, as ESM wants it: `./receiver.js` or `./ports/index.js` (TypeScript maps
// `.js` to the `.d.ts` beside it). A specifier that names no emitted declaration fails the build.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist/types');
const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*|\.{1,2})\2/g;

function* declarations(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* declarations(path);
    else if (name.endsWith('.d.ts')) yield path;
  }
}

function resolved(file, specifier) {
  if (/\.(m|c)?js$/.test(specifier)) return specifier;
  const base = resolve(dirname(file), specifier);
  if (existsSync(`${base}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(base, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index.js`;
  throw new Error(`${relative(process.cwd(), file)}: ${specifier} names no emitted declaration`);
}

let rewritten = 0;
for (const file of declarations(root)) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (_, head, quote, specifier) => `${head}${quote}${resolved(file, specifier)}${quote}`);
  if (next !== text) {
    writeFileSync(file, next);
    rewritten += 1;
  }
}
// stderr: `npm pack --json` runs this in prepack, and its stdout must stay JSON.
process.stderr.write(`lifeline/bolt declarations: relative imports given their .js targets in ${rewritten} files\n`);
