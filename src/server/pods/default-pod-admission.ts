import { applyDefaults } from '../../api/defaults.js';
import { parseJsonDocuments } from '../../api/load/json-documents.js';
import { LoadFailure } from '../../api/load/load-error.js';
import { defaultLoadLimits } from '../../api/load/load-limits.js';
import { decodeStrict } from '../../api/load/strict-fields.js';
import { validatePod, validatePodUpdate } from '../../api/validation/index.js';
import { badRequest } from '../http/api-error.js';
import type { DecodedPod, PodAdmission } from '../server-context.js';

/** Strict decoding against the generated Pod schema (api/load), as the API server's decoder does it. */
export function decodePodJson(json: string): DecodedPod {
  let docs;
  try {
    docs = parseJsonDocuments(json, defaultLoadLimits);
  } catch (err) {
    if (err instanceof LoadFailure) throw badRequest(`couldn't get version/kind; json parse error: ${err.message}`);
    throw err;
  }
  if (docs.length !== 1 || docs[0]!.kind !== 'map') {
    throw badRequest("couldn't get version/kind; json parse error: the body is not one JSON object");
  }
  const result = decodeStrict(docs[0]!, 'Pod');
  const decoded: DecodedPod = {
    value: result.value,
    strictErrors: result.strictErrors.map((e) => `${e.kind} field ${JSON.stringify(e.path)}`),
  };
  if (result.typeError) decoded.typeError = result.typeError.message;
  return decoded;
}

/** The api/ module's decoding, defaulting and validation, as the daemon uses them. */
export function defaultPodAdmission(): PodAdmission {
  return {
    decode: decodePodJson,
    applyDefaults,
    validate: validatePod,
    validateUpdate: validatePodUpdate,
  };
}
