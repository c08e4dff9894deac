import { run } from "./main.js";

// Exit explicitly once done: a pending signal listener or idle keep-alive socket must not hold the job.
await run();
process.exit();
