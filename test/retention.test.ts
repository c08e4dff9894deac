import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyRetention, type RetentionOptions, retentionNotes } from "../src/retention.js";
import type { Clock } from "../src/shared/clock.js";
import { createSageMakerGateway, type SageMakerGateway } from "../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../src/shared/tags.js";
import { configInput, manualClock, modelInput } from "./emulator/fixtures.js";
import { sageMakerClient } from "./emulator/sdk-client.js";
import { type Emulator, startEmulator } from "./emulator/server.js";
import { fakeClock } from "./support/fake-clock.js";
import { recordingLog, silentLog } from "./support/logs.js";

const REPOSITORY = "acme/fraud";
const ours = (repository = REPOSITORY) => [
  { Key: TAG_KEYS.repository, Value: repository },
  { Key: TAG_KEYS.deployId, Value: "3f0c6a52-0000-4000-8000-000000000000" },
];
/** The n-th derived name of endpoint `scorer`. */
const version = (n: number) => `scorer-${n.toString(16).padStart(12, "0")}`;

describe("applyRetention against the emulator", () => {
  const emulatorClock = manualClock();
  let emulator: Emulator;
  let gateway: SageMakerGateway;
  let destroy: () => void;

  beforeAll(async () => {
    emulator = await startEmulator({ now: emulatorClock.now });
    const client = sageMakerClient(emulator.url);
    gateway = createSageMakerGateway({ client });
    destroy = () => client.destroy();
  });
  afterAll(async () => {
    destroy();
    await emulator.close();
  });

  /** Deploy n of `scorer`: model and config `version(n)`, one second after the one before. */
  function seedVersion(n: number, tags = ours()) {
    emulatorClock.advance(1000);
    emulator.seed({
      models: [{ ...modelInput(version(n)), Tags: tags }],
      endpointConfigs: [{ ...configInput(version(n), version(n)), Tags: tags }],
    });
  }

  beforeEach(() => {
    emulator.reset();
    for (let n = 1; n <= 6; n += 1) seedVersion(n);
    emulator.seed({ endpoints: [{ EndpointName: "scorer", EndpointConfigName: version(6) }] });
  });

  const retain = (overrides: Partial<RetentionOptions> = {}) =>
    applyRetention({
      gateway,
      endpointName: "scorer",
      repository: REPOSITORY,
      keep: 2,
      currentConfigName: version(6),
      previousConfigName: version(5),
      clock: fakeClock(),
      log: silentLog,
      ...overrides,
    });
  const names = () => ({
    models: emulator.state().models.map((m) => m.name),
    configs: emulator.state().endpointConfigs.map((c) => c.name),
  });

  it("deletes this action's configs and models beyond the newest N, configs first", async () => {
    const result = await retain();

    expect(result.deleted).toEqual([
      `endpoint config ${version(4)}`,
      `endpoint config ${version(3)}`,
      `endpoint config ${version(2)}`,
      `endpoint config ${version(1)}`,
      `model ${version(4)}`,
      `model ${version(3)}`,
      `model ${version(2)}`,
      `model ${version(1)}`,
    ]);
    expect(names()).toEqual({
      models: [version(5), version(6)],
      configs: [version(5), version(6)],
    });
    expect(retentionNotes(2, result)).toEqual([
      `keep-versions 2 deleted older versions: ${result.deleted.join(", ")}.`,
    ]);
    expect(emulator.violations).toEqual([]);
  });

  it("keeps the previous config (a rollback's target) even when it is older than the newest N", async () => {
    await retain({ keep: 1, previousConfigName: version(2) });

    expect(names().configs).toEqual([version(2), version(6)]);
    expect(names().models).toEqual([version(2), version(6)]);
  });

  it("keeps the newest older config when the previous one is not known", async () => {
    const { previousConfigName: _, ...withoutPrevious } = {
      gateway,
      endpointName: "scorer",
      repository: REPOSITORY,
      keep: 1,
      currentConfigName: version(6),
      previousConfigName: undefined,
      clock: fakeClock(),
      log: silentLog,
    };

    await applyRetention(withoutPrevious);

    expect(names().configs).toEqual([version(5), version(6)]);
  });

  it("keeps a config another endpoint runs, and its model", async () => {
    emulator.seed({ endpoints: [{ EndpointName: "canary", EndpointConfigName: version(2) }] });

    await retain();

    expect(names().configs).toEqual([version(2), version(5), version(6)]);
    expect(names().models).toEqual([version(2), version(5), version(6)]);
  });

  it("never deletes what it cannot prove it created for this endpoint and repository", async () => {
    emulatorClock.advance(1000);
    emulator.seed({
      models: [
        modelInput(version(100)),
        { ...modelInput(version(101)), Tags: ours("acme/other") },
        { ...modelInput(`scorer-b-${"0".repeat(12)}`), Tags: ours() },
        { ...modelInput("scorer-hand-made"), Tags: ours() },
      ],
    });

    await retain({ keep: 1 });

    expect(names().models).toEqual(
      expect.arrayContaining([
        version(100),
        version(101),
        `scorer-b-${"0".repeat(12)}`,
        "scorer-hand-made",
      ]),
    );
  });

  it("deletes nothing that a second read, after the gap, no longer agrees on", async () => {
    const clock: Clock = {
      now: () => 0,
      sleep: async () => {
        // Between the two reads another endpoint starts using version 3.
        emulator.seed({ endpoints: [{ EndpointName: "late", EndpointConfigName: version(3) }] });
      },
    };

    await retain({ clock });

    expect(names().configs).toEqual([version(3), version(5), version(6)]);
    expect(names().models).toEqual([version(3), version(5), version(6)]);
  });

  it("deletes nothing when a read fails, and says so", async () => {
    emulator.failNext("ListEndpoints", {
      type: "AccessDeniedException",
      message: "not authorized",
    });
    const log = recordingLog();

    const result = await retain({ log });

    expect(result.deleted).toEqual([]);
    expect(names().configs).toHaveLength(6);
    expect(log.lines.find((l) => l.level === "warning")?.text).toMatch(
      /nothing is deleted.*not authorized/,
    );
  });

  it("keeps the model of a config it could not delete", async () => {
    emulator.failNext("DeleteEndpointConfig", { type: "ValidationException", message: "busy" });

    const result = await retain();

    expect(result.failed).toEqual([
      `endpoint config ${version(4)} (DeleteEndpointConfig '${version(4)}' failed: busy)`,
    ]);
    expect(names().models).toEqual([version(4), version(5), version(6)]);
  });

  it("leaves everything alone for an endpoint name long enough to be cut in derived names", async () => {
    const result = await retain({ endpointName: "e".repeat(51) });

    expect(result.deleted).toEqual([]);
    expect(names().configs).toHaveLength(6);
  });
});
