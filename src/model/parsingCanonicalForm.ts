// Avro 1.11 specification, "Parsing Canonical Form for Schemas": the transformations are
// [PRIMITIVES], [FULLNAMES], [STRIP], [ORDER], [STRINGS], [INTEGERS] and [WHITESPACE].
// Attributes that do not affect parsing (doc, aliases, default, order, logicalType, namespace)
// are dropped, so documenting a schema never changes its fingerprint.

const primitives = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const namedTypes = new Set(['record', 'error', 'enum', 'fixed']);

function fullName(name: string, namespace: string | undefined): string {
  if (name.includes('.') || namespace === undefined || namespace === '') return name;
  return `${namespace}.${name}`;
}

function namespaceOf(fullname: string): string | undefined {
  const dot = fullname.lastIndexOf('.');
  return dot < 0 ? undefined : fullname.slice(0, dot);
}

function invalid(schema: unknown, reason: string): Error {
  return new TypeError(`not an Avro schema (${reason}): ${JSON.stringify(schema)}`);
}

function canonical(schema: unknown, namespace: string | undefined): string {
  if (typeof schema === 'string') {
    return JSON.stringify(primitives.has(schema) ? schema : fullName(schema, namespace));
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canonical(branch, namespace)).join(',')}]`;
  }
  if (typeof schema !== 'object' || schema === null) throw invalid(schema, 'expected string, array or object');
  const node = schema as Record<string, unknown>;
  const type = node['type'];
  if (typeof type !== 'string') return canonical(type, namespace);
  if (primitives.has(type)) return JSON.stringify(type);
  if (type === 'array') return `{"type":"array","items":${canonical(node['items'], namespace)}}`;
  if (type === 'map') return `{"type":"map","values":${canonical(node['values'], namespace)}}`;
  if (!namedTypes.has(type)) return JSON.stringify(fullName(type, namespace));

  const name = node['name'];
  if (typeof name !== 'string') throw invalid(schema, 'named type without a name');
  const ownNamespace = typeof node['namespace'] === 'string' ? node['namespace'] : namespace;
  const qualified = fullName(name, ownNamespace);
  const head = `{"name":${JSON.stringify(qualified)},"type":${JSON.stringify(type)}`;
  if (type === 'enum') {
    const symbols = node['symbols'];
    if (!Array.isArray(symbols)) throw invalid(schema, 'enum without symbols');
    return `${head},"symbols":[${symbols.map((symbol) => JSON.stringify(String(symbol))).join(',')}]}`;
  }
  if (type === 'fixed') return `${head},"size":${Number(node['size'])}}`;
  const fields = node['fields'];
  if (!Array.isArray(fields)) throw invalid(schema, 'record without fields');
  const inner = namespaceOf(qualified);
  const parts = fields.map((field: unknown) => {
    const { name: fieldName, type: fieldType } = field as { name?: unknown; type?: unknown };
    if (typeof fieldName !== 'string') throw invalid(schema, 'field without a name');
    return `{"name":${JSON.stringify(fieldName)},"type":${canonical(fieldType, inner)}}`;
  });
  return `${head},"fields":[${parts.join(',')}]}`;
}

/**
 * Parsing Canonical Form of a parsed Avro schema (Avro 1.11 spec, "Parsing Canonical Form for
 * Schemas"): the text whose CRC-64-AVRO is the schema fingerprint. Cost: O(size of the schema).
 */
export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema, undefined);
}
