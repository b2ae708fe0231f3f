import type { Admin } from 'kafkajs';
import { createKafka } from '../../src/transport/kafka/createKafka.js';

/** Runs `use` with a connected kafkajs admin client of `brokers`, disconnecting it afterwards. */
export async function withAdmin<T>(brokers: readonly string[], use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka({ brokers: [...brokers] }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Messages in a topic: the sum of its partitions' high watermarks. */
export const messagesIn = (brokers: readonly string[], topic: string): Promise<number> =>
  withAdmin(brokers, async (admin) =>
    (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0),
  );

/** Offsets a group has committed on a topic, summed over partitions (a committed offset is the next to read). */
export const committedBy = (brokers: readonly string[], groupId: string, topic: string): Promise<number> =>
  withAdmin(brokers, async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  });

/** Whether a group has committed every message of a topic (which has some). */
export const caughtUp = async (brokers: readonly string[], groupId: string, topic: string): Promise<boolean> => {
  const high = await messagesIn(brokers, topic);
  return high > 0 && (await committedBy(brokers, groupId, topic)) >= high;
};
