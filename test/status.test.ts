import { describe, expect, it } from "vitest";
import {
  FAILED_STATUSES,
  judgeEndpoint,
  judgeSettled,
  TRANSITIONAL_STATUSES,
} from "../src/shared/status.js";
import { statusFromEvent } from "./support/event-status.js";

const EXPECTED = "churn-model-0a1b2c3d4e5f";
const PREVIOUS = "churn-model-99aa88bb77cc";

describe("judgeEndpoint", () => {
  it.each(["Creating", "Updating", "SystemUpdating", "RollingBack"])(
    "keeps waiting while the endpoint is %s",
    (status) => {
      // prepare
      const endpoint = { EndpointStatus: status, EndpointConfigName: EXPECTED };

      // act
      const verdict = judgeEndpoint(endpoint, EXPECTED);

      // assess
      expect(verdict).toEqual({ kind: "waiting", status });
    },
  );

  it("succeeds when the endpoint is InService on the config this deploy put there", () => {
    // prepare
    const endpoint = { EndpointStatus: "InService", EndpointConfigName: EXPECTED };

    // act
    const verdict = judgeEndpoint(endpoint, EXPECTED);

    // assess
    expect(verdict).toEqual({ kind: "success", status: "InService" });
  });

  it("fails with 'update rolled back' and SageMaker's reason when InService on another config", () => {
    // prepare
    const endpoint = {
      EndpointStatus: "InService",
      EndpointConfigName: PREVIOUS,
      FailureReason: "Alarm p99-latency went into ALARM during the canary step.",
    };

    // act
    const verdict = judgeEndpoint(endpoint, EXPECTED);

    // assess
    expect(verdict.kind).toBe("failure");
    const reason = verdict.kind === "failure" ? verdict.reason : "";
    expect(reason).toMatch(/^update rolled back/);
    expect(reason).toContain("Alarm p99-latency went into ALARM during the canary step.");
    expect(reason).toContain(PREVIOUS);
    expect(reason).toContain(EXPECTED);
  });

  it("still says 'update rolled back' when SageMaker gives no FailureReason", () => {
    // prepare
    const endpoint = { EndpointStatus: "InService", EndpointConfigName: PREVIOUS };

    // act
    const verdict = judgeEndpoint(endpoint, EXPECTED);

    // assess
    expect(verdict).toMatchObject({ kind: "failure", status: "InService" });
    expect(verdict.kind === "failure" && verdict.reason).toMatch(/^update rolled back/);
  });

  it.each([
    {
      status: "Failed",
      reason:
        "The primary container for production variant AllTraffic did not pass the ping health check.",
    },
    { status: "UpdateRollbackFailed", reason: "Rollback failed: capacity unavailable." },
    { status: "OutOfService", reason: "Instance ml.g5.xlarge is out of capacity." },
    { status: "Deleting", reason: "Someone deleted the endpoint." },
  ])("fails with the FailureReason when the endpoint is $status", ({ status, reason }) => {
    // prepare
    const endpoint = {
      EndpointStatus: status,
      EndpointConfigName: EXPECTED,
      FailureReason: reason,
    };

    // act
    const verdict = judgeEndpoint(endpoint, EXPECTED);

    // assess
    expect(verdict).toEqual({ kind: "failure", status, reason });
  });

  it.each(["Failed", "UpdateRollbackFailed", "OutOfService", "Deleting"])(
    "fails naming the status when the endpoint is %s without a FailureReason",
    (status) => {
      // prepare
      const endpoint = {
        EndpointStatus: status,
        EndpointConfigName: EXPECTED,
        FailureReason: "  ",
      };

      // act
      const verdict = judgeEndpoint(endpoint, EXPECTED);

      // assess
      expect(verdict.kind).toBe("failure");
      expect(verdict.kind === "failure" && verdict.reason).toContain(status);
    },
  );

  it.each([
    { EndpointStatus: "Migrating", EndpointConfigName: EXPECTED },
    { EndpointStatus: "Scaling", EndpointConfigName: PREVIOUS },
    { EndpointConfigName: EXPECTED },
  ])("keeps waiting on a status it does not know yet: %j", (endpoint) => {
    // prepare: a status SageMaker may add later (the deadline bounds the wait)

    // act
    const verdict = judgeEndpoint(endpoint, EXPECTED);

    // assess
    expect(verdict.kind).toBe("waiting");
  });
});

describe("judgeSettled", () => {
  it.each(["Creating", "Updating", "SystemUpdating", "RollingBack"])(
    "waits while someone else's operation is %s",
    (status) => {
      // prepare
      const endpoint = { EndpointStatus: status };

      // act
      const verdict = judgeSettled(endpoint);

      // assess
      expect(verdict).toEqual({ kind: "waiting", status });
    },
  );

  it.each(["InService", "Failed", "OutOfService", "UpdateRollbackFailed", "Deleting"])(
    "is settled once the endpoint is %s, whatever its config",
    (status) => {
      // prepare
      const endpoint = { EndpointStatus: status, EndpointConfigName: PREVIOUS };

      // act
      const verdict = judgeSettled(endpoint);

      // assess
      expect(verdict).toEqual({ kind: "success", status });
    },
  );
});

describe("statusFromEvent", () => {
  it.each([
    { event: "IN_SERVICE", status: "InService" },
    { event: "UPDATE_ROLLBACK_FAILED", status: "UpdateRollbackFailed" },
    { event: "SYSTEM_UPDATING", status: "SystemUpdating" },
    { event: "ROLLING_BACK", status: "RollingBack" },
    { event: "OUT_OF_SERVICE", status: "OutOfService" },
    { event: "CREATING", status: "Creating" },
    { event: "UPDATING", status: "Updating" },
    { event: "FAILED", status: "Failed" },
    { event: "DELETING", status: "Deleting" },
  ])("maps EventBridge's $event onto DescribeEndpoint's $status", ({ event, status }) => {
    // prepare: the detail.EndpointStatus of a "SageMaker Endpoint State Change" event

    // act
    const mapped = statusFromEvent(event);

    // assess
    expect(mapped).toBe(status);
  });

  it.each([...TRANSITIONAL_STATUSES, ...FAILED_STATUSES, "InService"])(
    "gives the same verdict for %s whether it came from an event or DescribeEndpoint",
    (status) => {
      // prepare
      const event = status.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();

      // act
      const fromEvent = judgeEndpoint(
        { EndpointStatus: statusFromEvent(event), EndpointConfigName: EXPECTED },
        EXPECTED,
      );

      // assess
      expect(fromEvent).toEqual(
        judgeEndpoint({ EndpointStatus: status, EndpointConfigName: EXPECTED }, EXPECTED),
      );
    },
  );
});
