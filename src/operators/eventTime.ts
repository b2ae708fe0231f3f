import type { OperatorFunction } from 'rxjs';
import { checkedLateness, checkedMaxAhead, EventTimeOrder, type EventTimeOptions } from '../analysis/eventTimeOrder.js';
import type { Sample } from '../model/sample.js';
import { processorOperator } from './processorOperator.js';

/**
 * Puts a sample stream into event-time order, dropping late samples and quarantining those too
 * far ahead (see EventTimeOrder).
 */
export function eventTime(options: EventTimeOptions = {}): OperatorFunction<Sample, Sample> {
  checkedLateness(options); // now, not at subscription
  checkedMaxAhead(options);
  return processorOperator(() => new EventTimeOrder(options));
}
