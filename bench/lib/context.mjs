// What every case receives, and the "not ready" signal for SDK features still being built.

/** Thrown by a case whose SDK feature is not usable yet; the table shows "not ready: <reason>". */
export class NotReady extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'NotReady';
  }
}

/**
 * @param {object} o
 * @param {string} o.root repository root
 * @param {string} o.distDir snapshot of dist/ taken at the start of the run (what every case measures)
 * @param {number} o.runs repetitions per case
 * @param {Record<string, string|boolean>} o.options --key=value flags
 * @param {number} o.deadline epoch ms after which cases must stop starting new work
 * @param {object} o.machine describeMachine()
 */
export function createContext({ root, distDir, runs, options, deadline, machine }) {
  return {
    root,
    distDir,
    runs,
    options,
    machine,
    deadline,
    log: (msg) => console.log(`  ${msg}`),
    /** Throws once the run's time budget is spent, so no case can keep the bench going. */
    checkDeadline() {
      if (Date.now() > deadline) throw new Error('bench time budget exhausted');
    },
  };
}
