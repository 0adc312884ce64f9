import { z } from 'zod'

// The renderer's Content-Security-Policy forbids eval, and zod 4 compiles fast parsers with
// `new Function` unless told not to. The contract runs in the page (preload and harness), so it
// always parses without eval.
z.config({ jitless: true })
