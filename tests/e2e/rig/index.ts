export { CHROMIUM_FLAGS, findChromium, launchChromium, openPage, LOOPBACK_ONLY_ICE } from './chromium';
export type { TestPage } from './chromium';
export { startStaticServer } from './staticServer';
export type { StaticServer } from './staticServer';
