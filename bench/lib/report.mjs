/**
 * Turns measurements into the printed table, the target checks and the README section.
 */

const f = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(digits));
const int = (v) => (v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));

/** Markdown table from a header row and rows of cells. */
export function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The per-scenario HTTP table. */
export function scenarioTable(results) {
  const header = [
    'Scenario',
    'req/s (sat.)',
    '× floor',
    'p50 / p90 / p99 ms @100 req/s',
    'p50 / p99 ms (sat.)',
    'errors',
    'CPU ms/req',
    'CPU × floor',
    'CPU − floor',
  ];
  const rows = results.map((s) => [
    s.label,
    int(s.saturation.rps),
    f(s.ratioToFloor, 2),
    `${f(s.fixed.latency.p50, 1)} / ${f(s.fixed.latency.p90, 1)} / ${f(s.fixed.latency.p99, 1)}`,
    `${f(s.saturation.latency.p50, 1)} / ${f(s.saturation.latency.p99, 1)}`,
    `${s.fixed.failed + s.saturation.failed}`,
    f(s.saturation.cpuMsPerRequest, 2),
    f(s.cpuRatioToFloor, 1),
    s.name === 'floor' ? '–' : f(s.saturation.cpuMsNetOfFloor, 2),
  ]);
  return markdownTable(header, rows);
}

/** The chat fan-out table. */
export function chatTable(chat) {
  if (!chat) return '';
  const header = [
    'Chat fan-out (100 clients)',
    'messages/s',
    'deliveries/s',
    'p50 / p90 / p99 ms delivery',
    'lost deliveries',
    'CPU ms/message',
    'messages / D1 write',
  ];
  const rows = chat.phases.map((p) => [
    p.label,
    f(p.messagesPerSecond, 1),
    int(p.deliveriesPerSecond),
    `${f(p.latency.p50, 1)} / ${f(p.latency.p90, 1)} / ${f(p.latency.p99, 1)}`,
    String(p.missingDeliveries),
    f(p.cpuMsPerMessage, 2),
    f(p.messagesPerWrite, 2),
  ]);
  const table = markdownTable(header, rows);
  const r = chat.reconnect;
  if (!r) return table;
  const replay = markdownTable(
    ['Chat reconnect', 'replay complete p50 / p90 / p99 ms', 'CPU ms/reconnect'],
    [[r.label, `${f(r.latency.p50, 1)} / ${f(r.latency.p90, 1)} / ${f(r.latency.p99, 1)}`, f(r.cpuMsPerClient, 2)]],
  );
  return `${table}\n\n${replay}`;
}

/** Bundle and start-up figures. */
export function bundleTable(bundle, startup, calibration) {
  const rows = [
    [
      'Empty Worker (same bindings): GET / → constant JSON',
      `${int(calibration.constant.rps)} req/s, ${f(calibration.constant.cpuMsPerRequest, 2)} ms CPU/req`,
    ],
    [
      'Empty Worker: one trivial D1 query',
      `${int(calibration.d1_round_trip.rps)} req/s, ${f(calibration.d1_round_trip.cpuMsPerRequest, 2)} ms CPU/req (one local D1 round trip ≈ ${f(calibration.d1RoundTripCpuMs, 2)} ms CPU)`,
    ],
    ['Bundle (bench/out/index.js)', `${f(bundle.bytes / 1024, 0)} KB, ${f(bundle.gzipBytes / 1024, 1)} KB gzipped`],
    [
      'Start-up: new Miniflare() → first 2xx',
      `${f(startup.worker.median, 0)} ms (empty Worker with the same bindings: ${f(startup.empty.median, 0)} ms; difference ${f(startup.bundleCost, 0)} ms)`,
    ],
    [
      'Start-up CPU of workerd (bundle − empty)',
      `${f(startup.cpu.worker, 0)} ms − ${f(startup.cpu.empty, 0)} ms = ${f(startup.cpu.worker - startup.cpu.empty, 0)} ms`,
    ],
  ];
  return markdownTable(['Platform and bundle', 'Figure'], rows);
}

/**
 * CPU per message of the 100 messages/s chat phase with the room as it was before issue 21 (one D1
 * insert and 100 frames per message), measured with this harness on this machine (median of 3 for
 * the default clients; README, "Chat rooms"), by kind of client: frames read / permessage-deflate.
 */
const CHAT_CPU_BEFORE = { 'batch/plain': 6.0, 'single/plain': 5.79, 'batch/deflate': 7.74 };

/** Checks the targets; each entry says whether it was met and why. */
export function checkTargets({ scenarios, chat, bundle }) {
  const out = [];
  for (const s of scenarios) {
    if (s.name === 'login' || s.name === 'floor') continue;
    const limit = s.name === 'leads_list' ? 1.5 : 2;
    const cpu = s.saturation.cpuMsPerRequest;
    out.push({
      target: `${s.label}: server CPU < ${limit} ms/request`,
      value: `${f(cpu, 2)} ms (net of floor ${f(s.saturation.cpuMsNetOfFloor, 2)} ms)`,
      met: cpu < limit,
    });
  }
  for (const s of scenarios) {
    if (s.name === 'login') continue;
    out.push({
      target: `${s.label}: p99 < 25 ms at 100 req/s`,
      value: `${f(s.fixed.latency.p99, 1)} ms`,
      met: s.fixed.latency.p99 !== null && s.fixed.latency.p99 < 25,
    });
  }
  const login = scenarios.find((s) => s.name === 'login');
  if (login)
    out.push({
      target: 'Login CPU reported (PBKDF2, 100,000 iterations)',
      value: `${f(login.saturation.cpuMsPerRequest, 1)} ms/request`,
      met: true,
    });
  out.push({
    target: 'Bundle < 500 KB gzipped',
    value: `${f(bundle.gzipBytes / 1024, 1)} KB`,
    met: bundle.gzipBytes < 500 * 1024,
  });
  if (chat) {
    const fixed = chat.phases.find((p) => p.key === 'fixed100') ?? chat.phases[0];
    out.push({
      target: 'Chat fan-out to 100 clients: p99 delivery < 50 ms, nothing lost',
      value: `${f(fixed.latency.p99, 1)} ms at ${f(fixed.messagesPerSecond, 0)} msg/s (${fixed.missingDeliveries} lost)`,
      met: fixed.latency.p99 !== null && fixed.latency.p99 < 50 && fixed.missingDeliveries === 0,
    });
    const before =
      CHAT_CPU_BEFORE[`${chat.clientsReadBatchFrames ? 'batch' : 'single'}/${chat.clientsOfferDeflate ? 'deflate' : 'plain'}`];
    if (before)
      out.push({
        target: `Chat at 100 msg/s: CPU per message at most half of before issue 21 (${f(before, 2)} ms, same clients)`,
        value: `${f(fixed.cpuMsPerMessage, 2)} ms`,
        met: fixed.cpuMsPerMessage !== null && fixed.cpuMsPerMessage <= before / 2,
      });
  }
  return out;
}

export function targetsTable(targets) {
  return markdownTable(
    ['Target', 'Measured', 'Met'],
    targets.map((t) => [t.target, t.value, t.met ? 'yes' : '**no**']),
  );
}
