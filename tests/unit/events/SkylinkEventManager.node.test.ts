/**
 * @jest-environment node
 */
import { defineIsolationTests } from './isolationCases';

describe('SkylinkEventManager in node (native EventTarget / CustomEvent)', () => {
  test('runs on the native globals', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof CustomEvent).toBe('function');
  });
  defineIsolationTests();
});
