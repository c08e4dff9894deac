import { createRequire } from "node:module";

/**
 * True when a package can be loaded. Suites that drive a real AWS client through a double run
 * only once the client is a dependency (until then the logic is tested against in-process fakes).
 */
export function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Sets environment variables for a suite; answers a function that puts the old values back. */
export function setEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
