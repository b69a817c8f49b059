/** A `sleep` found at the start of an exec hook's command. */
export interface ExecSleep {
  /** How long the sleep lasts (Infinity for `sleep infinity`). */
  seconds: number;
  /** The command does nothing but sleep (so the native `sleep` action can replace it). */
  only: boolean;
  /** The argument as written, e.g. `5`, `1m`. */
  text: string;
}

const shells = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;
const sleepBinary = /^(?:\/(?:usr\/)?bin\/)?sleep$/;
const units: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Recognises `["sleep", "5"]`, `["/bin/sleep", "5"]` and
 * `["sh", "-c", "sleep 5"]` (also `sleep 5 && nginx -s quit`: a leading
 * sleep that the rest of the script adds to). Arguments follow GNU sleep:
 * `5`, `2.5`, `1m`, `infinity`.
 */
export function execSleep(command: readonly unknown[] | undefined): ExecSleep | undefined {
  if (!command || command.length === 0 || !command.every((a) => typeof a === 'string')) return undefined;
  const argv = command as readonly string[];
  if (sleepBinary.test(argv[0]!) && argv.length === 2) return parse(argv[1]!, true);
  if (shells.test(argv[0]!) && argv.length === 3 && /^-[a-z]*c$/.test(argv[1]!)) {
    const m = /^\s*(?:exec\s+)?sleep\s+(\S+)\s*(?:(?:;|&&|\n)\s*([\s\S]*))?$/.exec(argv[2]!);
    if (!m) return undefined;
    const rest = (m[2] ?? '').trim();
    return parse(m[1]!.replace(/^["']|["']$/g, ''), rest === '');
  }
  return undefined;
}

function parse(arg: string, only: boolean): ExecSleep | undefined {
  if (arg === 'infinity' || arg === 'inf') return { seconds: Infinity, only, text: arg };
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  return { seconds: Number(m[1]) * units[m[2]!]!, only, text: arg };
}
