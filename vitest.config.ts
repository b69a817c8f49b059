import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core CI machines: real-process tests contend for CPU; keep parallelism modest.
    maxWorkers: 2,
  },
});
