import { constants } from 'node:os';

const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(constants.signals)) {
  // SIGIOT/SIGPOLL/SIGPWR alias other numbers; keep the first, canonical name.
  if (!byNumber.has(num)) byNumber.set(num, name as NodeJS.Signals);
}

/** The name of a signal number on this platform (undefined for 0 or unknown). */
export function signalName(num: number): NodeJS.Signals | undefined {
  return num > 0 ? byNumber.get(num) : undefined;
}

/** The number of a signal name; throws for a name this platform lacks. */
export function signalNumber(name: NodeJS.Signals): number {
  const num = constants.signals[name];
  if (num === undefined) throw new Error(`unknown signal ${name}`);
  return num;
}
