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
