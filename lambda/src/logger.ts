import { Logger } from "@aws-lambda-powertools/logger";

/** Extra keys of one structured log line. */
export type LogAttributes = Readonly<Record<string, unknown>>;

/** The part of Powertools' Logger the core uses; tests pass a recorder. */
export interface Log {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Service name on every log line and metric, unless `POWERTOOLS_SERVICE_NAME` says otherwise. */
export const SERVICE_NAME = "sagemaker-deploy-companion";

/** The service name in use: the template sets `POWERTOOLS_SERVICE_NAME` to the function's name. */
export function serviceName(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return env.POWERTOOLS_SERVICE_NAME?.trim() || SERVICE_NAME;
}

/** The structured JSON logger of the deployed function. */
export function createLogger(): Logger {
  return new Logger({ serviceName: serviceName() });
}

/** Adapts Powertools' Logger (whose extra arguments are optional rest parameters) to {@link Log}. */
export function asLog(logger: Logger): Log {
  const level =
    (write: (message: string, ...extra: Record<string, unknown>[]) => void) =>
    (message: string, attributes?: LogAttributes) =>
      attributes ? write(message, { ...attributes }) : write(message);
  return {
    debug: level((message, ...extra) => logger.debug(message, ...extra)),
    info: level((message, ...extra) => logger.info(message, ...extra)),
    warn: level((message, ...extra) => logger.warn(message, ...extra)),
    error: level((message, ...extra) => logger.error(message, ...extra)),
  };
}
