// Just enough XML-RPC to drive supervisord over its private unix socket
// (what supervisorctl does, without a Python start-up per call).
import { Buffer } from 'node:buffer';
import http from 'node:http';

function encode(v) {
  if (typeof v === 'boolean') return `<boolean>${v ? 1 : 0}</boolean>`;
  if (typeof v === 'number') return `<int>${v}</int>`;
  return `<string>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
}

/** Calls `method`; resolves with the raw XML answer, rejects on a fault or HTTP error. */
export function xmlRpc(socketPath, method, params = []) {
  const body =
    `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>` +
    params.map((p) => `<param><value>${encode(p)}</value></param>`).join('') +
    '</params></methodCall>';
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, path: '/RPC2', method: 'POST', headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${method}: HTTP ${res.statusCode}`));
          else if (text.includes('<fault>')) reject(new Error(`${method}: ${text}`));
          else resolve(text);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
