export {
  CashDrawer,
  type CashDrawerOptions,
  type CashDrawerStatus,
  type DrawerOpening,
  type DrawerStatusEvent,
  type KickOutcome,
} from './cash-drawer.js';
export {
  DrawerSimulator,
  type DrawerSimulatorEvents,
  type DrawerSimulatorOptions,
} from './drawer-simulator.js';
export {
  type DrawerLink,
  type DrawerSensor,
  type DrawerState,
  drawerStateFromStatus,
  PrinterDrawerLink,
  type PrinterDrawerLinkOptions,
  printerStatusSensor,
  SERIAL_DRAWER_DEFAULT_KICK,
  SerialDrawerLink,
  type SerialDrawerLinkOptions,
  type SerialDrawerStatus,
  serialDrawerState,
} from './links.js';
export { PrinterQueueDrawerLink } from './printer-queue-link.js';
