import {
  BRITISH_COLUMBIA,
  type CashRoundingRule,
  cashRoundingFor,
  GERMANY,
  type ManagerLimits,
  NEW_YORK_CITY,
  type Promotion,
  SWITZERLAND,
  type TaxJurisdiction,
} from '@tillwright/commerce';
import type { CustomLines, TerminalConfig } from '@tillwright/protocol';

/** What the host prices with besides the catalog: tax rules, promotions, manager limits and their versions. */
export interface PricingConfig {
  jurisdiction: TaxJurisdiction;
  promotions: Promotion[];
  limits: ManagerLimits;
  cashRounding: CashRoundingRule;
  /**
   * The store's IANA time zone: promotion windows, receipt times and business days are read in it. The till fills it
   * from HQ's terminal config (`timeZone`, terminal-host.ts) at each use.
   */
  timeZone: string;
  /** The local hour (0–23) a business day starts at, for stores open past midnight (config `businessDayStartHour`). */
  dayStartHour: number;
  versions: { priceList: number; promotions: number };
  /** Whether custom-amount lines may be rung up, up to how much, taxed how (config `customLines`). */
  customLines: CustomLines;
}

/** A store with no configured zone keeps UTC, as the terminal config's default does. */
export const DEFAULT_STORE_TIME_ZONE = 'UTC';

export const BUILT_IN_JURISDICTIONS: Readonly<Record<string, TaxJurisdiction>> = {
  DE: GERMANY,
  CH: SWITZERLAND,
  'US-NY-NYC': NEW_YORK_CITY,
  'CA-BC': BRITISH_COLUMBIA,
};

/**
 * The terminal's pricing configuration until HQ distributes tax rules and promotions with the catalog
 * (issue #5): a built-in jurisdiction and no automatic promotions.
 */
export function defaultPricingConfig(
  jurisdictionId: string,
  currency: string,
  timeZone = DEFAULT_STORE_TIME_ZONE,
): PricingConfig {
  const jurisdiction = BUILT_IN_JURISDICTIONS[jurisdictionId];
  if (!jurisdiction) {
    throw new Error(
      `unknown tax jurisdiction ${jurisdictionId}; known: ${Object.keys(BUILT_IN_JURISDICTIONS).join(', ')}`,
    );
  }
  return {
    jurisdiction,
    promotions: [],
    limits: { maxLineDiscountRate: 100_000, maxBasketDiscountRate: 50_000, maxPriceDecreaseRate: 100_000 },
    cashRounding: cashRoundingFor(currency),
    timeZone,
    dayStartHour: 0,
    versions: { priceList: 1, promotions: 0 },
    customLines: { allowed: false, maxAmount: 0, taxCategory: 'standard' },
  };
}

/** What pricing reads of HQ's terminal configuration (the ledger's feed cache). */
export interface ConfigSource {
  config(): Pick<TerminalConfig, 'timeZone' | 'businessDayStartHour' | 'promotions' | 'customLines'>;
  /** The feed version of the configuration in force (0 for the defaults). */
  configVersion(): number;
}

/**
 * The till's pricing now: the built-in rules with HQ's configuration in force, read at each use so a pulled change
 * applies to the next quote: the store's clock, and the automatic promotions, recorded on each sale by the feed
 * version of the configuration that brought them (`versions.promotions`).
 */
export function configuredPricing(base: PricingConfig, source: ConfigSource): PricingConfig {
  const config = source.config();
  return {
    ...base,
    timeZone: config.timeZone,
    dayStartHour: config.businessDayStartHour,
    promotions: config.promotions,
    customLines: config.customLines,
    versions: { ...base.versions, promotions: source.configVersion() },
  };
}
