/**
 * Server-wide counters behind INFO stats, INFO errorstats and
 * INFO commandstats (the per-command counters live on each Command).
 */

export class Stats {
  readonly startTime = Date.now();
  connectionsReceived = 0;
  rejectedConnections = 0;
  commandsProcessed = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  errorReplies = 0;
  /** Error replies counted by their code (the first word: ERR, WRONGTYPE …). */
  readonly errorsByCode = new Map<string, number>();

  /** Counts an error reply by its code prefix. */
  recordError(text: string): void {
    this.errorReplies++;
    const sp = text.indexOf(' ');
    const code = sp === -1 ? text : text.slice(0, sp);
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.commandsProcessed = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.errorReplies = 0;
    this.errorsByCode.clear();
  }
}
