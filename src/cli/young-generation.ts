import { setFlagsFromString } from 'node:v8';

/**
 * Stops V8's young generation from growing past its size at the call, as
 * `--max-semi-space-size=1` on the bin's shebang did before: it keeps the
 * daemon with 500 pods under 100 MiB resident (bench figure 5).
 *
 * At run time because a V8 flag on the command line makes Node reject the
 * code cache of its built-in modules (~35 ms more per daemon start). A flag
 * set at run time does the same to the built-ins loaded after it, so the
 * long-running commands call this once their code is loaded. V8 reads the
 * growth factor each time it would grow the young generation; 1 means "no
 * larger".
 */
export function capYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
