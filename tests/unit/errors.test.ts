import { SkylinkError, SkylinkErrorCode, isSkylinkError, mediaErrorFromDOMException } from '../../src/errors';

describe('SkylinkError', () => {
  test('is an Error with a stable code, context and cause', () => {
    const cause = new Error('socket closed');
    const err = new SkylinkError(SkylinkErrorCode.SIGNALING_ERROR, 'lost', { roomName: 'r1', peerId: 'p1', cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(SkylinkError);
    expect(err.name).toBe('SkylinkError');
    expect(err.code).toBe('SIGNALING_ERROR');
    expect(err.message).toBe('lost');
    expect(err.roomName).toBe('r1');
    expect(err.peerId).toBe('p1');
    expect(err.cause).toBe(cause);
    expect(err.stack).toContain('lost');
    expect(err.toJSON()).toEqual({ name: 'SkylinkError', code: 'SIGNALING_ERROR', message: 'lost', roomName: 'r1', peerId: 'p1' });
  });

  test('context fields are absent when not given', () => {
    const err = new SkylinkError('INVALID_STATE', 'x');
    expect('roomName' in err).toBe(false);
    expect('peerId' in err).toBe(false);
    expect(err.cause).toBeUndefined();
    expect(err.toJSON()).toEqual({ name: 'SkylinkError', code: 'INVALID_STATE', message: 'x' });
  });

  test('every code value equals its key (stable string contract)', () => {
    for (const [key, value] of Object.entries(SkylinkErrorCode)) expect(value).toBe(key);
    for (const required of [
      'ROOM_NOT_FOUND', 'INVALID_STATE', 'INVALID_ARGUMENT', 'NOT_IMPLEMENTED', 'SIGNALING_TIMEOUT', 'SIGNALING_ERROR',
      'NEGOTIATION_FAILED', 'ROOM_LOCKED', 'CREDENTIALS_INVALID', 'JOIN_REJECTED', 'ALREADY_IN_ROOM', 'PEER_NOT_FOUND',
      'DATA_CHANNEL_NOT_OPEN', 'MESSAGE_TOO_LARGE', 'DECRYPT_FAILED', 'MEDIA_PERMISSION_DENIED', 'MEDIA_NOT_FOUND',
      'MEDIA_DEVICE_BUSY', 'MEDIA_CONSTRAINTS_NOT_SATISFIED', 'MEDIA_ERROR', 'TRANSFER_ERROR',
    ]) {
      expect(SkylinkErrorCode).toHaveProperty(required, required);
    }
    expect(Object.isFrozen(SkylinkErrorCode)).toBe(true);
  });

  test('static factories set code, message and context', () => {
    expect(SkylinkError.roomNotFound('lobby')).toMatchObject({ code: 'ROOM_NOT_FOUND', roomName: 'lobby' });
    expect(SkylinkError.roomNotFound('lobby').message).toContain('lobby');
    expect(SkylinkError.invalidArgument('bad', { roomName: 'r' })).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'bad', roomName: 'r' });
    expect(SkylinkError.invalidState('left')).toMatchObject({ code: 'INVALID_STATE', message: 'left' });
    expect(SkylinkError.notImplemented('Skylink.lockRoom')).toMatchObject({ code: 'NOT_IMPLEMENTED', message: 'Skylink.lockRoom is not implemented' });
    expect(SkylinkError.notSupported('no gDM')).toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(SkylinkError.peerNotFound('r', 'p9')).toMatchObject({ code: 'PEER_NOT_FOUND', roomName: 'r', peerId: 'p9', message: 'Peer Id not found p9' });
    expect(SkylinkError.notInRoom('r')).toMatchObject({ code: 'NOT_IN_ROOM', message: 'User is not in room' });
    expect(SkylinkError.dataChannelNotOpen('r', 'p')).toMatchObject({
      code: 'DATA_CHANNEL_NOT_OPEN',
      message: 'Failed sending message - Data Channel connection is not open',
      peerId: 'p',
    });
    expect(SkylinkError.signalingTimeout('joinRoom', 7000)).toMatchObject({ code: 'SIGNALING_TIMEOUT', message: 'joinRoom timed out after 7000 ms' });
  });

  test('from() keeps SkylinkErrors and wraps anything else with cause', () => {
    const original = SkylinkError.invalidState('x');
    expect(SkylinkError.from(original, 'INTERNAL_ERROR')).toBe(original);
    const wrapped = SkylinkError.from(new TypeError('boom'), 'NEGOTIATION_FAILED', undefined, { peerId: 'p' });
    expect(wrapped).toMatchObject({ code: 'NEGOTIATION_FAILED', message: 'boom', peerId: 'p' });
    expect(wrapped.cause).toBeInstanceOf(TypeError);
    expect(SkylinkError.from('text', 'INTERNAL_ERROR').message).toBe('text');
    expect(SkylinkError.from(42, 'INTERNAL_ERROR', 'custom').message).toBe('custom');
  });

  test('isSkylinkError narrows by class and optional code', () => {
    const err = SkylinkError.roomNotFound('r');
    expect(isSkylinkError(err)).toBe(true);
    expect(isSkylinkError(err, 'ROOM_NOT_FOUND')).toBe(true);
    expect(isSkylinkError(err, 'INVALID_STATE')).toBe(false);
    expect(isSkylinkError(new Error('x'))).toBe(false);
    expect(isSkylinkError({ code: 'ROOM_NOT_FOUND' })).toBe(false);
  });
});

