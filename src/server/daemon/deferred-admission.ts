import type { PodAdmission } from '../server-context.js';

/**
 * Pod admission (decoding, defaults, validation: the largest part of the
 * API's code) loaded after the API starts answering. `ready` is the
 * ServerContext's admissionReady: writes wait for it, so the methods are
 * only ever called once it resolved.
 */
export function deferredAdmission(load: Promise<PodAdmission>): { admission: PodAdmission; ready: Promise<void> } {
  let loaded: PodAdmission | undefined;
  const ready = load.then((a) => {
    loaded = a;
  });
  ready.catch(() => {}); // each write that waits for it fails with the error itself
  const now = (): PodAdmission => {
    if (!loaded) throw new Error('pod admission used before it was loaded (await admissionReady first)');
    return loaded;
  };
  return {
    ready,
    admission: {
      decode: (json) => now().decode(json),
      applyDefaults: (pod) => now().applyDefaults(pod),
      validate: (pod) => now().validate(pod),
      validateUpdate: (pod, old) => now().validateUpdate(pod, old),
    },
  };
}
