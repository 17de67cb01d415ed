// Default unit environment (jsdom): no crypto.subtle, like a browser page outside a secure context.
import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { SkylinkErrorCode } from '../../../src/errors';
import { FakeNetwork } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { createFakePlatform } from '../../fakes/fakePlatform';

test('without WebCrypto the authenticated modes are refused with NOT_SUPPORTED; compat still works', async () => {
  expect(globalThis.crypto?.subtle).toBeUndefined();
  const server = new FakeSignalingServer();
  const platform = createFakePlatform({ server, network: new FakeNetwork() });
  const skylink = new Skylink(
    { appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false },
    { eventManager: new SkylinkEventManagerClass(), platform },
  );
  await skylink.joinRoom();
  await expect(skylink.setEncryptionMode('lobby', 'authenticated')).rejects.toMatchObject({ code: SkylinkErrorCode.NOT_SUPPORTED });
  expect(skylink.getEncryptionMode('lobby')).toBe('compat');
  await skylink.setEncryptSecret('lobby', 'secret', 'k1');
  await skylink.setSelectedSecret('lobby', 'k1');
  await expect(skylink.sendMessage('lobby', 'hello')).resolves.toBeUndefined();
  const wire = server.received.map((r) => r.message).find((m) => m.type === 'message');
  expect(wire).toMatchObject({ secretId: 'k1', data: expect.stringMatching(/^U2FsdGVkX1/) });
  await skylink.leaveAllRooms();
  server.close();
});
