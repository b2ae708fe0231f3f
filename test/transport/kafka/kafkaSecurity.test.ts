import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKafka } from '../../../src/transport/kafka/createKafka.js';
import { kafkaMockSkipReason, startKafkaMockCluster, type KafkaMockCluster } from '../../support/kafkaMockCluster.js';

const skipReason = kafkaMockSkipReason();
if (skipReason !== null) console.log(`skipping Kafka security pass-through tests: ${skipReason}`);

describe.skipIf(skipReason !== null)(
  'createKafka passes SASL options through to kafkajs (mock cluster over TCP)',
  () => {
    let cluster: KafkaMockCluster;
    beforeAll(async () => {
      cluster = await startKafkaMockCluster(1);
    });
    afterAll(async () => {
      await cluster.stop();
    });

    const listTopics = async (sasl: Parameters<typeof createKafka>[0]['sasl']): Promise<unknown> => {
      const admin = createKafka({
        brokers: cluster.brokers,
        retry: { retries: 0 },
        ...(sasl !== undefined ? { sasl } : {}),
      }).admin();
      try {
        await admin.connect();
        return await admin.listTopics();
      } catch (error) {
        return error;
      } finally {
        await admin.disconnect();
      }
    };

    test('without SASL the client connects', async () => {
      expect(Array.isArray(await listTopics(undefined))).toBe(true);
    });

    test('with SASL PLAIN the client starts the SASL handshake, which the mock broker does not implement', async () => {
      // The only way this request reaches the broker is through the sasl option given to kafkajs.
      const outcome = (await listTopics({ mechanism: 'plain', username: 'soak', password: 'secret' })) as Error;
      expect(outcome).toBeInstanceOf(Error);
      expect(outcome.name).toBe('KafkaJSServerDoesNotSupportApiKey');
    });
  },
);

describe('createKafka passes TLS options through to kafkajs', () => {
  const captured: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    socket.once('data', (chunk: Buffer) => {
      captured.push(chunk);
      socket.destroy();
    });
  });
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => {
    server.close();
  });

  test('ssl options make the client open with a TLS ClientHello naming the given server', async () => {
    const { port } = server.address() as { port: number };
    const admin = createKafka({
      brokers: [`127.0.0.1:${port}`],
      ssl: { servername: 'kafka.soak.example', rejectUnauthorized: true },
      retry: { retries: 0 },
    }).admin();
    await expect(admin.connect()).rejects.toThrow();
    await admin.disconnect();
    const hello = captured[0] as Buffer;
    expect(hello[0]).toBe(0x16); // TLS record type: handshake
    expect(hello[5]).toBe(0x01); // handshake type: ClientHello
    expect(hello.includes(Buffer.from('kafka.soak.example'))).toBe(true); // SNI extension
  });
});
