import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// Test layers (design §4), one vitest project each, so every layer can run alone and CI can count them
// together: node = the core and the sandbox; dom = renderer components with a fake bridge;
// e2e = the built renderer in Debian's Chromium; electron = the real app where the binary exists.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/main/**/*.test.ts', 'test/contract/**/*.test.ts'],
          benchmark: { include: ['test/main/**/*.bench.ts'] },
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'dom',
          // Benchmarks belong to the node project only.
          benchmark: { include: [] },
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
          // Above the 5 s waits of setup.ts, so a slow wait fails with its own message, not a timeout.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          // Benchmarks belong to the node project only.
          benchmark: { include: [] },
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'electron',
          // Benchmarks belong to the node project only.
          benchmark: { include: [] },
          environment: 'node',
          include: ['test/electron/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
