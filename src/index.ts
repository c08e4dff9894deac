import { run } from "./main.js";
import { createRunnerDependencies } from "./runner.js";

// Exit explicitly once done: a pending signal listener or idle keep-alive socket must not hold the job.
await run(createRunnerDependencies());
process.exit();
