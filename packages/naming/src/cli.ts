// `./hopthu naming`: JSON lines on stdin, one JSON line per input line on stdout. Blank lines are
// skipped; a line that is not JSON, or not a valid request, gets an {"error": …} line; the process
// never crashes on input and exits 0 at end of input.
//   --request   treat the whole input as one request (a staff list): answered at end of input, in
//               input order; addresses given to earlier lines are taken for later ones, and Kiên
//               Giang serves people by rank. Without it, every line is answered on its own, at once.
import { createInterface } from 'node:readline';
import { loadAndInstallProvincePolicies } from './policies/install-province-policies.ts';
import { ProvincePolicyFileError } from './policies/province-policy-files.ts';
import { proposeAddress, proposeAddresses, type ProposalOutput } from './request.ts';

const USAGE = `usage: ./hopthu naming [--request] < requests.jsonl
One JSON object per line, e.g.
  {"province":"bac-ninh","kind":"personal","person":{"familyName":"Trần","middleName":"Văn","givenName":"Anh"},"agency":"stttt","taken":["tvanh.stttt"]}
  {"province":"khanh-hoa","kind":"unit","unit":{"name":"Phòng Văn hóa và Thông tin","type":"department","abbreviation":"pvhtt"},"parent":{"name":"UBND huyện Cam Lâm","type":"district"}}
Provinces: thanh-hoa, dak-nong, bac-ninh, khanh-hoa, kien-giang.
  --request  answer all lines together as one request (earlier lines' addresses count as taken)
`;

type ParsedLine = { ok: true; value: unknown } | { ok: false; output: ProposalOutput };

function parseLine(line: string): ParsedLine {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      output: {
        error: `Invalid JSON: ${reason}`,
        code: 'invalid_json',
        field: null,
        vi: `JSON không hợp lệ: ${reason}`,
      },
    };
  }
}

function internalError(error: unknown): ProposalOutput {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    error: `Internal error: ${reason}`,
    code: 'internal_error',
    field: null,
    vi: `Lỗi nội bộ: ${reason}`,
  };
}

function writeLine(output: ProposalOutput): void {
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = argv.filter((arg) => arg !== '--request');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument: ${unknown.join(' ')}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  // The installation's own provinces (PROVINCE_POLICY_DIR, docs/provinces.md) beside the seeds.
  try {
    loadAndInstallProvincePolicies(process.env.PROVINCE_POLICY_DIR || undefined);
  } catch (error) {
    if (!(error instanceof ProvincePolicyFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const asOneRequest = argv.includes('--request');
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const buffered: ParsedLine[] = [];
  for await (const raw of lines) {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '') continue;
    const parsed = parseLine(line);
    if (asOneRequest) {
      buffered.push(parsed);
      continue;
    }
    try {
      writeLine(parsed.ok ? proposeAddress(parsed.value) : parsed.output);
    } catch (error) {
      writeLine(internalError(error));
    }
  }
  if (asOneRequest) {
    const valid = buffered.flatMap((entry) => (entry.ok ? [entry.value] : []));
    let answers: ProposalOutput[];
    try {
      answers = proposeAddresses(valid);
    } catch (error) {
      answers = valid.map(() => internalError(error));
    }
    let next = 0;
    for (const entry of buffered) writeLine(entry.ok ? (answers[next++] as ProposalOutput) : entry.output);
  }
}

await main(process.argv.slice(2));
