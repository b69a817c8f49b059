import type { ContainerConfig } from '../container-runtime.js';
import {
  argvMatches,
  matches,
  type BehaviourRule,
  type ContainerMatch,
  type FakeBehaviour,
  type FakeExecScript,
} from './fake-behaviour.js';

/** The scripts set with FakeRuntime.behave and onExec, and how often each exec answer was used. */
export class FakeScripts {
  private readonly rules: Array<{ match: ContainerMatch; rule: BehaviourRule }> = [];
  private readonly scriptUses = new WeakMap<FakeExecScript, number>();

  add(match: ContainerMatch, rule: BehaviourRule): void {
    this.rules.push({ match, rule });
  }

  /** The matching rules merged: later ones win field by field; exec scripts accumulate, later ones first. */
  behaviourOf(config: ContainerConfig): FakeBehaviour {
    const merged: FakeBehaviour = {};
    const exec: FakeExecScript[] = [];
    for (const { match, rule } of this.rules) {
      if (!matches(match, config)) continue;
      const b = typeof rule === 'function' ? rule(config) : rule;
      Object.assign(merged, b);
      exec.unshift(...(b.exec ?? []));
    }
    merged.exec = exec;
    return merged;
  }

  /** The exec answer for argv, counted as used (scripts with `times` run out). */
  takeScript(config: ContainerConfig, argv: readonly string[]): FakeExecScript | undefined {
    const script = this.behaviourOf(config).exec!.find(
      (s) => argvMatches(s, argv) && (s.times === undefined || (this.scriptUses.get(s) ?? 0) < s.times),
    );
    if (script) this.scriptUses.set(script, (this.scriptUses.get(script) ?? 0) + 1);
    return script;
  }
}
