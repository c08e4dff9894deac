import { parseCliOptions, USAGE } from "./cli-options.js";
import { startEmulator } from "./server.js";

/** `npm run emulator`: serve until SIGINT/SIGTERM; print the endpoint variable for the SDK. */
async function main(argv: readonly string[]): Promise<void> {
  const options = parseCliOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator(options);
  console.log(`AWS_ENDPOINT_URL_SAGEMAKER=${emulator.url}`);
  const stop = (signal: NodeJS.Signals) => {
    console.error(`emulator: ${signal}, stopping after ${emulator.requests.length} requests`);
    void emulator.close();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exitCode = 2;
});
