import type { OperatorFunction } from 'rxjs';
import { AlertStates } from '../detectors/alertStates.js';
import type { DetectorSignal } from '../detectors/detectorSignal.js';
import type { Alert } from '../model/alert.js';
import { processorOperator } from './processorOperator.js';

/** Alert life cycles per rule and series from a stream of detector signals (see AlertState). */
export const alerting = (): OperatorFunction<DetectorSignal, Alert> => processorOperator(() => new AlertStates());
