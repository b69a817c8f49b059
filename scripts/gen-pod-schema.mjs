#!/usr/bin/env node
// Generates src/api/load/pod-schema.ts: the tree of field names (and their JSON
// shapes) that the API server knows for a core/v1 Pod and PodList. The loader
// uses it to reject unknown fields and mistyped values the way the API
// server's strict decoding does.
//
// Source: the published `kubernetes-types` declarations (1.30), read with the
// TypeScript compiler API, plus the hand-written FIELDS_AFTER_1_30 table below
// for fields added in 1.31–1.34. Integer widths (int32/int64) are not in the
// .d.ts files; they come from the OpenAPI formats carried by the
// @kubernetes/client-node models (a devDependency generated from 1.34).
//
// Run with `npm run gen:schema`; the output is checked in. `--check` only
// compares it with what would be written.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import ts from 'typescript';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const typesDir = dirname(require.resolve('kubernetes-types/package.json'));
const typesVersion = JSON.parse(readFileSync(join(typesDir, 'package.json'), 'utf8')).version;
const clientModels = await import(join(repo, 'node_modules/@kubernetes/client-node/dist/gen/models/all.js'));

/**
 * Fields newer than kubernetes-types 1.30, by the release that added them to
 * the core/v1 Go types. Alpha fields count: the API server's decoder knows a
 * field whatever its feature gate, so strict decoding accepts them.
 * Values use the schema's type codes (see the header of the generated file).
 */
const FIELDS_AFTER_1_30 = {
  // 1.31
  ResourceClaim: { request: 'string' }, // container resources.claims[] (DRA)
  PodResourceClaim: { resourceClaimName: 'string', resourceClaimTemplateName: 'string' },
  PodSecurityContext: { supplementalGroupsPolicy: 'string', seLinuxChangePolicy: 'string' /* 1.32 */ },
  Volume: { image: 'ImageVolumeSource' },
  ImageVolumeSource: { reference: 'string', pullPolicy: 'string' },
  ContainerStatus: {
    allocatedResourcesStatus: '[]ResourceStatus',
    user: 'ContainerUser',
    stopSignal: 'string', // 1.33, KEP-4960
  },
  ResourceStatus: { name: 'string', resources: '[]ResourceHealth' },
  ResourceHealth: { resourceID: 'string', health: 'string' },
  ContainerUser: { linux: 'LinuxContainerUser' },
  LinuxContainerUser: { uid: 'int64', gid: 'int64', supplementalGroups: '[]int64' },
  // 1.32: pod-level resources (KEP-2837)
  PodSpec: { resources: 'ResourceRequirements', hostnameOverride: 'string' /* 1.34 */ },
  // 1.33: container stop signals (KEP-4960), observedGeneration on pod status
  Lifecycle: { stopSignal: 'string' },
  PodStatus: { observedGeneration: 'int64', extendedResourceClaimStatus: 'PodExtendedResourceClaimStatus' /* 1.34 */ },
  PodCondition: { observedGeneration: 'int64' },
  // 1.34
  Container: { restartPolicyRules: '[]ContainerRestartRule' },
  EphemeralContainer: { restartPolicyRules: '[]ContainerRestartRule' },
  ContainerRestartRule: { action: 'string', exitCodes: 'ContainerRestartRuleOnExitCodes' },
  ContainerRestartRuleOnExitCodes: { operator: 'string', values: '[]int32' },
  EnvVarSource: { fileKeyRef: 'FileKeySelector' },
  FileKeySelector: { volumeName: 'string', path: 'string', key: 'string', optional: 'bool' },
  VolumeProjection: { podCertificate: 'PodCertificateProjection' },
  PodCertificateProjection: {
    signerName: 'string',
    keyType: 'string',
    maxExpirationSeconds: 'int32',
    credentialBundlePath: 'string',
    keyPath: 'string',
    certificateChainPath: 'string',
  },
  PodExtendedResourceClaimStatus: { requestMappings: '[]ContainerExtendedResourceRequest', resourceClaimName: 'string' },
  ContainerExtendedResourceRequest: { containerName: 'string', resourceName: 'string', requestName: 'string' },
};

/** Fields removed after 1.30 (the API server no longer decodes them). */
const FIELDS_REMOVED_AFTER_1_30 = {
  PodResourceClaim: ['source'], // 1.31: replaced by resourceClaimName / resourceClaimTemplateName
};

