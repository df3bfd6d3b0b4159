/** IPC channel names shared by main and preload. Only these two cross the boundary. */
export const CALL_CHANNEL = 'tillwright:call';
export const EVENT_CHANNEL = 'tillwright:event';
