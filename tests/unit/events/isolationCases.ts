// Shared listener-isolation assertions, run in jsdom (SkylinkEventManager.test.ts) and in node
// (SkylinkEventManager.node.test.ts): the two EventTarget implementations report listener errors differently.
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { SkylinkLogger, type SkylinkLogHandler } from '../../../src/logger';

export function defineIsolationTests(): void {
  let handler: jest.MockedFunction<SkylinkLogHandler>;
  beforeEach(() => {
    handler = jest.fn();
    SkylinkLogger.setLevel('ERROR');
    SkylinkLogger.setHandler(handler, { console: false });
  });
  afterEach(() => {
    SkylinkLogger.setHandler(null);
    SkylinkLogger.setLevel('WARN');
  });

  test('a throwing listener does not stop later listeners nor the dispatcher, and is logged', async () => {
    const manager = new SkylinkEventManagerClass();
    const calls: string[] = [];
    manager.addEventListener('peerConnectionState', () => {
      calls.push('first');
      throw new Error('listener boom');
    });
    manager.addEventListener('peerConnectionState', (e) => calls.push(`second:${e.detail.state}`));
    expect(() =>
      manager.dispatch('peerConnectionState', { roomName: 'r', peerId: 'p', state: 'connected' }),
    ).not.toThrow();
    expect(calls).toEqual(['first', 'second:connected']);
    expect(handler).toHaveBeenCalledWith(
      'ERROR',
      'A listener of "peerConnectionState" threw',
      expect.objectContaining({ tag: 'SKYLINK EVENT' }),
      expect.objectContaining({ message: 'listener boom' }),
    );
    // Node's EventTarget would report the error on a later tick (uncaughtException) and jsdom on the
    // window: let that tick pass; jest fails the test on any uncaught error.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}
