/**
 * Skylink SDK demo: a video-meeting page that exercises the whole SDK (several rooms as tabs, video
 * grid, media controls, chat with encryption and history, file transfer, room controls, stats, log).
 *
 * The page talks to the server that serves it (`roomServer` = this page's host). Query parameters:
 * `?appKey=` (default `skylink-demo`), `?room=` and `?name=` prefill the join form.
 */
import { Skylink, SkylinkConstants, SkylinkEventManager, SkylinkEvents, type SkylinkEventMap } from './sdk';
import { App } from './ui/App';
import { LogPanel } from './ui/LogPanel';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`demo page is missing #${id}`);
  return node as T;
}

const params = new URLSearchParams(location.search);
const appKey = params.get('appKey') || 'skylink-demo';

const logPanel = new LogPanel();
byId('log-container').replaceWith(logPanel.element);
logPanel.attach();

const skylink = new Skylink({
  appKey,
  roomServer: `//${location.host}`,
  forceSSL: location.protocol === 'https:',
});
byId('sdk-info').textContent = `SDK ${skylink.getSdkVersion()} · server ${location.host} · app key "${appKey}"`;

const app = new App(skylink, logPanel, {
  form: byId('join-form'),
  room: byId('join-room'),
  name: byId('join-name'),
  secret: byId('join-secret'),
  audio: byId('join-audio'),
  video: byId('join-video'),
  leaveAll: byId('leave-all'),
  joinStatus: byId('join-status'),
  tabs: byId('room-tabs'),
  rooms: byId('rooms'),
  empty: byId('no-rooms'),
});

const roomParam = params.get('room');
if (roomParam) byId<HTMLInputElement>('join-room').value = roomParam;
const nameInput = byId<HTMLInputElement>('join-name');
nameInput.value = params.get('name') || nameInput.value || `Guest ${Math.floor(Math.random() * 900 + 100)}`;

// ---- events -> room views ------------------------------------------------------------------

type Name = keyof SkylinkEventMap;
function on<K extends Name>(name: K, handler: (detail: SkylinkEventMap[K]) => void): void {
  SkylinkEventManager.addEventListener(name, (e) => handler(e.detail));
}

const E = SkylinkEvents;
on(E.PEER_JOINED, (d) => app.room(d.roomName)?.onPeerJoined(d));
on(E.PEER_UPDATED, (d) => app.room(d.roomName)?.onPeerUpdated(d));
on(E.PEER_LEFT, (d) => app.room(d.roomName)?.onPeerLeft(d));
on(E.ROOM_LOCK, (d) => app.room(d.roomName)?.onRoomLock(d));
on(E.SYSTEM_ACTION, (d) => {
  app.room(d.roomName)?.onSystemAction(d);
  app.log(d.action === 'reject' ? 'ERROR' : 'WARN', `Server ${d.action} in "${d.roomName}": ${d.info} (${d.reason})`);
});
on(E.SESSION_DISCONNECT, (d) => app.room(d.roomName)?.onSessionDisconnect(d));
on(E.HANDSHAKE_PROGRESS, (d) => app.room(d.roomName)?.onHandshakeProgress(d));
on(E.PEER_CONNECTION_STATE, (d) => app.room(d.roomName)?.onPeerConnectionState(d));
on(E.ICE_CONNECTION_STATE, (d) => app.room(d.roomName)?.onIceConnectionState(d));
on(E.DATA_CHANNEL_STATE, (d) => app.room(d.roomName)?.onDataChannelState(d));

on(E.ON_INCOMING_STREAM, (d) => app.room(d.roomName)?.onStream(d, false));
on(E.ON_INCOMING_SCREEN_STREAM, (d) => app.room(d.roomName)?.onStream(d, true));
on(E.STREAM_ENDED, (d) => app.room(d.roomName)?.onStreamEnded(d));
on(E.STREAM_MUTED, (d) => app.room(d.roomName)?.onStreamMuted(d));
on(E.LOCAL_MEDIA_MUTED, (d) => app.room(d.roomName)?.onLocalMediaMuted(d));
on(E.ACTIVE_SPEAKER, (d) => app.room(d.roomName)?.onActiveSpeaker(d.peerId, d.isSelf));
on(E.MEDIA_ACCESS_ERROR, (d) => app.log('ERROR', `Media access in "${d.roomName}": ${d.error.message}`));

on(E.ON_INCOMING_MESSAGE, (d) => app.room(d.roomName)?.onMessage(d));
on(E.STORED_MESSAGES, (d) => app.room(d.roomName)?.onStoredMessages(d));
on(E.ENCRYPT_SECRETS_UPDATED, (d) => app.room(d.roomName)?.onSecretsUpdated(d));
on(E.PERSISTENT_MESSAGE_STATE, (d) => app.room(d.roomName)?.onPersistence(d));
on(E.DATA_TRANSFER_STATE, (d) => app.room(d.roomName)?.onTransferState(d));
on(E.ON_INCOMING_DATA_REQUEST, (d) => app.room(d.roomName)?.onDataRequest(d));
on(E.ON_INCOMING_DATA, (d) => app.room(d.roomName)?.onData(d));

// One signaling socket serves every room: its troubles are shown in each room.
on(E.CHANNEL_OPEN, () => {
  app.log('INFO', 'Connected to the signaling server');
  for (const view of app.views()) view.onSignalingBack();
});
on(E.CHANNEL_CLOSE, (d) => app.log('WARN', `Signaling connection closed: ${d.reason}`));
on(E.SOCKET_ERROR, (d) => {
  const { RECONNECTION_ATTEMPT, RECONNECTION_FAILED } = SkylinkConstants.SOCKET_ERROR;
  const retrying = d.errorCode === RECONNECTION_ATTEMPT || d.errorCode === RECONNECTION_FAILED;
  app.log(retrying ? 'WARN' : 'ERROR', `Signaling: ${d.error.message}`);
  if (retrying) for (const view of app.views()) view.onSignalingTrouble(d.error.message);
});
on(E.READY_STATE_CHANGE, (d) => {
  if (d.error) app.log('ERROR', `Room "${d.roomName ?? ''}" not ready: ${d.error.content.message}`);
});

window.addEventListener('pagehide', () => void skylink.leaveAllRooms().catch(() => undefined));
