// Imported first by start.ts, so its handlers are in place before the other modules load: a Ctrl-C that early has
// nothing to stop yet and exits 0.
let onSignal = (): void => process.exit(0);
process.on('SIGINT', () => onSignal());
process.on('SIGTERM', () => onSignal());

/** What SIGINT and SIGTERM do from now on. */
export function onStopSignal(handler: () => void): void {
  onSignal = handler;
}
