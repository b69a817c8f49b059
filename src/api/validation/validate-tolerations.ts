/**
 * ValidateTolerations and, for updates, validateOnlyAddedTolerations.
 */
import { forbidden, invalid, notSupported } from '../field-error.js';
import { child, index } from './field-path.js';
import { isAbsent, isObject, readList, readObject, readOptionalInt, readString, WRONG_TYPE, type Errors, type JsonObject } from './json-shape.js';
import { isQualifiedName, isValidLabelValue } from './names.js';

const OPERATORS = ['Equal', 'Exists'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTolerations(errs: Errors, raw: unknown, path: string): void {
  const list = readList(errs, raw, path);
  if (list === WRONG_TYPE) return;
  list.forEach((item, i) => {
    const idxPath = index(path, i);
    const obj = readObject(errs, item, idxPath);
    if (obj === WRONG_TYPE) return;
    const t: JsonObject = obj ?? {};
    const key = readString(errs, t.key, child(idxPath, 'key'));
    const operator = readString(errs, t.operator, child(idxPath, 'operator'));
    const value = readString(errs, t.value, child(idxPath, 'value'));
    const effect = readString(errs, t.effect, child(idxPath, 'effect'));
    const seconds = readOptionalInt(errs, t.tolerationSeconds, child(idxPath, 'tolerationSeconds'));
    if (key === WRONG_TYPE || operator === WRONG_TYPE || value === WRONG_TYPE || effect === WRONG_TYPE) return;

    if (key.length > 0) for (const msg of isQualifiedName(key)) errs.push(invalid(child(idxPath, 'key'), key, msg));
    if (key.length === 0 && operator !== 'Exists') {
      errs.push(
        invalid(child(idxPath, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
      );
    }
    if (seconds !== undefined && seconds !== WRONG_TYPE && effect !== 'NoExecute') {
      errs.push(invalid(child(idxPath, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) errs.push(invalid(child(idxPath, 'operator'), value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value.length > 0) errs.push(invalid(child(idxPath, 'operator'), value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(child(idxPath, 'operator'), operator, OPERATORS));
    }
    if (effect.length > 0 && !EFFECTS.includes(effect)) errs.push(notSupported(child(idxPath, 'effect'), effect, EFFECTS));
  });
}

function sameTolerationIgnoringSeconds(a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return isAbsent(a) && isAbsent(b);
  const str = (v: unknown): unknown => (isAbsent(v) ? '' : v);
  return (['key', 'operator', 'value', 'effect'] as const).every((k) => str(a[k]) === str(b[k]));
}

/** Existing tolerations may only gain tolerationSeconds changes; new ones may be added. */
export function validateOnlyAddedTolerations(errs: Errors, newRaw: unknown, oldRaw: unknown, path: string): void {
  const newList = Array.isArray(newRaw) ? newRaw : [];
  const oldList = Array.isArray(oldRaw) ? oldRaw : [];
  for (const old of oldList) {
    if (!newList.some((n) => sameTolerationIgnoringSeconds(old, n))) {
      errs.push(forbidden(path, 'existing toleration can not be modified except its tolerationSeconds'));
      return;
    }
  }
  validateTolerations(errs, newRaw, path);
}
