/**
 * apimachinery's field.Path rendering: `.child`, `[index]`, `[key]` (keys unquoted).
 */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}
