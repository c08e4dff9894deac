import { classifyEvent } from "./classify-event.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { type HandlerResult, RESULT } from "./handler-result.js";
import { processHandoff } from "./process-handoff.js";
import { processStateChange } from "./state-change.js";

/** The function's core: one decision for both event kinds. Invalid events are logged, never thrown. */
export async function handleEvent(
  event: unknown,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const classified = classifyEvent(event);
  switch (classified.kind) {
    case "invalid":
      deps.logger.warn("Ignored an invalid event", { problems: classified.problems.slice(0, 20) });
      return { result: RESULT.invalid, detail: classified.problems.join("; ") };
    case "handoff":
      return processHandoff(classified.payload, classified.hop, invocation, deps);
    case "state-change":
      return processStateChange(classified, invocation, deps);
  }
}
