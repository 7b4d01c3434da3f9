/**
 * Shows a stack operation's progress like CloudFormation's console: on a terminal, a table
 * (logical id, domain, package, status, elapsed) redrawn in place; otherwise one plain line
 * per event, so logs and CI output stay readable.
 */
import type { ProgressEvent } from './cloudformation-player';

/** Where output goes: process.stdout, or a capture in tests. */
export interface Output {
  write(text: string): void;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface PlannedRow {
  readonly logicalId: string;
  readonly domain: string;
  readonly packageId: string;
}

interface Row extends PlannedRow {
  status: string;
  /** The last failure's reason. */
  reason?: string;
  /** Elapsed ms of the stack operation at which the resource's current operation started / ended. */
  startedMs?: number;
  endedMs?: number;
}

const HEADERS = ['LOGICAL ID', 'DOMAIN', 'PACKAGE', 'STATUS', 'ELAPSED'];
const REDRAW_MS = 100;
const COLORS: ReadonlyArray<[RegExp, string]> = [
  [/FAILED/, '\x1b[31m'],
  [/ROLLBACK|IN_PROGRESS/, '\x1b[33m'],
  [/COMPLETE/, '\x1b[32m'],
];

export class ProgressTable {
  private rows = new Map<string, Row>();
  private stackName = '';
  private stackStatus = '';
  private stackReason?: string;
  private drawnLines = 0;
  private startedAt = Date.now();
  private ticker?: NodeJS.Timeout;

  constructor(private readonly out: Output) {}

  private get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Starts a stack operation; planned rows show as pending until their first event. */
  begin(stackName: string, title: string, planned: readonly PlannedRow[]): void {
    this.stackName = stackName;
    this.stackStatus = '';
    this.stackReason = undefined;
    this.rows = new Map(planned.map((row) => [rowKey(row), { ...row, status: '' }]));
    this.startedAt = Date.now();
    this.drawnLines = 0;
    this.out.write(`\n${title}\n`);
    if (this.live) {
      this.draw();
      this.ticker = setInterval(() => this.draw(), REDRAW_MS);
      this.ticker.unref();
    }
  }

  readonly onProgress = (event: ProgressEvent): void => {
    if (event.logicalId === this.stackName && event.domain === '') {
      this.stackStatus = event.status;
      this.stackReason = event.reason ?? this.stackReason; // why it rolled back stays on screen
    } else {
      this.update(event);
    }
    if (this.live) {
      this.draw();
    } else {
      this.out.write(plainLine(event, this.rows.get(rowKey(event))));
    }
  };

  /** Final state of the table; stops redrawing. */
  end(): void {
    if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.draw();
    }
  }

  private update(event: ProgressEvent): void {
    const key = rowKey(event);
    const row = this.rows.get(key) ?? { logicalId: event.logicalId, domain: event.domain, packageId: event.packageId, status: '' };
    this.rows.set(key, row);
    row.status = event.status;
    row.reason = event.reason ?? row.reason; // a failure stays listed through the rollback
    if (event.status.endsWith('_IN_PROGRESS')) {
      row.startedMs = event.elapsedMs;
      row.endedMs = undefined;
    } else {
      row.endedMs = event.elapsedMs;
    }
  }

  private draw(): void {
    const now = Date.now() - this.startedAt;
    const cells = [...this.rows.values()].map((row) => [row.logicalId, row.domain, row.packageId, row.status || 'PENDING', elapsedOf(row, now)]);
    const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.map((cell) => cell[i].length)));
    const lines = [
      `${this.stackName}  ${colored(this.stackStatus || 'PENDING')}  ${seconds(now)}`,
      `  ${HEADERS.map((header, i) => header.padEnd(widths[i])).join('  ')}`,
      ...cells.map((cell) => `  ${cell.map((text, i) => (i === 3 ? colored(text, widths[i]) : text.padEnd(widths[i]))).join('  ')}`),
      ...this.reasons(),
    ].map((line) => truncate(line, this.out.columns));
    // Cursor up to the table's first line, clear down, draw again.
    const rewind = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[0J` : '';
    this.out.write(`${rewind}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private reasons(): string[] {
    const failed = [...this.rows.values()].filter((row) => row.reason).map((row) => `  ${row.logicalId}: ${row.reason}`);
    return this.stackReason ? [`  ${this.stackReason}`, ...failed] : failed;
  }
}

/**
 * One row per resource and (domain, package): when an update replaces the package, the old
 * pair's cleanup Delete shows as its own row instead of overwriting the new pair's status.
 */
function rowKey(row: PlannedRow): string {
  return `${row.logicalId} ${row.domain} ${row.packageId}`;
}

function plainLine(event: ProgressEvent, row: Row | undefined): string {
  const took = row && !event.status.endsWith('_IN_PROGRESS') && row.startedMs !== undefined ? ` (${seconds(event.elapsedMs - row.startedMs)})` : '';
  const what = event.domain ? `${event.logicalId}  ${event.domain}  ${event.packageId}` : event.logicalId;
  const reason = event.reason ? `  ${event.reason}` : '';
  return `${seconds(event.elapsedMs).padStart(7)}  ${event.status.padEnd(28)}  ${what}${took}${reason}\n`;
}

function elapsedOf(row: Row, now: number): string {
  return row.startedMs === undefined ? '' : seconds((row.endedMs ?? now) - row.startedMs);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function colored(status: string, width = status.length): string {
  const color = COLORS.find(([pattern]) => pattern.test(status))?.[1];
  const padded = status.padEnd(width);
  return color ? `${color}${padded}\x1b[0m` : padded;
}

/** Long lines would wrap and break the in-place redraw. ANSI codes do not take up columns. */
function truncate(line: string, columns: number | undefined): string {
  if (!columns) {
    return line;
  }
  const visible = line.replace(/\x1b\[[0-9;]*m/g, '');
  return visible.length < columns ? line : `${visible.slice(0, columns - 2)}…`;
}
