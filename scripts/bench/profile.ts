/**
 * CPU profile of the collector reading a backlog from the emulator:
 *   node -r ./scripts/bench/register.cjs scripts/bench/profile.ts [--records 200000]
 * The launcher unsets NODE_OPTIONS, so the bundle is run with `node --cpu-prof` directly (same
 * code, same stdin and stdout as under the launcher). Prints the top functions by self time and
 * leaves the .cpuprofile in test-output/bench/profile/ (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inputXml, LAUNCHER, REPO } from '../../test/collector/support/collectorProcess';
import { startEmulator } from './emulator/control';
import { GrowingFileCounter, sleep } from './measure';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--records');
  const records = i > 0 ? Number(process.argv[i + 1]) : 200_000;
  const outDir = path.join(REPO, 'test-output/bench/profile');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudhsm-profile-'));
  const emu = await startEmulator();
  try {
    const loaded = await emu.generate(
      {
        seed: 'bench',
        clusters: 4,
        hsms: 4,
        records: Math.round(records / 4 / 1.02),
        meanIntervalMs: 200,
        hsmType: 'mixed',
        startTime: Date.now() - 6 * 3_600_000,
      },
      1,
    );
    await emu.warm(0);
    const stdoutFile = path.join(tmp, 'out.xml');
    const out = fs.openSync(stdoutFile, 'w');
    const child = spawn(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${outDir}`, path.join(path.dirname(LAUNCHER), 'collector.js')],
      {
        stdio: ['pipe', out, 'inherit'],
        env: {
          PATH: process.env.PATH ?? '',
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
        },
      },
    );
    fs.closeSync(out);
    child.stdin!.end(
      inputXml({
        name: 'profile',
        checkpointDir: path.join(tmp, 'checkpoints'),
        params: {
          regions: 'us-east-1',
          endpoint_url: emu.endpoint,
          max_requests_per_second: '100',
          health_interval: '3600',
        },
      }),
    );
    const counter = new GrowingFileCounter(
      stdoutFile,
      Buffer.from('<sourcetype>aws:cloudwatch:cloudhsm'),
    );
    const t0 = Date.now();
    while (counter.poll() < loaded.records) await sleep(20);
    process.stdout.write(
      `${loaded.records} records in ${((counter.mtimeMs() - t0) / 1000).toFixed(2)} s\n`,
    );
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  } finally {
    await emu.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const file = fs.readdirSync(outDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const profile = JSON.parse(fs.readFileSync(path.join(outDir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const total = profile.samples.length;
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const key = `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [name, hits] of top)
    process.stdout.write(`${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
  process.stdout.write(`profile: ${path.relative(REPO, path.join(outDir, file))}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
