/** This package's version, sent to WorkOS as app info. Kept in step with package.json by a test. */
export const VERSION = '0.1.0';
