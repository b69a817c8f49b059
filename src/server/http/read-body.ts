import { createRequire } from 'node:module';
import { badRequest } from './api-error.js';
import type { ApiRequest } from './api-request.js';
import { parseMediaType } from './media-type.js';

/**
 * The request body as a JSON object. kubectl and client-node send JSON;
 * YAML is accepted for curl users. Errors read as the API server's decoder's.
 */
export function readObjectBody(req: ApiRequest): Record<string, unknown> {
  const value = readBody(req);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  }
  return value as Record<string, unknown>;
}

export function readBody(req: ApiRequest): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return {};
  const type = parseMediaType(req.headers['content-type']).type;
  if (type.endsWith('yaml')) {
    try {
      // `yaml` loads only for YAML bodies (kubectl sends JSON), keeping it off the daemon's start.
      const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
      return parse(text) as unknown;
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/**
 * The body as JSON text for the strict decoder, which needs the original
 * document (duplicate keys included). YAML bodies are converted first.
 */
export function bodyJson(req: ApiRequest): string {
  const type = parseMediaType(req.headers['content-type']).type;
  if (type.endsWith('yaml')) return JSON.stringify(readBody(req));
  const text = req.body.toString('utf8');
  return text.trim() === '' ? '{}' : text;
}
