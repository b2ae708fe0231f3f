import { KafkaContainer } from '@testcontainers/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { dockerSkipReason } from '../../support/dockerSkipReason.js';
import { describeKafkaTransport } from '../../support/kafkaTransportScenarios.js';

// The same scenarios against real Apache Kafka (KRaft, single node) where Docker is available.
describeKafkaTransport('Kafka transport on Apache Kafka in a container', dockerSkipReason(), async () => {
  const container = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
  const brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  return {
    brokers,
    createTopic: async (name, partitions) => {
      await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
    },
    stop: async () => {
      await admin.disconnect();
      await container.stop();
    },
  };
});
