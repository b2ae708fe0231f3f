#!/bin/bash
# Runs once, after the InfluxDB 2 image's first-start setup (DOCKER_INFLUXDB_INIT_MODE=setup):
# maps the bucket to a database and retention policy of the same name, so InfluxQL (what the
# soakstream Grafana dashboards speak) can read it.
set -euo pipefail
influx v1 dbrp create \
  --bucket-id "${DOCKER_INFLUXDB_INIT_BUCKET_ID}" \
  --db "${DOCKER_INFLUXDB_INIT_BUCKET}" \
  --rp autogen \
  --default \
  --org "${DOCKER_INFLUXDB_INIT_ORG}" \
  --token "${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN}"
