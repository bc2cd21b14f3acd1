import { defineConfig } from 'vitest/config';

// Preact's automatic JSX runtime through esbuild: no framework plugin needed.
// HAETAE_URL points the dev server's proxy at a running `haetae serve`.
const target = process.env.HAETAE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', sourcemap: false, target: 'es2020' },
  server: {
    proxy: {
      '/api': target,
      '/healthz': target,
      '/ws': { target, ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
