import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './provisioning.js';

// Writes grafana/dashboards/*.json and grafana/provisioning/alerting/soakstream.yaml.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [path, text] of Object.entries(generatedFiles())) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote grafana/${path} (${text.length.toLocaleString('en-US')} bytes)`);
}