describe('mediaErrorFromDOMException', () => {
  const cases: Array<[string, string]> = [
    ['NotAllowedError', 'MEDIA_PERMISSION_DENIED'],
    ['PermissionDeniedError', 'MEDIA_PERMISSION_DENIED'],
    ['SecurityError', 'MEDIA_PERMISSION_DENIED'],
    ['NotFoundError', 'MEDIA_NOT_FOUND'],
    ['DevicesNotFoundError', 'MEDIA_NOT_FOUND'],
    ['NotReadableError', 'MEDIA_DEVICE_BUSY'],
    ['TrackStartError', 'MEDIA_DEVICE_BUSY'],
    ['AbortError', 'MEDIA_DEVICE_BUSY'],
    ['OverconstrainedError', 'MEDIA_CONSTRAINTS_NOT_SATISFIED'],
    ['ConstraintNotSatisfiedError', 'MEDIA_CONSTRAINTS_NOT_SATISFIED'],
    ['TypeError', 'MEDIA_ERROR'],
    ['SomethingNew', 'MEDIA_ERROR'],
  ];
  test.each(cases)('%s -> %s (real DOMException, cause kept)', (name, code) => {
    const dom = new DOMException('Permission or device problem', name);
    const err = mediaErrorFromDOMException(dom, { roomName: 'r1' });
    expect(err).toBeInstanceOf(SkylinkError);
    expect(err.code).toBe(code);
    expect(err.cause).toBe(dom);
    expect(err.roomName).toBe('r1');
    expect(err.message).toBe(`${name}: Permission or device problem`);
  });

  test('handles DOMException-like objects, constraint names, strings and SkylinkErrors', () => {
    const over = mediaErrorFromDOMException({ name: 'OverconstrainedError', message: '', constraint: 'width' });
    expect(over.code).toBe('MEDIA_CONSTRAINTS_NOT_SATISFIED');
    expect(over.message).toBe('OverconstrainedError (constraint: width)');
    expect(mediaErrorFromDOMException('weird').code).toBe('MEDIA_ERROR');
    expect(mediaErrorFromDOMException('weird').message).toBe('weird');
    expect(mediaErrorFromDOMException(undefined).message).toBe('Media access failed');
    const existing = SkylinkError.invalidArgument('x');
    expect(mediaErrorFromDOMException(existing)).toBe(existing);
  });
});
