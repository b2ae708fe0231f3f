/*
 * Kafka-protocol test broker: librdkafka's mock cluster (rdkafka_mock.h), the in-process cluster
 * librdkafka's own test suite uses, served on 127.0.0.1 ports. Prints the bootstrap list, then
 * reads commands on stdin, one per line, answering "ok" or "error <reason>":
 *   topic <name> <partitions>   create a topic (replication 1)
 *   down <broker-id>            close a broker's listener
 *   up <broker-id>              reopen it
 *   delay <broker-id> <api-key> <ms>
 *                               answer that broker's next request of that type (e.g. JoinGroup = 11) <ms> late
 * Exits when stdin closes, so it never outlives the process that started it.
 * Build: gcc -O2 -o mock-cluster mockCluster.c -lrdkafka
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "config: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (rk == NULL) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (cluster == NULL) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    return 1;
  }
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[1024];
  while (fgets(line, sizeof line, stdin) != NULL) {
    char name[512];
    int number = 0, api = 0, ms = 0;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (sscanf(line, "delay %d %d %d", &number, &api, &ms) == 3) {
      err = rd_kafka_mock_broker_push_request_error_rtts(cluster, number, (int16_t)api, 1, RD_KAFKA_RESP_ERR_NO_ERROR,
                                                         ms);
    } else if (sscanf(line, "topic %511s %d", name, &number) == 2) {
      err = rd_kafka_mock_topic_create(cluster, name, number, 1);
    } else if (sscanf(line, "down %d", &number) == 1) {
      err = rd_kafka_mock_broker_set_down(cluster, number);
    } else if (sscanf(line, "up %d", &number) == 1) {
      err = rd_kafka_mock_broker_set_up(cluster, number);
    } else {
      printf("error unknown command\n");
      fflush(stdout);
      continue;
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) printf("ok\n");
    else printf("error %s\n", rd_kafka_err2str(err));
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
