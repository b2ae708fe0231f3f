import { readFileSync } from 'node:fs';
import avro from 'avsc';
import type { Type } from 'avsc';
import { UnknownSchemaError } from './errors.js';
import { parsingCanonicalForm } from './parsingCanonicalForm.js';
import { rabinFingerprint } from './rabinFingerprint.js';

/** Names of the schemas shipped in src/model/schemas (file name without `.avsc`). */
export type SchemaName =
  'sample.v1' | 'sampleBatch.v1' | 'stat.v1' | 'alert.v1' | 'stat.v2' | 'alert.v2' | 'alert.v3' | 'alert.v4';

/** The versioned schemas every process knows, in a fixed order. */
export const SCHEMA_NAMES: readonly SchemaName[] = [
  'sample.v1',
  'sampleBatch.v1',
  'stat.v1',
  'alert.v1',
  'stat.v2',
  'alert.v2',
  'alert.v3',
  'alert.v4',
];

/**
 * The schemas written now: stats and alerts carry the metric kind since version 2, alerts their
 * estimated onset and resolve reason since version 3, the recovery kind since version 4; earlier
 * versions are still read.
 */
export const CURRENT_SCHEMA = { stat: 'stat.v2', alert: 'alert.v4' } as const;

/** One schema with its avsc type and its Avro fingerprint. */
export interface RegisteredSchema {
  readonly name: string;
  /** The schema as parsed from its .avsc JSON (the single source of truth). */
  readonly schema: unknown;
  readonly type: Type;
  /** Parsing Canonical Form (Avro 1.11 spec) that the fingerprint is computed on. */
  readonly canonicalForm: string;
  /** CRC-64-AVRO of the canonical form, unsigned. */
  readonly fingerprint: bigint;
  /** The fingerprint as 16 lower-case hex digits, for messages and logs. */
  readonly fingerprintHex: string;
}

/**
 * Reads one shipped .avsc file next to this module (src/model/schemas or dist/model/schemas). Cost:
 * one small file read.
 */
export function loadSchemaFile(name: SchemaName): unknown {
  return JSON.parse(readFileSync(new URL(`./schemas/${name}.avsc`, import.meta.url), 'utf8'));
}

/**
 * Avro types of soakstream keyed by name and by CRC-64-AVRO fingerprint (Avro 1.11 spec,
 * "Single object encoding" needs the lookup by fingerprint). Lookups cost O(1).
 */
export class SchemaRegistry {
  private readonly named = new Map<string, RegisteredSchema>();
  private readonly fingerprinted = new Map<bigint, RegisteredSchema>();
  private readonly typed = new WeakMap<Type, RegisteredSchema>();

  /**
   * Adds a schema; `ts`-style logical types stay plain longs (no logical type is registered with
   * avsc). Cost: O(schema size).
   */
  register(name: string, schema: unknown): RegisteredSchema {
    if (this.named.has(name)) throw new TypeError(`schema ${name} is already registered`);
    const canonicalForm = parsingCanonicalForm(schema);
    const fingerprint = rabinFingerprint(canonicalForm);
    const clash = this.fingerprinted.get(fingerprint);
    if (clash !== undefined) throw new TypeError(`schema ${name} has the same canonical form as ${clash.name}`);
    const type = avro.Type.forSchema(schema as avro.Schema);
    const entry: RegisteredSchema = {
      name,
      schema,
      type,
      canonicalForm,
      fingerprint,
      fingerprintHex: fingerprint.toString(16).padStart(16, '0'),
    };
    this.named.set(name, entry);
    this.fingerprinted.set(fingerprint, entry);
    this.typed.set(type, entry);
    return entry;
  }

  /** The schema registered under `name`; throws UnknownSchemaError when there is none. O(1). */
  get(name: string): RegisteredSchema {
    const entry = this.named.get(name);
    if (entry === undefined) throw new UnknownSchemaError(`no schema named ${name}`, { schema: name });
    return entry;
  }

  /** The schema with this unsigned CRC-64-AVRO fingerprint, if any. O(1). */
  byFingerprint(fingerprint: bigint): RegisteredSchema | undefined {
    return this.fingerprinted.get(fingerprint);
  }

  /** The entry whose avsc type is exactly `type`, if it was created by this registry. O(1). */
  byType(type: Type): RegisteredSchema | undefined {
    return this.typed.get(type);
  }

  /** Names of all registered schemas, in registration order. O(n). */
  names(): string[] {
    return [...this.named.keys()];
  }
}

let shared: SchemaRegistry | undefined;

/** The process-wide registry of the shipped schemas, loaded on first use. Cost: one file read per schema, once. */
export function defaultSchemaRegistry(): SchemaRegistry {
  if (shared === undefined) {
    const registry = new SchemaRegistry();
    for (const name of SCHEMA_NAMES) registry.register(name, loadSchemaFile(name));
    shared = registry;
  }
  return shared;
}
