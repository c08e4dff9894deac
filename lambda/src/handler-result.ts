/** What the handler did with one event (returned for tests and logs; Lambda ignores it). */
export const RESULT = {
  dispatched: "dispatched",
  dispatchFailed: "dispatch-failed",
  alreadyReported: "already-reported",
  continued: "continued",
  stillWaiting: "still-waiting",
  ignored: "ignored",
  invalid: "invalid",
  refused: "refused",
} as const;

export type ResultKind = (typeof RESULT)[keyof typeof RESULT];

/** The handler's answer. */
export interface HandlerResult {
  readonly result: ResultKind;
  readonly detail?: string;
}
