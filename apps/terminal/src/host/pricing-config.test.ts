import { DEFAULT_TERMINAL_CONFIG, TerminalConfig } from '@tillwright/protocol';
import { describe, expect, it } from 'vitest';
import { configuredPricing, defaultPricingConfig } from './pricing-config.js';

describe("the till's pricing with HQ's configuration", () => {
  it("prices with the configuration's promotions and records the feed version that brought them", () => {
    const config = TerminalConfig.parse({
      timeZone: 'Europe/Berlin',
      promotions: [
        {
          id: 'pens',
          name: 'Pens 20 % off',
          kind: 'item-percent',
          target: { tags: ['pens'] },
          rate: 200_000,
        },
      ],
    });
    const pricing = configuredPricing(defaultPricingConfig('DE', 'EUR'), {
      config: () => config,
      configVersion: () => 42,
    });
    expect(pricing.promotions).toEqual(config.promotions);
    expect(pricing.versions).toEqual({ priceList: 1, promotions: 42 });
    expect(pricing.timeZone).toBe('Europe/Berlin');
  });

  it('has no promotions, at version 0, while HQ has configured nothing', () => {
    const pricing = configuredPricing(defaultPricingConfig('DE', 'EUR'), {
      config: () => DEFAULT_TERMINAL_CONFIG,
      configVersion: () => 0,
    });
    expect(pricing.promotions).toEqual([]);
    expect(pricing.versions.promotions).toBe(0);
  });
});
