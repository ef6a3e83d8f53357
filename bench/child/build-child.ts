import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../.cache/bench-child/', import.meta.url));

/**
 * The memory child, compiled the way the worker image is (`Dockerfile`: esbuild, bundled,
 * minified), so the bench weighs what is deployed. Run through the `tsx` loader instead, every
 * closure our code creates carries a `name` property (esbuild's keepNames), about 1 KB per link
 * that production does not pay. npm packages stay external: the peers load from `node_modules`
 * exactly as they ship. Output is split per dynamic import, so the child still loads only the
 * system it measures.
 */
export async function buildMemoryChild(): Promise<string> {
  await build({
    entryPoints: { 'memory-child': ENTRY },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    minify: true,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  return `${OUT_DIR}memory-child.mjs`;
}
