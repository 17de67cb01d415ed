// Type test: compiled (never run) by `tsc -p tests/types/tsconfig.json --noEmit` (npm run typecheck).
// It uses the SDK the way an app does; every `@ts-expect-error` line MUST fail to compile, so a
// loosened type (e.g. `any` details) makes this file fail.
import Skylink, {
  SkylinkConstants,
  SkylinkError,
  SkylinkErrorCode,
  SkylinkEventManager,
  SkylinkEvents,
  SkylinkLogger,
  type JoinRoomOptions,
  type MediaStreams,
  type PeerInfo,
  type PeerJoinedDetail,
  type PeerConnectionState,
  type SkylinkEventName,
  type SkylinkInitOptions,
} from '../../src/index';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// --- events ---------------------------------------------------------------------------------------
SkylinkEventManager.addEventListener(SkylinkEvents.PEER_JOINED, (evt) => {
  const roomName: string = evt.detail.roomName;
  const peerId: string = evt.detail.peerId;
  const isSelf: boolean = evt.detail.isSelf;
  const info: PeerInfo = evt.detail.peerInfo;
  const locked: boolean = evt.detail.room.isLocked;
  assertType<Equal<typeof evt.detail, PeerJoinedDetail>>();
  void [roomName, peerId, isSelf, info, locked];
  // @ts-expect-error wrong detail field
  void evt.detail.peerID;
});
SkylinkEventManager.addEventListener('onIncomingMessage', (evt) => {
  const isDc: boolean = evt.detail.message.isDataChannel;
  // @ts-expect-error content is unknown: must be narrowed before use
  evt.detail.message.content.toUpperCase();
  void isDc;
});
SkylinkEventManager.addEventListener(
  SkylinkEvents.PEER_CONNECTION_STATE,
  (evt) => {
    if (evt.detail.state === SkylinkConstants.PEER_CONNECTION_STATE.CONNECTED) void evt.detail.peerId;
  },
  { once: true },
);
// @ts-expect-error misspelled event name
SkylinkEventManager.addEventListener('peerJoind', () => undefined);
// @ts-expect-error listener typed for another event
SkylinkEventManager.addEventListener(SkylinkEvents.PEER_LEFT, (evt: CustomEvent<{ stream: MediaStream }>) => evt.detail.stream);
const anyName: SkylinkEventName = SkylinkConstants.EVENTS.ROOM_LOCK;
void anyName;

// dispatch is @internal, but still type-checked: a missing field is an error.
// @ts-expect-error detail lacks peerId
SkylinkEventManager.dispatch('peerConnectionState', { roomName: 'r', state: 'connected' });

// --- constants ------------------------------------------------------------------------------------
const state: PeerConnectionState = SkylinkConstants.PEER_CONNECTION_STATE.HAVE_LOCAL_OFFER;
// @ts-expect-error not a peer connection state
const badState: PeerConnectionState = 'open';
const ready: 0 = SkylinkConstants.READY_STATE_CHANGE.INIT;
const hd: { readonly width: 1280; readonly height: 720 } = SkylinkConstants.VIDEO_RESOLUTION.HD;
// @ts-expect-error constants are read-only
SkylinkConstants.READY_STATE_CHANGE.INIT = 5;
// @ts-expect-error unknown member
void SkylinkConstants.READY_STATE_CHANGE.STARTED;
void [state, badState, ready, hd];

// --- options --------------------------------------------------------------------------------------
const init: SkylinkInitOptions = { appKey: 'key', defaultRoom: 'lobby', forceSSL: false, socketTimeout: 5000 };
// @ts-expect-error wrong option type
const badInit: SkylinkInitOptions = { appKey: 'key', forceSSL: 'no' };
// @ts-expect-error appKey is required
const noKey: SkylinkInitOptions = { defaultRoom: 'lobby' };
const skylink = new Skylink(init);
const join: JoinRoomOptions = { roomName: 'lobby', audio: true, video: { resolution: SkylinkConstants.VIDEO_RESOLUTION.HD, frameRate: 30 } };
// @ts-expect-error wrong nested option type
const badJoin: JoinRoomOptions = { video: { frameRate: 'fast' } };
void [badInit, noKey, badJoin];

// --- facade ---------------------------------------------------------------------------------------
async function app(): Promise<void> {
  const streams: MediaStreams | null = await skylink.joinRoom(join);
  const left: string = await skylink.leaveRoom('lobby');
  const peers = skylink.getPeersInRoom('lobby');
  const self: boolean | undefined = peers?.['someone']?.isSelf;
  const stats = await skylink.getConnectionStatus('lobby', 'peer');
  const rtt: number | undefined = stats[0]?.selectedCandidatePair?.roundTripTime;
  const results = await skylink.sendBlobData('lobby', new Blob(['x']), 'peer');
  const pct: number | undefined = results[0]?.['peer']?.success?.percentage;
  const version: string = skylink.getSdkVersion();
  await skylink.sendP2PMessage('lobby', { any: 'json' });
  await skylink.sendP2PMessage({ across: 'all rooms' });
  // @ts-expect-error roomName must be a string
  await skylink.lockRoom(42);
  await skylink.sendMessage('lobby', { json: 'objects too' }, ['peer-a', 'peer-b']);
  // @ts-expect-error targetPeerId is a peer id or an array of peer ids
  await skylink.sendMessage('lobby', 'hi', 42);
  await skylink.setEncryptionMode('lobby', 'authenticated');
  // @ts-expect-error unknown encryption mode
  await skylink.setEncryptionMode('lobby', 'rot13');
  const mode: 'compat' | 'authenticated' | 'authenticated-only' | null = skylink.getEncryptionMode('lobby');
  const history: Array<{ content: unknown; senderPeerId: string }> = await skylink.getStoredMessages('lobby');
  void [streams, left, self, rtt, pct, version, mode, history];
}
void app;

// --- errors and logger ----------------------------------------------------------------------------
function onError(err: unknown): void {
  if (err instanceof SkylinkError && err.code === SkylinkErrorCode.ROOM_NOT_FOUND) void err.roomName;
  // @ts-expect-error unknown error code
  if (err instanceof SkylinkError && err.code === 'ROOM_MISSING') void 0;
}
void onError;
SkylinkLogger.setLevel(SkylinkLogger.logLevels.DEBUG);
SkylinkLogger.setHandler((level, message, context) => void [level, message, context.roomName, context.peerId]);
