/**
 * Maps an EventBridge "SageMaker Endpoint State Change" status (`IN_SERVICE`, `ROLLING_BACK`,
 * `UPDATE_ROLLBACK_FAILED`, …) onto DescribeEndpoint's spelling (`InService`, …). The companion
 * never acts on the event's status (it confirms with DescribeEndpoint); tests use this to prove
 * the two spellings name the same table.
 */
export function statusFromEvent(eventStatus: string): string {
  if (!/^[A-Z_]+$/.test(eventStatus)) return eventStatus;
  return eventStatus
    .toLowerCase()
    .split("_")
    .filter((word) => word.length > 0)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");
}
