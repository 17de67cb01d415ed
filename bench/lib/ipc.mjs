// A forked Node process that answers { id, cmd, ... } requests over IPC, with timeouts everywhere.
import { fork } from 'node:child_process';

/**
 * Forks `script` and waits for its first `{ ready: true, ... }` message.
 * @returns {Promise<{ child, ready: object, call(cmd: string, payload?: object, ms?: number): Promise<object>, kill(): void, exited(): boolean }>}
 */
export async function forkService(script, args, { name, execArgv = [], cwd, startTimeoutMs = 20_000 } = {}) {
  const child = fork(script, args, { cwd, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 1;
  const pending = new Map();
  let exited = false;
  child.on('message', (m) => {
    const p = m && m.id !== undefined ? pending.get(m.id) : undefined;
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`${name}: ${m.error}`));
    else p.resolve(m);
  });
  child.on('exit', () => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`${name} process exited`));
    pending.clear();
  });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start in ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.on('message', function onReady(m) {
      if (m?.ready) {
        clearTimeout(timer);
        child.off('message', onReady);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  const call = (cmd, payload = {}, ms = 10_000) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${name} process is gone`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: no answer to ${cmd} in ${ms} ms`));
      }, ms);
      pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      child.send({ ...payload, id, cmd });
    });
  return {
    child,
    ready,
    call,
    exited: () => exited,
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
