import { LIBRARY_PACKAGES } from '../blueprints/src/fleet-workspace';
import { importsOf, resolveRelative, sourceFiles } from './source-imports';

/**
 * Cycles known today, each listed with why it is tolerated. Remove an entry as soon as its cycle
 * is gone; never add one: break the cycle instead (move the shared piece into its own module).
 */
const KNOWN_CYCLES: readonly string[] = [
  // None. The blueprint registry (blueprint.ts imports every blueprint) is not a load-time cycle:
  // the blueprints import only its types back, which tsc drops. Issue 10 removes even that.
];

/**
 * The run-time module graph of one package: the relative `require`s of its compiled lib/ (run
 * `npx projen build:packages` first). Compiled code, not src/, because tsc drops imports used
 * only as types, and only the requires that remain can form a cycle at load time.
 */
function moduleGraph(pkg: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(`${pkg}/lib`, '.js')) {
    const targets = importsOf(file).filter((i) => !i.typeOnly && i.specifier.startsWith('.'))
      .map((i) => resolveRelative(file, i.specifier, '.js')).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one module, or a module importing itself (Tarjan). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return components;
}

describe('import cycles', () => {
  test('GIVEN two modules that import each other WHEN the graph is searched THEN the cycle is found, and an acyclic chain is not', () => {
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  test.each(LIBRARY_PACKAGES)('GIVEN the compiled modules of %s WHEN their requires are followed THEN none is part of an import cycle beyond the known ones', (pkg) => {
    const graph = moduleGraph(pkg);
    expect(graph.size).toBeGreaterThan(5);
    const unknown = cyclesOf(graph).map((c) => c.join(' -> ')).filter((c) => !KNOWN_CYCLES.includes(c));
    expect(unknown).toEqual([]);
  });
});
