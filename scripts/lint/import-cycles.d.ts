// Types for import-cycles.js (a plain ES module, since eslint.config.js loads it without a build).
import type { ESLint } from 'eslint';

export function resolveSpecifier(fromFile: string, specifier: string): string | undefined;
export function importGraph(files: string[]): Map<string, Set<string>>;
export function cyclesOf(graph: Map<string, Set<string>>): string[][];
export function analyse(root: string): { graph: Map<string, Set<string>>; componentOf: Map<string, Set<string>> };
declare const plugin: ESLint.Plugin;
export default plugin;
