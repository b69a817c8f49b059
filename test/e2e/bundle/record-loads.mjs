// `node --import ./record-loads.mjs …`: appends the URL of every file: module
// the process loads to $HOOKLET_TEST_LOADS, so a test can tell which files ran.
// The same file is the preload (main thread) and the loader hooks (their thread).
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function load(url, context, next) {
  if (url.startsWith('file:') && process.env.HOOKLET_TEST_LOADS) appendFileSync(process.env.HOOKLET_TEST_LOADS, `${url}\n`);
  return next(url, context);
}
