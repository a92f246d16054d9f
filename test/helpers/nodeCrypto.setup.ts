// Setup of the `node-crypto` vitest project: the same tests again, on the node:crypto backend that Node
// users get through the package's `node` export condition. vitest.config.ts resolves the default backend
// module (src/core/encryption/defaultBackend.ts) to test/helpers/nodeDefaultBackend.ts in that project, so
// every core and service built without an explicit `crypto` runs on node:crypto; nothing global is swapped.

/** Read by test/core/backend.test.ts to check that each project runs on the backend it claims. */
(globalThis as { __authkitTestBackend?: string }).__authkitTestBackend = 'node';
