/**
 * The lifecycle state machine, pure: which action is legal in which state, and where it leads.
 *
 *   closed ──open──▶ opened ──claim──▶ claimed ──enable──▶ enabled
 *     ▲               ◀──release──        ◀──disable──
 *     └──────────── close (from any state but closed) ───────────┘
 *
 * Illegal steps throw a DeviceError with the UPOS result code that names the reason: E_CLOSED when the device
 * is not open, E_NOTCLAIMED when enable needs a claim first, E_ILLEGAL for everything else (e.g. claiming twice).
 */
import { DeviceError } from '../errors.js';
import type { Lifecycle, LifecycleAction } from './types.js';

const NEXT: Readonly<Record<LifecycleAction, Partial<Record<Lifecycle, Lifecycle>>>> = {
  open: { closed: 'opened' },
  claim: { opened: 'claimed' },
  enable: { claimed: 'enabled' },
  disable: { enabled: 'claimed' },
  release: { claimed: 'opened' },
  close: { opened: 'closed', claimed: 'closed', enabled: 'closed' },
};

/** The state after `action`, or a thrown DeviceError when the action is illegal in `from`. */
export function nextLifecycle(from: Lifecycle, action: LifecycleAction): Lifecycle {
  const to = NEXT[action][from];
  if (to) return to;
  throw illegalTransition(from, action);
}

export function canTransition(from: Lifecycle, action: LifecycleAction): boolean {
  return NEXT[action][from] !== undefined;
}

function illegalTransition(from: Lifecycle, action: LifecycleAction): DeviceError {
  const details = { from, action };
  if (from === 'closed')
    return new DeviceError('E_CLOSED', `cannot ${action}: the device is closed`, false, details);
  if (action === 'enable' && from === 'opened') {
    return new DeviceError('E_NOTCLAIMED', 'cannot enable: claim the device first', false, details);
  }
  return new DeviceError('E_ILLEGAL', `cannot ${action} a device that is ${from}`, false, details);
}

/** Lifecycle steps that tear down, in order, from `from` back to closed (used by close()). */
export function teardownPath(from: Lifecycle): LifecycleAction[] {
  switch (from) {
    case 'enabled':
      return ['disable', 'release', 'close'];
    case 'claimed':
      return ['release', 'close'];
    case 'opened':
      return ['close'];
    case 'closed':
      return [];
  }
}
