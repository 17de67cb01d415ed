import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkylinkConstants } from '../../src/constants';
import { SkylinkEvents } from '../../src/events/SkylinkEvents';
import * as publicApi from '../../src/index';

describe('SkylinkConstants', () => {
  test('EVENTS is the SkylinkEvents object, exported under both names', () => {
    expect(SkylinkConstants.EVENTS).toBe(SkylinkEvents);
    expect(publicApi.SkylinkEvents).toBe(publicApi.SkylinkConstants.EVENTS);
  });

  test('the 53 events of 2.x plus 2 beyond 2.x, each string unique, a sample of exact values', () => {
    const values = Object.values(SkylinkEvents);
    expect(values).toHaveLength(55);
    expect(new Set(values).size).toBe(55);
    expect(SkylinkEvents).toMatchObject({ AUDIO_ACTIVITY: 'audioActivity', ACTIVE_SPEAKER: 'activeSpeaker' });
    expect(SkylinkEvents).toMatchObject({
      PEER_JOINED: 'peerJoined',
      READY_STATE_CHANGE: 'readyStateChange',
      ON_INCOMING_STREAM: 'onIncomingStream',
      ON_INCOMING_MESSAGE: 'onIncomingMessage',
      GET_CONNECTION_STATUS_STATE_CHANGE: 'getConnectionStatusStateChange',
      ON_INCOMING_DATA_STREAM_STOPPED: 'onIncomingDataStreamStopped',
      LOGGED_ON_CONSOLE: 'loggedOnConsole',
    });
  });

  test('every 2.x export is present (71)', () => {
    expect(Object.keys(SkylinkConstants)).toHaveLength(71);
  });

  test('public enums keep 2.x code values (including the 2.x quirks)', () => {
    expect(SkylinkConstants.READY_STATE_CHANGE).toEqual({ INIT: 0, LOADING: 1, COMPLETED: 2, ERROR: -1 });
    expect(SkylinkConstants.READY_STATE_CHANGE_ERROR.XML_HTTP_NO_REPONSE_ERROR).toBe(-2);
    expect(SkylinkConstants.READY_STATE_CHANGE_ERROR.API_WRONG_ACCESS_DOMAIN).toBe(5005);
    expect(SkylinkConstants.CANDIDATE_GENERATION_STATE.COMPLETED).toBe('complete');
    expect(SkylinkConstants.CANDIDATE_PROCESSING_STATE.DROPPED).toBe('dropped');
    expect(SkylinkConstants.DATA_TRANSFER_STATE.UPLOAD_REQUEST).toBe('request');
    expect(SkylinkConstants.DATA_TRANSFER_STATE.USER_UPLOAD_REQUEST).toBe('userRequest');
    expect(SkylinkConstants.DATA_TRANSFER_SESSION_TYPE).toEqual({ BLOB: 'blob', DATA: 'data' });
    expect(SkylinkConstants.SYSTEM_ACTION_REASON.ROOM_CLOSING).toBe('toclose');
    expect(SkylinkConstants.SYSTEM_ACTION_REASON.CREDENTIALS_EXPIRED).toBe('oldTimeStamp');
    expect(SkylinkConstants.SOCKET_FALLBACK.FALLBACK_SSL_PORT).toBe('fallbackPortSSL');
    expect(SkylinkConstants.VIDEO_QUALITY.HD).toEqual({ video: 3200, audio: 150 });
    expect(SkylinkConstants.VIDEO_RESOLUTION.VGA).toEqual({ width: 640, height: 480 });
    expect(SkylinkConstants.VIDEO_RESOLUTION.QUHD).toEqual({ width: 15360, height: 8640 });
    expect(Object.keys(SkylinkConstants.VIDEO_RESOLUTION)).toHaveLength(20);
    expect(SkylinkConstants.MEDIA_STATUS).toEqual({ MUTED: 0, ACTIVE: 1, UNAVAILABLE: -1 });
    expect(SkylinkConstants.DT_PROTOCOL_VERSION).toBe('0.1.3');
    expect(SkylinkConstants.SM_PROTOCOL_VERSION).toBe('2.1.0');
    expect(SkylinkConstants.NEGOTIATION_STATES.LOCAL_OFFER_SET).toBe(' localOfferSet');
    expect(Object.keys(SkylinkConstants.SIG_MESSAGE_TYPE)).toHaveLength(34);
    expect(SkylinkConstants.CHUNK_FILE_SIZE).toBe(49152);
    expect(SkylinkConstants.ACK_PROTOCOL_NUMBER).toEqual({ REJECT: -1, ACCEPT: 0, CANCEL: 0 });
    expect(SkylinkConstants.GROUP_MESSAGE_LIST).toEqual(['stream', 'updateUserEvent', 'public']);
    expect(SkylinkConstants.STATES.SIGNALING).toBe(SkylinkConstants.SOCKET_EVENTS);
    expect(SkylinkConstants.API_VERSION).toBe('9.0.0');
    expect(SkylinkConstants.SIGNALING_VERSION).toBe('sig-v2');
  });

  test('tables are frozen', () => {
    expect(Object.isFrozen(SkylinkConstants)).toBe(true);
    expect(Object.isFrozen(SkylinkConstants.EVENTS)).toBe(true);
    expect(Object.isFrozen(SkylinkConstants.PEER_CONNECTION_STATE)).toBe(true);
  });

  test('SDK_VERSION equals the package.json version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(SkylinkConstants.SDK_VERSION).toBe(pkg.version);
  });
});
