/**
 * Test helpers: requests against the Worker (in workerd), users of both families, polling, D1,
 * the events spy, mail and the round-trip Budget. Per-module factories live beside this file
 * (`./bookings`, `./chat`, `./field` ...) and are imported from there.
 * Tests build their own data; each test file starts from empty storage (./storage), but ids keep
 * counting across files: never assume an id's value.
 */
export { Budget, documentedOperations } from './budget';
export { countingD1, countRows, D1_LIKE_PATTERN_BYTES, productionLimitsD1 } from './db';
export { captureEvents, type NotificationEvent, spyEvents } from './events';
export { eventually, sleep } from './eventually';
export {
  type ApiOptions,
  type ApiResponse,
  api,
  BASE,
  cookieFrom,
  expectStatus,
  expectStatusCounts,
  fetchUrl,
  type Overrides,
  PRODUCTION,
} from './http';
export { mailFor, waitForMail } from './mail';
export { day } from './time';
export {
  contactLeaks,
  emailLikeUser,
  fakeGoogle,
  freshEmail,
  makeUser,
  PASSWORD,
  type TestUser,
  uniq,
  userRow,
  wsUser,
} from './users';
