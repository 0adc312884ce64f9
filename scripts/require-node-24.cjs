'use strict'
// Loaded first by every entry point (the CLI bin, npm run sandbox / harness / cli, the test and build
// scripts), before anything that needs Node 24 (node:sqlite, undici 8): on an older Node they crashed
// deep inside a dependency (undici: "Cannot read properties of undefined (reading 'bind')"). Plain
// CommonJS with no syntax newer than ES2015, so that even an old Node can run it to say so.
var REQUIRED_MAJOR = 24

/** The one-line reason this Node cannot run QUBS Reporter, or undefined when it can. */
function nodeVersionProblem(version) {
  var major = Number(String(version).replace(/^v/, '').split('.')[0])
  if (major >= REQUIRED_MAJOR) return undefined
  return (
    'QUBS Reporter needs Node ' +
    REQUIRED_MAJOR +
    ' (node:sqlite); this is Node ' +
    version +
    '; to get Node 24 without running anything else: eval "$(bash .ci/run --node-only)"'
  )
}

var problem = nodeVersionProblem(process.versions.node)
if (problem !== undefined) {
  process.stderr.write(problem + '\n')
  process.exit(2)
}

module.exports = { nodeVersionProblem: nodeVersionProblem, REQUIRED_MAJOR: REQUIRED_MAJOR }
