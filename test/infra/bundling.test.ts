import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLifeline } from '../../infra/lifeline-app';
import { lifelineSettingsFromContext } from '../../infra/lifeline-context';

// The one test that bundles for real (local esbuild, no Docker engine): what `cdk synth` does,
// with the context README's Deploy section shows (cdk-nag off here: nag.test.ts runs it).
describe('synth with bundling', () => {
  const outdir = join(process.cwd(), '.cache', `cdk-bundling-test-${process.pid}`);
  const app = new App({
    outdir,
    context: {
      slackAppId: 'A0123ABCD',
      slackSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lifeline/slack-app-AbCdEf',
      slackScopes: 'bot',
      slackProtocol: 'rtm',
      nag: 'false',
    },
  });
  buildLifeline(app, lifelineSettingsFromContext(app));
  const assembly = app.synth();
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const manifest = JSON.parse(readFileSync(join(outdir, 'LifelineOrchestrator.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging: string } }>;
    dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
  };

  it('bundles each Lambda into one small ESM file', () => {
    const bundles = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip').map((f) => join(outdir, f.source.path));
    expect(bundles).toHaveLength(3);
    for (const dir of bundles) {
      expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
      expect(statSync(join(dir, 'index.mjs')).size).toBeLessThan(3_000_000);
    }
  });

  it('stages the worker image from the Dockerfile for linux/arm64 without building it', () => {
    const images = Object.values(manifest.dockerImages);
    expect(images).toHaveLength(1);
    const dir = join(outdir, images[0]!.source.directory);
    expect(images[0]!.source.platform).toBe('linux/arm64');
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(dir, 'functions/worker/main.ts'))).toBe(true);
    expect(existsSync(join(dir, 'functions/worker/container.ts'))).toBe(true);
    // The .dockerignore keeps the context small: no node_modules, no test code, no simulator.
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    expect(existsSync(join(dir, 'test'))).toBe(false);
    const simulator = join(dir, 'shared/slack-simulator');
    expect(existsSync(simulator) ? readdirSync(simulator, { recursive: true }) : []).toEqual([]);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['LifelineOrchestrator', 'LifelineStateful']);
  });
});
