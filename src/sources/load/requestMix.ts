import { createRandom } from '../../stats/random.js';
import type { RequestSpec } from './requestSpec.js';

/**
 * Picks requests from a weighted mix with a seeded generator, so a run's request sequence is
 * reproducible. Validates the mix: at least one request, URLs http(s) only, weights finite and
 * positive, names unique. O(log k) per pick by binary search over cumulative weights.
 */
export function requestMix(requests: readonly RequestSpec[], seed = 1): () => RequestSpec {
  if (requests.length === 0) throw new RangeError('request mix: at least one request is needed');
  const names = new Set<string>();
  const cumulative: number[] = [];
  let total = 0;
  requests.forEach((spec, i) => {
    const weight = spec.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new RangeError(
        `request mix: requests[${i}] (${spec.name}) weight must be a positive number, got ${weight}`,
      );
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new RangeError(`request mix: requests[${i}] (${spec.name}) url is not a URL: ${JSON.stringify(spec.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new RangeError(`request mix: requests[${i}] (${spec.name}) url must be http or https, got ${url.protocol}`);
    if (names.has(spec.name))
      throw new RangeError(`request mix: request name ${JSON.stringify(spec.name)} is used twice`);
    names.add(spec.name);
    total += weight;
    cumulative.push(total);
  });
  if (requests.length === 1) {
    const only = requests[0] as RequestSpec;
    return () => only;
  }
  const random = createRandom(seed);
  return () => {
    const target = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return requests[lo] as RequestSpec;
  };
}
