import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applySecurity } from './security.js';

/** Stand-ins that record handlers the way Electron's App, Session and WebContents do. */
function fakes() {
  const app = new EventEmitter();
  let requestHandler:
    | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
    | null = null;
  let checkHandler: (() => boolean) | null = null;
  const session = {
    setPermissionRequestHandler: (handler: typeof requestHandler) => {
      requestHandler = handler;
    },
    setPermissionCheckHandler: (handler: typeof checkHandler) => {
      checkHandler = handler;
    },
  };
  const contents = Object.assign(new EventEmitter(), {
    openHandler: null as null | (() => { action: string }),
    setWindowOpenHandler(handler: () => { action: string }) {
      this.openHandler = handler;
    },
  });
  return { app, session, contents, requestHandler: () => requestHandler, checkHandler: () => checkHandler };
}

function preventable() {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
}

describe('Electron security', () => {
  it('refuses navigation, redirects, webviews and new windows in every web contents', () => {
    const f = fakes();
    applySecurity(f.app as never, f.session as never);
    f.app.emit('web-contents-created', {}, f.contents);
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = preventable();
      f.contents.emit(name, event);
      expect(event.prevented, name).toBe(true);
    }
    expect(f.contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const f = fakes();
    applySecurity(f.app as never, f.session as never);
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'usb', 'serial', 'hid']) {
      f.requestHandler()?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(f.checkHandler()?.()).toBe(false);
  });
});
