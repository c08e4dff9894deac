/**
 * The function's time budget: how long one invocation may wait, how far ahead a hand-off's
 * deadline may lie, and so how many continuations one hand-off can take.
 */

/** The function's timeout, Lambda's maximum; template.yaml sets the same `Timeout: 900`. */
export const FUNCTION_TIMEOUT_MS = 900_000;

/**
 * Time kept free at the end of an invocation for what follows the wait: ListTags, AddTags, the
 * dispatch with its retries, or scheduling the continuation. Lambda stops the function at its
 * timeout, and an invocation stopped there is retried.
 */
export const SAFETY_MARGIN_MS = 120_000;

/** How far ahead a continuation is scheduled; EventBridge Scheduler wants a time in the future. */
export const CONTINUATION_DELAY_MS = 60_000;

/** The action's longest `handoff-timeout` (src/inputs.ts accepts 1m to 24h). */
export const MAX_HANDOFF_TIMEOUT_MS = 24 * 3_600_000;

/**
 * Slack on top of {@link MAX_HANDOFF_TIMEOUT_MS} for a hand-off's deadline: the runner's clock
 * may run a little ahead of Lambda's, and the deadline is computed a few seconds before the
 * invoke. Ten minutes is far more than an NTP-synced runner drifts.
 */
export const DEADLINE_MARGIN_MS = 10 * 60_000;

/** The latest deadline a hand-off may carry, counted from when it arrives. */
export const MAX_DEADLINE_AHEAD_MS = MAX_HANDOFF_TIMEOUT_MS + DEADLINE_MARGIN_MS;

/**
 * The shortest hop of a chain that continues: an invocation continues only after waiting until
 * its safety margin (13 minutes of a 15-minute timeout), and the next starts a minute later.
 * Counted as 12 minutes, a minute short, for a slow start or an invocation retried late.
 */
export const MIN_HOP_MS = FUNCTION_TIMEOUT_MS - SAFETY_MARGIN_MS - 60_000;

/**
 * Upper bound on continuations of one hand-off: enough hops of {@link MIN_HOP_MS} to cover the
 * longest deadline (24 h 10 min: 121 hops), plus the hop that reports it (122). The deadline ends a
 * normal chain long before; the bound stops a forged continuation event that claims a late hop.
 */
export const MAX_HOPS = Math.ceil(MAX_DEADLINE_AHEAD_MS / MIN_HOP_MS) + 1;

/**
 * How late past its deadline a continuation may still arrive: Lambda retries a failed async
 * event for up to an hour (MaximumEventAgeInSeconds in template.yaml), plus the schedule's delay.
 * A fresh hand-off always carries a future deadline, so one already past is refused outright.
 */
export const LATE_CONTINUATION_MS = 3_600_000 + 2 * CONTINUATION_DELAY_MS;

/** The action's longest `wait-timeout` (src/inputs.ts accepts 1s to 6h). */
export const MAX_WAIT_TIMEOUT_MS = 6 * 3_600_000;

/**
 * The latest `sagemaker-deploy:deadline` tag the action writes, counted from the endpoint's
 * last change: it tags the endpoint at CreateEndpoint/UpdateEndpoint with the run's start plus
 * wait-timeout plus handoff-timeout, and LastModifiedTime only moves later.
 */
export const MAX_TAGGED_DEADLINE_AHEAD_MS =
  MAX_WAIT_TIMEOUT_MS + MAX_HANDOFF_TIMEOUT_MS + DEADLINE_MARGIN_MS;