const interfaces = new Map();
for (const file of ['core/v1.d.ts', 'meta/v1.d.ts']) {
  const text = readFileSync(join(typesDir, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  sf.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
}

function intFormat(structName, field) {
  const model = clientModels[`V1${structName}`];
  const attr = model?.attributeTypeMap?.find((a) => a.baseName === field);
  if (attr?.format === 'int32' || attr?.format === 'int64') return attr.format;
  if (attr?.format === 'double') return 'float64';
  // Go API integers without an OpenAPI format do not exist in core/v1; int64 is the safe width.
  return 'int64';
}

/** Maps a property's declared TypeScript type to a schema type code. */
function typeCode(node, structName, field) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.LiteralType:
      return 'string';
    case ts.SyntaxKind.BooleanKeyword:
      return 'bool';
    case ts.SyntaxKind.NumberKeyword:
      return intFormat(structName, field);
    case ts.SyntaxKind.ArrayType:
      return `[]${typeCode(node.elementType, structName, field)}`;
    case ts.SyntaxKind.UnionType: {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        return 'intOrString';
      }
      throw new Error(`${structName}.${field}: unsupported union`);
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
      if (!index || node.members.length !== 1) throw new Error(`${structName}.${field}: unsupported type literal`);
      return `map[string]${typeCode(index.type, structName, field)}`;
    }
    case ts.SyntaxKind.TypeReference: {
      const name = node.typeName.getText();
      if (name === 'Array') return `[]${typeCode(node.typeArguments[0], structName, field)}`;
      if (name === 'Quantity') return 'quantity';
      if (name === 'Time' || name === 'MicroTime') return 'time';
      if (name === 'FieldsV1' || name === 'RawExtension') return 'any';
      if (interfaces.has(name)) return name;
      throw new Error(`${structName}.${field}: unknown type ${name}`);
    }
    default:
      throw new Error(`${structName}.${field}: unsupported type syntax ${ts.SyntaxKind[node.kind]}`);
  }
}

const schema = {};
function structOf(code) {
  const m = /^(?:\[\]|map\[string\])*([A-Z]\w*)$/.exec(code);
  return m ? m[1] : undefined;
}
function visit(name) {
  if (schema[name]) return;
  const fields = {};
  schema[name] = fields;
  const iface = interfaces.get(name);
  if (iface) {
    for (const member of iface.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      fields[member.name.getText().replace(/^"|"$/g, '')] = typeCode(member.type, name, member.name.getText());
    }
  } else if (!FIELDS_AFTER_1_30[name]) {
    throw new Error(`no declaration for ${name}`);
  }
  for (const removed of FIELDS_REMOVED_AFTER_1_30[name] ?? []) delete fields[removed];
  Object.assign(fields, FIELDS_AFTER_1_30[name] ?? {});
  for (const code of Object.values(fields)) {
    const ref = structOf(code);
    if (ref) visit(ref);
  }
}
visit('Pod');
visit('PodList');

const sorted = Object.fromEntries(
  Object.keys(schema)
    .sort()
    .map((k) => [k, Object.fromEntries(Object.keys(schema[k]).sort().map((f) => [f, schema[k][f]]))]),
);

const out = `// Generated by scripts/gen-pod-schema.mjs (npm run gen:schema) from
// kubernetes-types ${typesVersion} plus the fields added in Kubernetes 1.31–1.34.
// Do not edit by hand: change the script and regenerate.
//
// Each struct maps its JSON field names to a type code:
//   string | bool | int32 | int64 | float64   JSON scalars (Go type of the same name)
//   quantity                                   resource.Quantity (string or number)
//   intOrString                                intstr.IntOrString (int32 or string)
//   time                                       metav1.Time (RFC 3339 string)
//   any                                        free-form JSON (FieldsV1, RawExtension)
//   []<code> / map[string]<code>               lists and string-keyed maps
//   <StructName>                               another struct in this table

/** Field tables of the core/v1 and meta/v1 structs reachable from Pod and PodList. */
export const podSchema: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(sorted, null, 2)};
`;
const target = join(repo, 'src/api/load/pod-schema.ts');
if (process.argv.includes('--check')) {
  // Used by the tests: the checked-in file must be what the script produces.
  if (readFileSync(target, 'utf8') !== out) {
    console.error(`${target} is stale: run npm run gen:schema`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, out);
  console.log(`wrote ${target}: ${Object.keys(sorted).length} structs`);
}
