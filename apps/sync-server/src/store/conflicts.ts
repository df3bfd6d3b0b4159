import { ApiError } from '../errors.js';

/** Ids that are global across orgs: one org can never take over another's by reusing them. */
export const usernameTaken = (username: string) =>
  new ApiError(
    409,
    'username_taken',
    `the user name ${username} belongs to another org; choose another`,
    false,
  );

export const storeIdTaken = (storeId: string) =>
  new ApiError(
    409,
    'store_id_taken',
    `the store id ${storeId} belongs to another org; choose another`,
    false,
  );

/** Refusals both stores give in enrolment. */
export const storeNotFound = (storeId: string) =>
  new ApiError(404, 'not_found', `no store ${storeId} in this org`, false);

export const enrolmentCodeInvalid = () =>
  new ApiError(
    403,
    'enrolment_code_invalid',
    'this enrolment code is unknown, used or expired; ask a manager for a new one',
    false,
  );

/** The id of a store's next terminal: the store id, then T and the terminal's number, two digits at least. */
export const nextTerminalId = (storeId: string, enrolled: number) =>
  `${storeId}-T${String(enrolled + 1).padStart(2, '0')}`;
