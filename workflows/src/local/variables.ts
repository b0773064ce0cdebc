/**
 * Workflow variables (`Assign`), with Step Functions' scoping rules:
 * - the top-level states share one scope;
 * - each Parallel branch and Map iteration runs in a child scope that can read the outer
 *   scopes but cannot assign a variable that an outer scope holds;
 * - a Distributed Map child execution sees no outer variables at all;
 * - a state's assignments take effect when the state completes: every expression in the state
 *   (including the other assignments of the same Assign) reads the values from state entry.
 * Source: Developer Guide, "Passing data between states with variables".
 */
import { RuntimeError } from './errors';
import { Lookup, NOT_FOUND } from './json-path';

export class VariableScope {
  /** A Map: faster to read by name than a dictionary-mode object (every expression reads variables). Values are JSON, never undefined. */
  private readonly values = new Map<string, unknown>();
  private flat: Record<string, unknown> | undefined;
  private version = 0;
  private parentVersion = -1;

  private constructor(private readonly parent: VariableScope | undefined) {}

  static root(): VariableScope {
    return new VariableScope(undefined);
  }

  /** A scope for a Parallel branch or Map iteration; `isolated` for Distributed Map children. */
  child(isolated = false): VariableScope {
    return new VariableScope(isolated ? undefined : this);
  }

  get(name: string): Lookup {
    const value = this.values.get(name);
    if (value !== undefined) return value;
    return this.parent ? this.parent.get(name) : NOT_FOUND;
  }

  private heldByOuterScope(name: string): boolean {
    for (let s = this.parent; s; s = s.parent) if (s.values.has(name)) return true;
    return false;
  }

  /** Every visible variable, inner scopes shadowing none (names are unique across scopes). */
  visible(): Record<string, unknown> {
    const pv = this.parent ? this.parent.stamp() : 0;
    if (!this.flat || this.parentVersion !== pv) {
      const flat: Record<string, unknown> = this.parent ? { ...this.parent.visible() } : {};
      for (const [k, v] of this.values) flat[k] = v;
      this.flat = flat;
      this.parentVersion = pv;
    }
    return this.flat;
  }

  private stamp(): number {
    return this.version + (this.parent ? this.parent.stamp() : 0);
  }

  /** Applies a state's assignments at once. */
  assign(stateName: string, assignments: Record<string, unknown>): void {
    for (const name in assignments) {
      if (this.heldByOuterScope(name)) {
        throw new RuntimeError(
          `State '${stateName}' cannot assign variable '${name}': it belongs to an outer scope, and a Parallel branch or Map iteration can only read outer variables`,
        );
      }
    }
    for (const name in assignments) this.values.set(name, assignments[name]);
    this.version++;
    this.flat = undefined;
  }
}
