import type { CatalogEntry } from '@tillwright/ledger';
import type { AgeCheckV1 } from '@tillwright/protocol';
import type { SaleLineRequest } from '../contract/methods.js';
import { HostError } from './rpc-dispatcher.js';

/** How far ahead of the till's clock a check may say it was made (two screens' clocks drift a little). */
export const AGE_CHECK_CLOCK_SLACK_MS = 5 * 60_000;

export interface AgeContext {
  now: Date;
  /** True for an employee the feed lists as active at this store. */
  isStoreEmployee: (employeeId: string) => boolean;
}

/**
 * The age check an age-restricted product's line must carry (issue #17, point 6): confirmed before the line was
 * added, for at least the product's minimum age, by an employee of this store, not later than now. Null for a
 * product with no minimum age; a check on such a product is refused (the screen never sends one).
 */
export function checkedAge(
  line: SaleLineRequest,
  product: CatalogEntry,
  context: AgeContext,
): AgeCheckV1 | null {
  const required = product.minimumAge;
  const check = line.ageCheck;
  if (required === null) {
    if (check) {
      throw new HostError(
        'age_check_not_needed',
        `${product.name} is not age-restricted: add it without a check`,
        false,
      );
    }
    return null;
  }
  if (!check || check.minimumAge < required) {
    throw new HostError(
      'age_check_required',
      `${product.name} is sold only to customers ${required} or older: check the customer's age first`,
      false,
    );
  }
  if (!context.isStoreEmployee(check.checkedBy)) {
    throw new HostError(
      'age_check_employee',
      `The age check of ${product.name} names nobody working at this store: check the age again, signed in`,
      false,
    );
  }
  if (Date.parse(check.checkedAt) > context.now.getTime() + AGE_CHECK_CLOCK_SLACK_MS) {
    throw new HostError(
      'age_check_in_future',
      `The age check of ${product.name} is dated in the future: check the age again`,
      false,
    );
  }
  return {
    minimumAge: check.minimumAge,
    checkedBy: check.checkedBy,
    checkedAt: check.checkedAt,
    method: check.method,
  };
}
