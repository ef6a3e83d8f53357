// An ESLint rule that reports every import closing a cycle between the repository's modules,
// type-only imports included: a cycle of types still ties the modules into one unit that cannot
// be read, tested or moved alone, and it is how `undefined as unknown as` constructions creep in.
// (eslint-plugin-import-x's no-cycle skips type-only imports, so it would miss exactly those.)
//
// The module graph is built once per process from TypeScript's own import scanner
// (`ts.preProcessFile`: imports, re-exports, `import type`, dynamic imports; no type checking),
// about a second for the whole tree; cycles are its strongly connected components.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SKIP = new Set(['node_modules', 'cdk.out', '.lifeline', '.cache', 'bench-results', '.git']);

function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(root);
  return files;
}

const isFile = (path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** A relative specifier as the bundlers and tsx resolve it here: `x`, `x.ts`, `x/index.ts`, `.js` written for `.ts`. */
export function resolveSpecifier(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts')];
  return candidates.find((candidate) => /\.(ts|mts|cts)$/.test(candidate) && isFile(candidate));
}

/** file → the files it imports (relative imports that resolve to a source file of the tree). */
export function importGraph(files) {
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName } of importedFiles) {
      const target = resolveSpecifier(file, fileName);
      if (target) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one module, or a module importing itself. */
export function cyclesOf(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (start) => {
    // Iterative, so a deep chain cannot overflow the call stack.
    const frames = [{ node: start, edges: [...(graph.get(start) ?? [])], next: 0 }];
    indexOf.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames.at(-1);
      if (frame.next < frame.edges.length) {
        const to = frame.edges[frame.next++];
        if (!graph.has(to)) continue;
        if (!indexOf.has(to)) {
          indexOf.set(to, index);
          low.set(to, index++);
          stack.push(to);
          onStack.add(to);
          frames.push({ node: to, edges: [...(graph.get(to) ?? [])], next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), indexOf.get(to)));
        }
        continue;
      }
      frames.pop();
      const parent = frames.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || graph.get(frame.node)?.has(frame.node)) cycles.push(component);
      }
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

/** The shortest way back from `from` to `to` inside one cycle, for the message. */
function pathWithin(graph, members, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === to) break;
    for (const next of graph.get(node) ?? []) {
      if (members.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  const path = [];
  for (let node = to; node !== undefined; node = previous.get(node)) path.unshift(node);
  return path;
}

const analyses = new Map();

/** The graph and its cycles for a repository root, built once per process. */
export function analyse(root) {
  let analysis = analyses.get(root);
  if (!analysis) {
    const graph = importGraph(sourceFiles(root));
    const componentOf = new Map();
    for (const cycle of cyclesOf(graph)) {
      const members = new Set(cycle);
      for (const file of cycle) componentOf.set(file, members);
    }
    analysis = { graph, componentOf };
    analyses.set(root, analysis);
  }
  return analysis;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports (type-only ones included) that close a cycle between modules' },
    messages: { cycle: 'Import cycle: {{path}}. Break it: move what both sides need into a module both import, or pass it in.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const filename = resolve(context.filename);
    // The tree whose modules form the graph: the repository root, or else where eslint runs.
    const root = resolve(context.options[0]?.root ?? context.cwd);
    const { graph, componentOf } = analyse(root);
    const members = componentOf.get(filename);
    if (!members) return {};
    const check = (node) => {
      const source = node.source;
      if (!source || typeof source.value !== 'string') return;
      const target = resolveSpecifier(filename, source.value);
      if (!target || !members.has(target)) return;
      const path = [filename, ...pathWithin(graph, members, target, filename)].map((file) => relative(root, file));
      context.report({ node, messageId: 'cycle', data: { path: path.join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { meta: { name: 'lifeline-import-cycles' }, rules: { 'no-import-cycle': rule } };
