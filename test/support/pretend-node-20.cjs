'use strict'
// Preloaded (NODE_OPTIONS=--require) by the entry-point tests on machines without an older Node:
// makes this process report Node 20, so the Node 24 check of every entry point can be exercised.
Object.defineProperty(process.versions, 'node', { value: '20.20.2' })
