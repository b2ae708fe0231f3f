import { describeKafkaTransport } from '../../support/kafkaTransportScenarios.js';
import { kafkaMockSkipReason, startKafkaMockCluster } from '../../support/kafkaMockCluster.js';

describeKafkaTransport('Kafka transport on the librdkafka mock cluster', kafkaMockSkipReason(), () =>
  startKafkaMockCluster(1),
);
