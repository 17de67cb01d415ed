import { SkylinkLogger, SkylinkLoggerClass, createLogger, redact, redactString, type SkylinkLogHandler } from '../../src/logger';
import { SkylinkConstants } from '../../src/constants';

describe('SkylinkLogger levels', () => {
  let logger: SkylinkLoggerClass;
  let handler: jest.MockedFunction<SkylinkLogHandler>;
  beforeEach(() => {
    logger = new SkylinkLoggerClass();
    handler = jest.fn();
    logger.setHandler(handler, { console: false });
  });

  test('2.x level names and values; default WARN', () => {
    expect(logger.logLevels).toEqual({ TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, SILENT: 5 });
    expect(new SkylinkLoggerClass().level).toBe(3);
    expect(SkylinkLogger).toBeInstanceOf(SkylinkLoggerClass);
    // The legacy constant table keeps its own (different) numbering.
    expect(SkylinkConstants.LOG_LEVEL).toEqual({ DEBUG: 4, LOG: 3, INFO: 2, WARN: 1, ERROR: 0, NONE: -1 });
  });

  test('only entries at or above the level reach the handler', () => {
    const log = createLogger('T', undefined, logger);
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(handler.mock.calls.map((c) => c[0])).toEqual(['WARN', 'ERROR']);
    handler.mockClear();
    logger.setLevel(logger.logLevels.TRACE);
    log.trace('t');
    log.debug('d');
    log.info('i');
    expect(handler.mock.calls.map((c) => c[0])).toEqual(['TRACE', 'DEBUG', 'INFO']);
  });

  test('SILENT, enableAll, disableAll, names and invalid levels', () => {
    const log = createLogger('T', undefined, logger);
    logger.disableAll();
    expect(logger.level).toBe(5);
    log.error('hidden');
    expect(handler).not.toHaveBeenCalled();
    logger.enableAll();
    expect(logger.level).toBe(0);
    logger.setLevel('info');
    expect(logger.level).toBe(2);
    expect(logger.getLevelName()).toBe('INFO');
    logger.setLevel(42);
    expect(logger.level).toBe(4); // 2.x intent: invalid → ERROR
    logger.setLevel('loud');
    expect(logger.level).toBe(4);
  });

  test('handler receives level, message, context (tag, roomName, peerId) and data', () => {
    let room = 'room1';
    const log = createLogger('PEER', () => ({ roomName: room }), logger);
    log.warn('slow', { rtt: 300 }, { peerId: 'p1' });
    expect(handler).toHaveBeenCalledWith('WARN', 'slow', { tag: 'PEER', roomName: 'room1', peerId: 'p1' }, { rtt: 300 });
    room = 'room2';
    log.child({ peerId: 'p2' }).error('down');
    expect(handler).toHaveBeenLastCalledWith('ERROR', 'down', { tag: 'PEER', roomName: 'room2', peerId: 'p2' }, undefined);
  });

  test('a throwing handler does not break logging', () => {
    logger.setHandler(() => {
      throw new Error('broken');
    }, { console: false });
    expect(() => createLogger('T', undefined, logger).error('x')).not.toThrow();
  });

  test('console output keeps context and can be turned off; setHandler(null) restores it', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const log = createLogger('ROOM', () => ({ roomName: 'lobby', peerId: 'me' }), logger);
      log.warn('hello');
      expect(spy).not.toHaveBeenCalled();
      logger.setHandler(handler); // console stays on by default
      log.warn('hello');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[0]).toMatch(/^\[\d{4}-\d\d-\d\dT.*Z\] Skylink - \[lobby\] \[me\] <<ROOM>> hello$/);
      logger.setHandler(null);
      log.warn('again');
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  test('stored logs: off by default, on with setLevel(level, true), getLogs/clearLogs', () => {
    const log = createLogger('T', undefined, logger);
    log.error('first');
    expect(logger.getLogs()).toBeNull();
    logger.setLevel(logger.logLevels.DEBUG, true);
    log.debug('stored', { a: 1 });
    log.info('plain');
    const logs = logger.getLogs();
    expect(logs).toHaveLength(2);
    expect(logs?.[0]?.[0]).toMatch(/^\[.*\]$/);
    expect(logs?.[0]?.slice(1)).toEqual(['DEBUG', 'stored', { a: 1 }]);
    expect(logs?.[1]).toHaveLength(3);
    logger.clearLogs();
    expect(logger.getLogs()).toEqual([]);
    logger.setStoreLogs(false);
    expect(logger.getLogs()).toBeNull();
  });
});

describe('redaction', () => {
  test('secret keys are redacted at any depth, other values kept', () => {
    const input = {
      appKey: 'public-app-key',
      secret: 's3cr3t',
      credentials: { startDateTime: '2020', duration: 1, credentials: 'hmac==' },
      nested: { encryptSecrets: { id1: 'x' }, password: 'pw', accessToken: 't', Authorization: 'Bearer z', keep: 'ok' },
      list: [{ apiKey: 'k' }, 'plain'],
      empty: { token: '' },
    };
    expect(redact(input)).toEqual({
      appKey: 'public-app-key',
      secret: '[REDACTED]',
      credentials: '[REDACTED]',
      nested: { encryptSecrets: '[REDACTED]', password: '[REDACTED]', accessToken: '[REDACTED]', Authorization: '[REDACTED]', keep: 'ok' },
      list: [{ apiKey: '[REDACTED]' }, 'plain'],
      empty: { token: '' },
    });
    expect(input.secret).toBe('s3cr3t'); // the input is not modified
  });

  test('secrets inside strings (URLs, JSON) are redacted', () => {
    expect(redactString('GET https://h/api/app/room?cred=abc%3D&rand=1')).toBe('GET https://h/api/app/room?cred=[REDACTED]&rand=1');
    expect(redactString('{"secret":"abc","id":"1"}')).toBe('{"secret":"[REDACTED]","id":"1"}');
    expect(redactString('token=xyz password: hunter2')).toBe('token=[REDACTED] password: [REDACTED]');
    expect(redactString('nothing here')).toBe('nothing here');
  });

  test('cycles, depth, errors and non-plain objects', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[Object]');
    const err = Object.assign(new Error('failed ?token=abc'), { code: 'X' });
    expect(redact(err)).toEqual({ name: 'Error', message: 'failed ?token=[REDACTED]', code: 'X' });
    const blob = new Blob(['x']);
    expect(redact({ blob })).toEqual({ blob });
  });

  test('nothing secret reaches the handler, the console or stored logs', () => {
    const logger = new SkylinkLoggerClass();
    const handler = jest.fn();
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      logger.setHandler(handler);
      logger.setLevel('TRACE', true);
      createLogger('AUTH', undefined, logger).error('auth failed for ?cred=topsecret', { credentials: { credentials: 'topsecret' }, secret: 'topsecret' });
      const everything = JSON.stringify([handler.mock.calls, spy.mock.calls, logger.getLogs()]);
      expect(everything).not.toContain('topsecret');
      expect(everything).toContain('[REDACTED]');
    } finally {
      spy.mockRestore();
    }
  });
});
