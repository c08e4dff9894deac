import { parseCliOptions, USAGE } from "./cli-options.js";
import { startEmulator } from "./server.js";

/** Exit code for flags that cannot be parsed (the usage text follows the message). */
const EXIT_USAGE = 2;
/** Exit code when the emulator cannot listen (port taken, or not allowed). */
const EXIT_LISTEN = 1;

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** One line on why the emulator could not listen on `port`; undefined for any other failure. */
function listenFailure(error: unknown, port: number): string | undefined {
  switch (errorCode(error)) {
    case "EADDRINUSE":
      return `emulator: port ${port} on 127.0.0.1 is taken (another emulator may be running); stop it or pass --port N (0 picks a free port).`;
    case "EACCES":
      return `emulator: not allowed to listen on port ${port}; pass --port N with N of 1024 or more (0 picks a free port).`;
    default:
      return undefined;
  }
}

/** `npm run emulator`: serve until SIGINT/SIGTERM; print the endpoint variable for the SDK. */
async function main(argv: readonly string[]): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    console.error(
      `emulator: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    process.exitCode = EXIT_USAGE;
    return;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator(options).catch((error: unknown) => {
    const line = listenFailure(error, options.port);
    if (line === undefined) throw error;
    console.error(line);
    process.exitCode = EXIT_LISTEN;
    return undefined;
  });
  if (!emulator) return;
  console.log(`AWS_ENDPOINT_URL_SAGEMAKER=${emulator.url}`);
  const stop = (signal: NodeJS.Signals) => {
    console.error(`emulator: ${signal}, stopping after ${emulator.requests.length} requests`);
    void emulator.close();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = EXIT_LISTEN;
});
