import avro from 'avsc';

/** The magic bytes that open an Avro object container file (Avro 1.11 spec, "Object Container Files"). */
export const CONTAINER_MAGIC = Buffer.from('Obj\x01', 'latin1');

/** The header of an Avro object container file: metadata (avro.schema, avro.codec) and the sync marker. */
export interface ContainerHeader {
  readonly meta: Record<string, Buffer>;
  readonly sync: Buffer;
}

/** The Avro type of a container file's header, as the spec defines it. */
export const containerHeaderType = avro.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
});
