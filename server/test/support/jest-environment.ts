/**
 * Jest's node environment plus one step when a test file ends, after its last `afterAll` (circus's `run_finish` event,
 * while the file's modules can still load): close whatever the file left running (support/test-resources.ts),
 * including a server whose start finished after its hook timed out. Without this, such a server held the process
 * open and `npm test` hung after its summary on a loaded machine.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import NodeEnvironment from 'jest-environment-node';
import type { sweepTestResources } from './test-resources';

/** How long to wait, once the file has ended, for a start still under way (migrations on a loaded machine). */
const START_GRACE_MS = 120_000;

export default class ByokTestEnvironment extends NodeEnvironment {
  private readonly testPath: string;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async handleTestEvent(event: { name: string }): Promise<void> {
    if (event.name !== 'run_finish') return;
    const sweep = (this.global as { __byokSweepTestResources?: typeof sweepTestResources }).__byokSweepTestResources;
    if (sweep) {
      const report = await sweep(START_GRACE_MS);
      const lines = [
        ...report.closedLate.map((label) => `closed ${label}, which finished starting after the file had ended`),
        ...report.closed.map((label) => `closed ${label}, which the file left open`),
        ...(report.stillStarting > 0 ? [`${report.stillStarting} start(s) still under way after ${START_GRACE_MS} ms; each closes itself if it finishes`] : []),
        ...report.errors.map((error) => `closing failed: ${error}`),
      ];
      if (lines.length > 0) process.stderr.write(`\n[byok tests] ${this.testPath}:\n  ${lines.join('\n  ')}\n`);
    }
  }
}
